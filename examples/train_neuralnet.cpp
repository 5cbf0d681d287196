// train_neuralnet.cpp — the book's ch05/train_neuralnet.py: TwoLayerNet, mini-batch SGD, MNIST.
//
//     train_neuralnet                       # the bundled 8,000/2,000 real digits
//     train_neuralnet --data fashion        # Fashion-MNIST, 60,000/10,000
//     train_neuralnet --data ~/mnist        # any directory with the four MNIST files
//     train_neuralnet --optimizer adam      # any of the book's six optimizers (chapter 6)
//     train_neuralnet --resume              # continue a run stopped by Ctrl-C or a crash
//
// Prints train and test accuracy every epoch (a progress bar on a terminal),
// writes out/metrics.csv, out/training.svg and out/model.ckpt (every epoch),
// and ends with one line of JSON. --help lists the options.
#include <fmt/core.h>

#include <chrono>
#include <ctnet/ctnet.hpp>
#include <exception>

using TwoLayerNet = ctnet::Sequential<ctnet::Affine<784, 50>, ctnet::Relu, ctnet::Affine<50, 10>,
                                      ctnet::SoftmaxWithLoss>;

int main(int argc, char** argv) try {
    ctnet::TrainOptions options;
    if (!ctnet::parse_train_options(argc, argv, ctnet::bundled_mnist_dir(), options)) return 0;
    // Resumed, the run's own settings from its checkpoint: data, steps, optimizer, rate, seed.
    if (options.output == ctnet::OutputPolicy::resume) ctnet::take_resumed_settings(options);
    options.stop = ctnet::interrupt_flag();  // Ctrl-C: finish the step, save, exit
    ctnet::set_threads(*options.threads);     // --threads: loading, steps and evaluations (0: every core)

    const auto t0 = std::chrono::steady_clock::now();
    const ctnet::MnistRaw mnist = ctnet::read_mnist(options.data);  // bytes; train() normalises each batch
    const double load_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!options.quiet)
        fmt::print("{}: {} training and {} test images ({:.2f} s to load)\n", options.data.string(), mnist.train.size(),
                   mnist.test.size(), load_s);

    ctnet::TrainSummary summary = ctnet::with_optimizer(options, [&](auto optimizer) {
        ctnet::Model<TwoLayerNet, float, 100> network(ctnet::Init::gaussian(0.01), options.seed);
        network.set_weight_decay(static_cast<float>(options.weight_decay));
        return ctnet::train(network, mnist, optimizer, options);
    });
    summary.load_s = load_s;
    fmt::print("{}\n", ctnet::summary_json(summary));
    ctnet::flush_output();
} catch (const ctnet::Interrupted& e) {
    fmt::print(stderr, "train_neuralnet: {}\n", e.what());
    return 130;  // as a shell reports a program ended by SIGINT
} catch (const std::exception& e) {
    fmt::print(stderr, "train_neuralnet: {}\n", e.what());
    return 1;
}
