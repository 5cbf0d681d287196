// batch_norm_test.cpp — the book's ch06/batch_norm_test.py (figure 6-19): a six-layer
// ReLU network, 784-[100 x 5]-10, with and without a BatchNorm after each hidden Affine
// (the book's MultiLayerNetExtend), started from N(0, w^2) weights for 16 scales w
// from 1 down to 1e-4 (np.logspace(0, -4, 16)), each pair trained by SGD at 0.01 on
// the same batches of 100 from the first 1000 training images for 20 epochs. The
// figure is 16 panels of training accuracy per epoch: with BatchNorm every scale
// learns, and fast; without it, only a narrow band of scales does.
//
//     build/examples/batch_norm_test
#include <cmath>

#include "experiment.hpp"

// The book's Affine - BatchNorm - ReLU, and Affine - ReLU.
using WithBatchNorm = ctnet::Sequential<ctnet::Affine<784, 100>, ctnet::BatchNorm, ctnet::Relu,
                                        ctnet::Repeat<4, ctnet::Affine<100, 100>, ctnet::BatchNorm, ctnet::Relu>,
                                        ctnet::Affine<100, 10>, ctnet::SoftmaxWithLoss>;
using Plain = ctnet::Sequential<ctnet::Affine<784, 100>, ctnet::Relu, ctnet::Repeat<4, ctnet::Affine<100, 100>, ctnet::Relu>,
                                ctnet::Affine<100, 10>, ctnet::SoftmaxWithLoss>;

int main(int argc, char** argv) try {
    experiment::Flags flags("batch_norm_test",
                            "The book's BatchNorm experiment (6.3.2): one deep network with and without\n"
                            "BatchNorm, from 16 weight scales, on 1000 training images.");
    std::size_t epochs = 20, samples = 1000, scales = 16;
    flags.count("--epochs", &epochs, "epochs (train size / 100 steps each) per run");
    flags.count("--samples", &samples, "training images, the first of the set");
    flags.count("--scales", &scales, "weight scales from 1 to 1e-4, evenly on a log scale", 2);
    if (!flags.parse(argc, argv)) return 0;
    const ctnet::MnistRaw mnist = ctnet::read_mnist(flags.data);
    const ctnet::DataPair<ctnet::Subset<ctnet::MnistBytes>, const ctnet::MnistBytes&> data{
        ctnet::Subset(mnist.train, ctnet::first_rows(std::min(samples, mnist.train.size()))), mnist.test};

    std::vector<ctnet::ChartPanel> panels;
    std::size_t bn_ahead = 0;
    for (std::size_t k = 0; k < scales; ++k) {
        const double w = std::pow(10.0, -4.0 * static_cast<double>(k) / static_cast<double>(scales - 1));
        auto train = [&]<class Net>(Net*) {
            auto model = std::make_unique<ctnet::Model<Net, float, 100>>(ctnet::Init::gaussian(w), flags.seed);
            ctnet::Sgd sgd{0.01};
            return experiment::train_epochs(*model, sgd, data, epochs, ctnet::Rng(flags.seed + 1));
        };
        const auto bn = train(static_cast<WithBatchNorm*>(nullptr));
        const auto plain = train(static_cast<Plain*>(nullptr));
        bn_ahead += bn.back().train_acc > plain.back().train_acc;
        flags.say("w = {:<10.4g} train accuracy after {} epochs: BatchNorm {:.3f}, without {:.3f}\n", w, epochs,
                  bn.back().train_acc, plain.back().train_acc);
        panels.push_back({fmt::format("W: {:.3g}", w), "epochs", "accuracy",
                          {{"BatchNorm", experiment::epoch_numbers(bn),
                            experiment::column(bn, &ctnet::EpochMetrics::train_acc)},
                           {"without", experiment::epoch_numbers(plain),
                            experiment::column(plain, &ctnet::EpochMetrics::train_acc), true}},
                          0.0, 1.0});
    }
    flags.say("BatchNorm ahead at {} of {} scales\n", bn_ahead, scales);
    experiment::write_figure(flags, fmt::format("training accuracy with and without BatchNorm, {} images ({})",
                                                data.train.size(), flags.data.filename().string()),
                             panels, 4);
} catch (const std::exception& e) {
    fmt::print(stderr, "batch_norm_test: {}\n", e.what());
    return 1;
}
