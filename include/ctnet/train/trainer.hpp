// trainer.hpp — train: the book's train_neuralnet.py loop for any Model and optimizer.
#pragma once

#include <fmt/format.h>

#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "../config.hpp"
#include "../data/mnist.hpp"
#include "../io/atomic_file.hpp"
#include "../net/checkpoint.hpp"
#include "../optim/step.hpp"
#include "../random.hpp"
#include "metrics.hpp"
#include "options.hpp"
#include "progress.hpp"

namespace ctnet::inline CTNET_ABI {

// Mini-batch training as the book's train_neuralnet.py: each step draws a
// random batch (with replacement, as np.random.choice), takes a gradient step,
// and every epoch (train_size / batch steps, starting at step 0) measures
// loss and accuracy over the whole training and test sets. After the last
// step comes one more measurement, the figures the summary reports.
//
// Every epoch rewrites options.out/metrics.csv and training.svg, each
// atomically; the end adds model.ckpt. A loss that stops being finite stops
// the run with ctnet::Error naming the step and the learning rate.
//
//     const ctnet::MnistRaw mnist = ctnet::read_mnist(options.data);
//     ctnet::Model<TwoLayerNet, float, 100> net(ctnet::Init::gaussian(0.01), options.seed);
//     ctnet::Sgd sgd{options.lr};
//     auto summary = ctnet::train(net, mnist, sgd, options);
template <class Model, class Optimizer>
TrainSummary train(Model& model, const MnistRaw& data, Optimizer& opt, const TrainOptions& options) {
    using T = typename Model::Input::value_type;
    using Clock = std::chrono::steady_clock;
    constexpr std::size_t B = Model::batch;
    static_assert(Model::input_width == 784, "ctnet::train feeds MNIST images: the network's input width must be 784");
    const std::size_t train_size = data.train.size();
    if (train_size == 0) throw Error("the training set is empty");
    const std::size_t iter_per_epoch = std::max<std::size_t>(train_size / B, 1);

    std::error_code ec;
    std::filesystem::create_directories(options.out, ec);
    if (ec) throw Error("cannot create the output directory " + options.out.string() + ": " + ec.message());

    Rng rng(options.seed ^ 0x5DEECE66Dull);  // batch sampling, independent of the weights' stream
    auto x = std::make_unique<typename Model::Input>();
    std::array<std::uint8_t, B> t{};
    std::vector<EpochMetrics> epochs;
    Progress progress(options.iters, options.quiet);
    const auto start = Clock::now();
    double train_seconds = 0;

    // Images stay bytes (a quarter of the memory of floats); each batch is
    // normalised to [0, 1] as it is gathered, exactly as the book's
    // normalize=True (normalise_pixel).
    auto gather = [&](const MnistBytes& split, std::size_t k, std::size_t row, typename Model::Input& into) {
        const std::uint8_t* src = split.images.data() + k * 784;
        T* dst = into.row_ptr(row);
        for (std::size_t j = 0; j < 784; ++j) dst[j] = normalise_pixel<T>(src[j]);
    };
    auto evaluate = [&](const MnistBytes& split) {
        return model.evaluate_batches(
            split.size(),
            [&](std::size_t first, std::size_t count, typename Model::Input& into) {
                for (std::size_t r = 0; r < count; ++r) gather(split, first + r, r, into);
            },
            split.labels);
    };
    auto measure = [&](std::size_t epoch, std::size_t iteration) {
        const auto tr = evaluate(data.train);
        const auto te = evaluate(data.test);
        epochs.push_back({epoch, iteration, tr.loss, tr.accuracy, te.loss, te.accuracy,
                          std::chrono::duration<double>(Clock::now() - start).count()});
        progress.epoch(epochs.back());
        write_file_atomically(options.out / "metrics.csv", metrics_csv(epochs));
        write_file_atomically(options.out / "training.svg",
                              training_plot_svg(epochs, fmt::format("{}, lr {}", Model::describe(), options.lr)));
    };

    for (std::size_t i = 0; i < options.iters; ++i) {
        const auto t0 = Clock::now();
        for (std::size_t r = 0; r < B; ++r) {
            const std::size_t k = rng.below(train_size);
            gather(data.train, k, r, *x);
            t[r] = data.train.labels[k];
        }
        const T loss = train_step(model, *x, t, opt);
        train_seconds += std::chrono::duration<double>(Clock::now() - t0).count();
        if (!std::isfinite(loss))
            throw Error("the loss became " + std::string(std::isnan(loss) ? "NaN" : "infinite") + " at step " +
                        std::to_string(i) + "; the learning rate " + fmt::format("{}", options.lr) +
                        " may be too high (files in " + options.out.string() + " hold the epochs before)");
        progress.step(i + 1, loss);
        if (i % iter_per_epoch == 0) measure(i / iter_per_epoch, i + 1);
    }
    progress.finish();
    if (options.iters == 0 || (options.iters - 1) % iter_per_epoch != 0)
        measure(epochs.empty() ? 0 : epochs.back().epoch + 1, options.iters);
    save_checkpoint(model, options.out / "model.ckpt");

    const EpochMetrics& last = epochs.back();
    TrainSummary s;
    s.iters = options.iters;
    s.epochs = epochs.size();
    s.train_acc = last.train_acc;
    s.test_acc = last.test_acc;
    s.final_loss = last.train_loss;
    s.wall_s = std::chrono::duration<double>(Clock::now() - start).count();
    s.ms_per_iter = options.iters ? 1e3 * train_seconds / static_cast<double>(options.iters) : 0;
    s.data = options.data.string();
    return s;
}

}  // namespace ctnet
