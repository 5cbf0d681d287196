// trainer.hpp — train: the book's train_neuralnet.py loop for any Model and optimizer.
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "../config.hpp"
#include "../data/dataset.hpp"
#include "../data/mnist.hpp"
#include "../io/atomic_file.hpp"
#include "../net/checkpoint.hpp"
#include "../optim/state_io.hpp"
#include "../optim/step.hpp"
#include "../parallel/pool.hpp"
#include "../random.hpp"
#include "batches.hpp"
#include "metrics.hpp"
#include "options.hpp"
#include "output_dir.hpp"
#include "progress.hpp"
#include "run_state.hpp"

namespace ctnet::inline CTNET_ABI {

// Mini-batch training as the book's train_neuralnet.py, on any data set
// (data/dataset.hpp: MNIST, a CSV file, your own): each step draws a
// random batch (with replacement, as np.random.choice), takes a gradient step,
// and every epoch (train_size / batch steps, starting at step 0) measures
// loss and accuracy over the whole training and test sets. After the last
// step comes one more measurement, the figures the summary reports.
//
// Files (options.out, prepared by prepare_output_dir: another run's files are
// refused unless options.output says to overwrite or resume them): every
// epoch rewrites metrics.csv, training.svg and model.ckpt, each atomically;
// the checkpoint holds the model, the optimizer's state and the run's
// position (RunState), so an interrupted run resumes (options.output =
// resume) and ends with the same model, bit for bit, as one that never
// stopped. Only the final checkpoint, and one every options.durable_every_s,
// waits for the disk (fsync); the others are atomic renames.
//
// Errors are ctnet::Error, and leave the files of the last good epoch: a loss
// that stops being finite (naming the step and the rate), a run that diverges
// (an epoch's training loss above twice the first batch's) or ends without
// learning (after at least an epoch, a final training loss not 5% below the
// first batch's; model.ckpt then keeps the epoch before), a learning rate
// the element type rounds to zero. When options.stop becomes true the run
// stops after the current step, writes its checkpoint and throws
// ctnet::Interrupted.
//
//     const ctnet::MnistRaw mnist = ctnet::read_mnist(options.data);
//     ctnet::Model<TwoLayerNet, float, 100> net(ctnet::Init::gaussian(0.01), options.seed);
//     ctnet::Sgd sgd{options.lr};
//     auto summary = ctnet::train(net, mnist, sgd, options);
template <class Model, class Data, class Optimizer>
    requires DataSet<Data, typename Model::Input::value_type>
TrainSummary train(Model& model, const Data& data, Optimizer& opt, const TrainOptions& options) {
    using T = typename Model::Input::value_type;
    using Clock = std::chrono::steady_clock;
    constexpr std::size_t B = Model::batch;
    const std::size_t train_size = data.train.size();
    if (train_size == 0) throw Error("the training set is empty");
    for (const std::size_t width : {std::size_t(data.train.width()), std::size_t(data.test.width())})
        if (width != Model::input_width)
            throw Error(fmt::format("the data's samples have {} values, the network '{}' takes {}", width,
                                    Model::describe(), Model::input_width));
    // A label the network has no output for would index past its scores.
    const auto check_labels = [&](const auto& labels, const char* split) {
        for (std::size_t i = 0; i < labels.size(); ++i)
            if (static_cast<std::uint64_t>(labels[i]) >= Model::output_width)
                throw Error(fmt::format("the {} set's label {} (sample {}) is out of range: the network has {} "
                                        "outputs, classes 0 to {}",
                                        split, static_cast<std::uint64_t>(labels[i]), i, Model::output_width,
                                        Model::output_width - 1));
    };
    check_labels(data.train.labels, "training");
    check_labels(data.test.labels, "test");
    const std::size_t iter_per_epoch = std::max<std::size_t>(train_size / B, 1);
    const auto check_rate = [](double lr, const char* whose) {
        if (!(static_cast<T>(lr) >= std::numeric_limits<T>::min()) || !std::isfinite(static_cast<T>(lr)))
            throw Error(fmt::format("{} learning rate {} is not a positive normal number in the network's element "
                                    "type, where it is {}: the run would train nothing",
                                    whose, lr, static_cast<T>(lr)));
    };
    check_rate(opt.lr, "the");

    prepare_output_dir(options);
    const auto ckpt = options.out / "model.ckpt";

    RunState run;
    run.iters = options.iters;
    run.seed = options.seed;
    run.batch = B;
    run.lr = opt.lr;
    run.lr_now = opt.lr;
    run.weight_decay = static_cast<double>(model.weight_decay());
    run.data = options.data.string();
    run.train_size = train_size;
    run.test_size = data.test.size();
    const auto label_checksum = [](const auto& labels) {
        return detail::checkpoint::fnv1a(reinterpret_cast<const char*>(labels.data()),
                                         labels.size() * sizeof(labels[0]));
    };
    run.data_fingerprint = label_checksum(data.train.labels) ^ (label_checksum(data.test.labels) * 31);
    Rng rng(options.seed ^ 0x5DEECE66Dull);  // batch sampling, independent of the weights' stream
    if (options.output == OutputPolicy::resume) {
        const std::vector<CheckpointSection> sections = load_checkpoint(model, ckpt);
        restore_optimizer(opt, model, sections);
        const RunState saved = parse_run_section(sections, ckpt);
        const auto differs = [&](const char* what, auto was, auto now) {
            if (was != now)
                throw Error(fmt::format("cannot resume the run in {}: it was started with {} {}, this run has {} "
                                        "(a resumed run must continue with the same settings and data)",
                                        options.out.string(), what, was, now));
        };
        differs("iters", saved.iters, run.iters);
        differs("seed", saved.seed, run.seed);
        differs("batch", saved.batch, run.batch);
        differs("learning rate", saved.lr, run.lr);
        differs("weight decay", saved.weight_decay, run.weight_decay);
        differs("training images", saved.train_size, run.train_size);
        differs("test images", saved.test_size, run.test_size);
        differs("data (label checksum)", saved.data_fingerprint, run.data_fingerprint);
        // A run killed after its final checkpoint (while writing its reports)
        // has nothing left to train: resuming it rewrites the reports and
        // returns its summary, so --resume always ends with the run's files whole.
        run = saved;
        rng.restore(run.rng);
        opt.lr = run.lr_now;  // where the run's schedule (TrainOptions::on_epoch) had taken it
    }

    // The run's threads (options.threads, if set), the program's count back at the end.
    std::optional<ThreadCount> run_threads;
    if (options.threads) run_threads.emplace(*options.threads);
    auto x = std::make_unique<typename Model::Input>();
    std::array<std::uint32_t, B> t{};
    std::vector<EpochMetrics>& epochs = run.epochs;
    Progress progress(options.iters, options.quiet);
    const auto start = Clock::now();
    auto last_durable = start;
    const double elapsed_before = run.elapsed_s, train_before = run.train_s;
    double train_seconds = 0;

    const auto elapsed = [&] { return elapsed_before + std::chrono::duration<double>(Clock::now() - start).count(); };
    const auto title = [&] {
        const std::string lr = opt.lr == run.lr ? fmt::format("lr {}", opt.lr)
                                                : fmt::format("lr {} (from {})", opt.lr, run.lr);
        return model.weight_decay() != 0
                   ? fmt::format("{}, {}, weight decay {}", Model::describe(), lr, model.weight_decay())
                   : fmt::format("{}, {}", Model::describe(), lr);
    };
    // The checkpoint of the run as it stands after `steps` steps.
    auto save = [&](std::size_t steps, Durability durability) {
        run.step = steps;
        run.lr_now = opt.lr;
        run.rng = rng.state();
        run.elapsed_s = elapsed();
        run.train_s = train_before + train_seconds;
        save_checkpoint(model, ckpt, {optimizer_section(opt, model), run_section(run)}, durability);
        if (durability == Durability::durable) last_durable = Clock::now();
    };
    auto write_reports = [&] {
        write_file_atomically(options.out / "metrics.csv", metrics_csv(epochs), Durability::atomic_only);
        write_file_atomically(options.out / "training.svg", training_plot_svg(epochs, title()), Durability::atomic_only);
    };
    // The checkpoint goes first: a kill between the files leaves reports that
    // lag the checkpoint, never run ahead of it, and --resume rewrites them.
    auto measure = [&](std::size_t epoch, std::size_t steps, bool last) {
        // The data stays as the data set keeps it (MNIST: bytes, a quarter of
        // the memory of floats); each row is converted as its batch is gathered.
        const std::size_t samples = last || options.eval_samples == 0 ? SIZE_MAX : options.eval_samples;
        const auto tr = evaluate_split(model, data.train, samples);
        const auto te = evaluate_split(model, data.test, samples);
        epochs.push_back({epoch, steps, tr.loss, tr.accuracy, te.loss, te.accuracy, elapsed()});
        progress.epoch(epochs.back());
        // A bad epoch is reported in the CSV and plot, but model.ckpt keeps the last good one.
        auto refuse = [&](const std::string& why) {
            write_reports();
            throw Error(why);
        };
        if (!std::isfinite(tr.loss) || (run.reference_loss > 0 && tr.loss > 2 * run.reference_loss))
            refuse(fmt::format("the run diverged: the training loss at epoch {} (step {}) is {:.4g}, more than "
                               "twice the untrained network's {:.4g}; the learning rate {} is too high ({} "
                               "keeps the checkpoint of the last good epoch)",
                               epoch, steps, tr.loss, run.reference_loss, opt.lr, ckpt.string()));
        // A run that ends no better than it started learnt nothing (at a rate
        // this high ReLUs die and the loss sits at chance): an error, not a result.
        if (last && steps >= iter_per_epoch && run.reference_loss > 0 && tr.loss >= 0.95 * run.reference_loss)
            refuse(fmt::format("the run did not learn: after {} steps the training loss is {:.4g} (accuracy "
                               "{:.3f}), no lower than the untrained network's {:.4g}; the learning rate {} "
                               "is too high (the activations died) or too low",
                               steps, tr.loss, tr.accuracy, run.reference_loss, opt.lr));
        if (options.on_epoch) {
            EpochEnd end{epochs, options.iters, opt.lr};
            options.on_epoch(end);
            if (end.lr != opt.lr && !last) {  // after the last step a new rate would apply to nothing
                check_rate(end.lr, "the schedule's (TrainOptions::on_epoch)");
                opt.lr = end.lr;
            }
        }
        const bool durable = last || std::chrono::duration<double>(Clock::now() - last_durable).count() >=
                                         options.durable_every_s;
        save(steps, durable ? Durability::durable : Durability::atomic_only);
        write_reports();
    };

    // The batch's sample indices. Where the data can prefetch, the next
    // batch's are drawn at the end of a step (into `next`, from a copy of the
    // generator, so the one saved in checkpoints is where this step leaves
    // it) and requested then, to arrive while the step computes; the next
    // step takes them and the copy's state instead of drawing again.
    constexpr bool prefetching = requires { data.train.prefetch_row(std::size_t{0}); };
    std::array<std::size_t, B> batch{}, next{};
    Rng ahead = rng;
    bool drawn_ahead = false;
    for (std::size_t i = run.step; i < options.iters; ++i) {
        const auto t0 = Clock::now();
        if (drawn_ahead) {
            batch = next;
            rng = ahead;
        } else {
            for (auto& k : batch) k = rng.below(train_size);
        }
        gather_rows(data.train, B, [&](std::size_t r) { return batch[r]; }, *x);
        for (std::size_t r = 0; r < B; ++r) t[r] = static_cast<std::uint32_t>(data.train.labels[batch[r]]);
        if constexpr (prefetching) {
            ahead = rng;
            // Each request right after its draw, on this thread: issued back to back
            // (or split among the threads) most were dropped, on a Zen 5,
            // and the gather took 42 us instead of 9.
            for (auto& k : next) data.train.prefetch_row(k = ahead.below(train_size));
            drawn_ahead = true;
        }
        const T loss = train_step(model, *x, t, opt);
        train_seconds += std::chrono::duration<double>(Clock::now() - t0).count();
        if (!std::isfinite(loss))
            throw Error("the loss became " + std::string(std::isnan(loss) ? "NaN" : "infinite") + " at step " +
                        std::to_string(i) + "; the learning rate " + fmt::format("{}", opt.lr) +
                        " may be too high (files in " + options.out.string() + " hold the epochs before)");
        if (i == 0) run.reference_loss = static_cast<double>(loss);  // computed before the update
        progress.step(i + 1, loss);
        const bool last = i + 1 == options.iters;
        if (i % iter_per_epoch == 0) measure(i / iter_per_epoch, i + 1, last);
        if (!last && options.stop && options.stop->load()) {
            progress.finish();
            save(i + 1, Durability::durable);
            throw Interrupted(fmt::format("interrupted after step {} of {}; {} holds the run: add --resume to "
                                          "continue it",
                                          i + 1, options.iters, ckpt.string()));
        }
    }
    progress.finish();
    if (run.step == options.iters && !epochs.empty() && epochs.back().iteration == options.iters)
        write_reports();  // a finished run resumed: its last measurement is in the checkpoint
    else if (options.iters == 0 || (options.iters - 1) % iter_per_epoch != 0)
        measure(epochs.empty() ? 0 : epochs.back().epoch + 1, options.iters, true);

    const EpochMetrics& last = epochs.back();
    TrainSummary s;
    s.iters = options.iters;
    s.epochs = epochs.size();
    s.train_acc = last.train_acc;
    s.test_acc = last.test_acc;
    s.final_loss = last.train_loss;
    s.wall_s = elapsed();
    s.ms_per_iter = options.iters ? 1e3 * run.train_s / static_cast<double>(options.iters) : 0;
    s.data = options.data.string();
    s.threads = ctnet::threads();
    return s;
}

}  // namespace ctnet
