// overfit_weight_decay.cpp — the book's ch06/overfit_weight_decay.py (figures 6-20 and
// 6-21): a seven-layer ReLU network, 784-[100 x 6]-10 with He weights, trained by SGD
// at 0.01 on the first 300 training images only, in batches of 100, for 201 epochs
// of 3 steps. Without weight decay it learns the 300 images perfectly and the test
// accuracy stays far below; with lambda = 0.1 the gap narrows (and the training
// accuracy no longer reaches 1).
//
//     build/examples/overfit_weight_decay
//     build/examples/overfit_weight_decay --data fashion --lambda 0.05
#include "experiment.hpp"

using Net = ctnet::Sequential<ctnet::Affine<784, 100>, ctnet::Relu, ctnet::Repeat<5, ctnet::Affine<100, 100>, ctnet::Relu>,
                              ctnet::Affine<100, 10>, ctnet::SoftmaxWithLoss>;
using Model = ctnet::Model<Net, float, 100>;

int main(int argc, char** argv) try {
    experiment::Flags flags("overfit_weight_decay",
                            "The book's overfitting experiment (6.4.1-6.4.2): 300 training images, a deep\n"
                            "network, 201 epochs; once without and once with weight decay.");
    std::size_t epochs = 201, samples = 300;
    double lambda = 0.1;
    flags.count("--epochs", &epochs, "epochs (each train size / 100 steps) per run");
    flags.count("--samples", &samples, "training images, the first of the set");
    flags.real("--lambda", &lambda, "weight decay's lambda in the second run");
    if (!flags.parse(argc, argv)) return 0;
    const ctnet::MnistRaw mnist = ctnet::read_mnist(flags.data);
    const ctnet::DataPair<ctnet::Subset<ctnet::MnistBytes>, const ctnet::MnistBytes&> data{
        ctnet::Subset(mnist.train, ctnet::first_rows(std::min(samples, mnist.train.size()))), mnist.test};

    std::vector<ctnet::ChartPanel> panels;
    for (const double decay : {0.0, lambda}) {
        auto model = std::make_unique<Model>(ctnet::Init::he(), flags.seed);
        model->set_weight_decay(static_cast<float>(decay));
        ctnet::Sgd sgd{0.01};
        const auto e = experiment::train_epochs(*model, sgd, data, epochs, ctnet::Rng(flags.seed + 1));
        const std::string title = decay == 0 ? std::string("no weight decay") : fmt::format("weight decay {}", decay);
        panels.push_back(experiment::accuracy_panel(flags, title, e));
    }
    experiment::write_figure(flags, fmt::format("{} training images, 784-[100x6]-10, SGD 0.01 ({})", data.train.size(),
                                                flags.data.filename().string()),
                             panels, 2);
} catch (const std::exception& e) {
    fmt::print(stderr, "overfit_weight_decay: {}\n", e.what());
    return 1;
}
