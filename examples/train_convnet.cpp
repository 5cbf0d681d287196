// train_convnet.cpp — the book's ch07/train_convnet.py: SimpleConvNet trained by Adam.
//
//     train_convnet                          # the bundled 8,000/2,000 real digits, 20 epochs
//     train_convnet --data fashion           # Fashion-MNIST, 60,000/10,000
//     train_convnet --eval-samples 0         # measure every epoch on the whole sets
//     train_convnet --resume                 # continue a run stopped by Ctrl-C or a crash
//
// The network is the book's: Conv 30 filters of 5 x 5 (stride 1, no padding)
// - ReLU - max pooling 2 x 2 (stride 2) - Affine 100 - ReLU - Affine 10 -
// softmax, weights N(0, 0.01^2); Adam at 0.001, batches of 100, 20 epochs, and
// each epoch measured on the first 1,000 images of each set as the book's
// Trainer (evaluate_sample_num_per_epoch=1000), the last on all of them.
// Writes out/metrics.csv, out/training.svg and out/model.ckpt every epoch and
// ends with one line of JSON, as train_neuralnet; --help lists the options.
#include <fmt/core.h>

#include <chrono>
#include <ctnet/ctnet.hpp>
#include <exception>

using SimpleConvNet = ctnet::Sequential<ctnet::Input<ctnet::Shape<1, 28, 28>{}>,
                                        ctnet::Convolution<30, 5, 5>, ctnet::Relu, ctnet::Pooling<2, 2, 2>,
                                        ctnet::Affine<30 * 12 * 12, 100>, ctnet::Relu,
                                        ctnet::Affine<100, 10>, ctnet::SoftmaxWithLoss>;
constexpr std::size_t Batch = 100, Epochs = 20;

int main(int argc, char** argv) try {
    ctnet::TrainOptions options;
    options.optimizer = "adam";  // the book's, at its rate 0.001
    options.iters = 0;           // unless --iters: 20 epochs of the data
    options.eval_samples = 1000;
    if (!ctnet::parse_train_options(argc, argv, ctnet::bundled_mnist_dir(), options)) return 0;
    if (options.output == ctnet::OutputPolicy::resume) ctnet::take_resumed_settings(options);
    options.stop = ctnet::interrupt_flag();
    ctnet::set_threads(*options.threads);

    const auto t0 = std::chrono::steady_clock::now();
    const ctnet::MnistRaw mnist = ctnet::read_mnist(options.data);
    const double load_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (options.iters == 0) options.iters = Epochs * std::max<std::size_t>(mnist.train.size() / Batch, 1);
    if (!options.quiet)
        fmt::print("{}: {} training and {} test images ({:.2f} s to load); {} steps\n", options.data.string(),
                   mnist.train.size(), mnist.test.size(), load_s, options.iters);

    ctnet::TrainSummary summary = ctnet::with_optimizer(options, [&](auto optimizer) {
        // About 2 MB of weights and 60 MB of activations and panels: on the heap.
        auto network = std::make_unique<ctnet::Model<SimpleConvNet, float, Batch>>(ctnet::Init::gaussian(0.01),
                                                                                    options.seed);
        network->set_weight_decay(static_cast<float>(options.weight_decay));
        return ctnet::train(*network, mnist, optimizer, options);
    });
    summary.load_s = load_s;
    fmt::print("{}\n", ctnet::summary_json(summary));
    ctnet::flush_output();
} catch (const ctnet::Interrupted& e) {
    fmt::print(stderr, "train_convnet: {}\n", e.what());
    return 130;
} catch (const std::exception& e) {
    fmt::print(stderr, "train_convnet: {}\n", e.what());
    return 1;
}
