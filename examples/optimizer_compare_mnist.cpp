// optimizer_compare_mnist.cpp — the book's ch06/optimizer_compare_mnist.py (figure 6-9):
// SGD, Momentum, AdaGrad and Adam (with --all, Nesterov and RMSprop too) train the same
// five-layer network, 784-100-100-100-100-10 with ReLU and He weights, on the same
// batches of 128 for 2000 steps; the figure is each one's loss per step, smoothed as
// the book's smooth_curve does, drawn between 0 and 1 as the book's plt.ylim.
//
//     build/examples/optimizer_compare_mnist                  # the bundled digits
//     build/examples/optimizer_compare_mnist --data fashion --all
#include "experiment.hpp"

using Model = ctnet::Model<experiment::FiveLayerNet, float, 128>;

int main(int argc, char** argv) try {
    experiment::Flags flags("optimizer_compare_mnist",
                            "The book's optimizer comparison (6.1.8): one network trained by each optimizer\n"
                            "at its default rate (SGD, Momentum, AdaGrad 0.01; Adam 0.001) on the same batches.");
    std::size_t iters = 2000;
    bool all = false;
    flags.count("--iters", &iters, "steps per optimizer");
    flags.toggle("--all", &all, "Nesterov and RMSprop (0.01) as well");
    if (!flags.parse(argc, argv)) return 0;
    const ctnet::MnistRaw mnist = ctnet::read_mnist(flags.data);

    ctnet::ChartPanel panel{"", "iterations", "loss", {}, 0.0, 1.0};
    const std::vector<double> steps = experiment::step_numbers(iters);
    auto run = [&](const char* name, auto optimizer) {
        auto model = std::make_unique<Model>(ctnet::Init::he(), flags.seed);
        // Every optimizer draws the same batches: the same seed for the sampler.
        const auto losses = experiment::step_losses(*model, optimizer, mnist.train, iters, ctnet::Rng(flags.seed + 1));
        experiment::report_losses(flags, name, losses);
        panel.series.push_back({name, steps, experiment::smooth_curve(losses)});
    };
    run("SGD", ctnet::Sgd{0.01});
    run("Momentum", ctnet::Momentum{0.01});
    run("AdaGrad", ctnet::AdaGrad{0.01});
    run("Adam", ctnet::Adam{0.001});
    if (all) {
        run("Nesterov", ctnet::Nesterov{0.01});
        run("RMSprop", ctnet::RmsProp{0.01});
    }
    experiment::write_figure(flags, fmt::format("optimizers, {} steps of batch 128 ({})", iters, flags.data.filename().string()),
                             {panel}, 1);
} catch (const std::exception& e) {
    fmt::print(stderr, "optimizer_compare_mnist: {}\n", e.what());
    return 1;
}
