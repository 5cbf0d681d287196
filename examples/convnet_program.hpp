// convnet_program.hpp — the main() of train_convnet and deep_convnet: the book's Trainer for a convolutional network.
//
// Both programs are the book's training scripts (ch07/train_convnet.py,
// ch08/train_deepnet.py): Adam at 0.001, batches of 100, 20 epochs, each
// epoch measured on the first 1,000 images of each set as the book's Trainer
// (evaluate_sample_num_per_epoch=1000), the last on all of them. They differ
// in the network and its initial weights only, which each passes here.
// Writes out/metrics.csv, out/training.svg and out/model.ckpt every epoch and
// ends with one line of JSON, as train_neuralnet; --help lists the options.
#pragma once

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <ctnet/ctnet.hpp>
#include <exception>
#include <memory>

namespace examples {

template <class Net>
int convnet_main(int argc, char** argv, const char* program, ctnet::Init init) try {
    constexpr std::size_t Batch = 100, Epochs = 20;
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
        // Megabytes of weights, activations and im2col panels: on the heap.
        auto network = std::make_unique<ctnet::Model<Net, float, Batch>>(init, options.seed);
        network->set_weight_decay(static_cast<float>(options.weight_decay));
        return ctnet::train(*network, mnist, optimizer, options);
    });
    summary.load_s = load_s;
    fmt::print("{}\n", ctnet::summary_json(summary));
    ctnet::flush_output();
    return 0;
} catch (const ctnet::Interrupted& e) {
    fmt::print(stderr, "{}: {}\n", program, e.what());
    return 130;
} catch (const std::exception& e) {
    fmt::print(stderr, "{}: {}\n", program, e.what());
    return 1;
}

}  // namespace examples
