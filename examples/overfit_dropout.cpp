// overfit_dropout.cpp — the book's ch06/overfit_dropout.py (figure 6-23): the
// seven-layer network of overfit_weight_decay with a Dropout after every hidden ReLU
// (the book's MultiLayerNetExtend: the book's Dropout, scaling by 1 - ratio at
// inference), trained by SGD at 0.01 on the first 300 training images in batches of
// 100 for 301 epochs (the book's Trainer), once with ratio 0.2 and once without.
// Dropout narrows the gap between training and test accuracy.
//
//     build/examples/overfit_dropout
//     build/examples/overfit_dropout --dropout 0.15 --epochs 101
#include "experiment.hpp"

using Net = ctnet::Sequential<ctnet::Affine<784, 100>, ctnet::Relu, ctnet::Dropout,
                              ctnet::Repeat<5, ctnet::Affine<100, 100>, ctnet::Relu, ctnet::Dropout>,
                              ctnet::Affine<100, 10>, ctnet::SoftmaxWithLoss>;
using Model = ctnet::Model<Net, float, 100>;

int main(int argc, char** argv) try {
    experiment::Flags flags("overfit_dropout",
                            "The book's Dropout experiment (6.4.3): 300 training images, a deep network with\n"
                            "a Dropout after every hidden layer, 301 epochs; once without dropping anything.");
    std::size_t epochs = 301, samples = 300;
    double ratio = 0.2;
    flags.count("--epochs", &epochs, "epochs (each train size / 100 steps) per run");
    flags.count("--samples", &samples, "training images, the first of the set");
    flags.real("--dropout", &ratio, "the dropout ratio of the second run, below 1");
    if (!flags.parse(argc, argv)) return 0;
    if (!(ratio < 1)) throw ctnet::Error(fmt::format("--dropout {} drops everything: give a ratio below 1", ratio));
    const ctnet::MnistRaw mnist = ctnet::read_mnist(flags.data);
    const ctnet::DataPair<ctnet::Subset<ctnet::MnistBytes>, const ctnet::MnistBytes&> data{
        ctnet::Subset(mnist.train, ctnet::first_rows(std::min(samples, mnist.train.size()))), mnist.test};

    std::vector<ctnet::ChartPanel> panels;
    for (const double r : {0.0, ratio}) {
        auto model = std::make_unique<Model>(ctnet::Init::he(), flags.seed);
        model->set_dropout(r);
        ctnet::Sgd sgd{0.01};
        const auto e = experiment::train_epochs(*model, sgd, data, epochs, ctnet::Rng(flags.seed + 1));
        const std::string title = r == 0 ? std::string("no dropout") : fmt::format("dropout ratio {}", r);
        panels.push_back(experiment::accuracy_panel(flags, title, e));
    }
    experiment::write_figure(flags, fmt::format("{} training images, 784-[100x6]-10 with Dropout, SGD 0.01 ({})",
                                                data.train.size(), flags.data.filename().string()),
                             panels, 2);
} catch (const std::exception& e) {
    fmt::print(stderr, "overfit_dropout: {}\n", e.what());
    return 1;
}
