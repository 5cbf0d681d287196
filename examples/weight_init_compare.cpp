// weight_init_compare.cpp — the book's ch06/weight_init_compare.py (figure 6-15): the
// same five-layer ReLU network, 784-100-100-100-100-10, started from N(0, 0.01^2)
// weights, from Xavier's N(0, 1/n) and from He's N(0, 2/n), trained by SGD at 0.01 on
// the same batches of 128 for 2000 steps. With std 0.01 the signal fades layer after
// layer and the loss stays at ln 10 = 2.30; He's start learns fastest.
//
//     build/examples/weight_init_compare
#include "experiment.hpp"

using Model = ctnet::Model<experiment::FiveLayerNet, float, 128>;

int main(int argc, char** argv) try {
    experiment::Flags flags("weight_init_compare",
                            "The book's weight initialisation comparison (6.2.4): std 0.01, Xavier and He\n"
                            "starts of one ReLU network, trained by SGD (0.01) on the same batches.");
    std::size_t iters = 2000;
    flags.count("--iters", &iters, "steps per initialisation");
    if (!flags.parse(argc, argv)) return 0;
    const ctnet::MnistRaw mnist = ctnet::read_mnist(flags.data);

    ctnet::ChartPanel panel{"", "iterations", "loss", {}, 0.0, 2.5};
    const std::vector<double> steps = experiment::step_numbers(iters);
    const std::pair<const char*, ctnet::Init> starts[] = {
        {"std=0.01", ctnet::Init::gaussian(0.01)}, {"Xavier", ctnet::Init::xavier()}, {"He", ctnet::Init::he()}};
    for (const auto& [name, init] : starts) {
        auto model = std::make_unique<Model>(init, flags.seed);
        ctnet::Sgd sgd{0.01};
        const auto losses = experiment::step_losses(*model, sgd, mnist.train, iters, ctnet::Rng(flags.seed + 1));
        experiment::report_losses(flags, name, losses);
        panel.series.push_back({name, steps, experiment::smooth_curve(losses)});
    }
    experiment::write_figure(flags, fmt::format("weight initialisation, SGD 0.01, {} steps of batch 128 ({})", iters,
                                                flags.data.filename().string()),
                             {panel}, 1);
} catch (const std::exception& e) {
    fmt::print(stderr, "weight_init_compare: {}\n", e.what());
    return 1;
}
