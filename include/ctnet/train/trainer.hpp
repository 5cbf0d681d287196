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
#include "../data/shard.hpp"
#include "../distributed/communicator.hpp"
#include "../distributed/fusion_buffer.hpp"
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
#include "sampler.hpp"

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
//
// Distributed (options.communicator set; docs/distributed.md): every rank
// calls train() alike, on its own shard of the data. Rank 0's weights are
// sent to all; each step every rank draws its rows of the global batch
// (train/sampler.hpp), computes their gradient, and one allreduce of all
// gradients (FusionBuffer) gives every rank the global batch's mean, from
// which each applies the same update: the ranks' weights stay bit-identical
// (checked at every measurement). Evaluation is split across the ranks.
// Rank 0 alone prints and writes the files. An error on one rank (its data,
// rank 0's files) ends the run on every rank with CollectiveError naming it.
template <class Model, class Data, class Optimizer>
    requires DataSet<Data, typename Model::Input::value_type>
TrainSummary train(Model& model, const Data& data, Optimizer& opt, const TrainOptions& options) {
    using T = typename Model::Input::value_type;
    using Clock = std::chrono::steady_clock;
    constexpr std::size_t B = Model::batch;
    Communicator* const comm = options.communicator;
    const bool leader = !comm || comm->rank() == 0;
    // Work that may fail on one rank alone: every rank learns of it.
    const auto together = [&](auto&& f) {
        if (comm) collectively(*comm, f);
        else f();
    };
    // An error every rank raises at the same point, from the same (summed) figures.
    const auto fail = [&](const std::string& why) {
        if (comm) throw CollectiveError(why);
        throw Error(why);
    };

    // A distributed run's shard: its rows of each global batch and the
    // samples they are drawn from; the split sizes are the whole data set's.
    const std::size_t ranks = comm ? comm->size() : 1;
    const Shard shard{comm ? comm->rank() : 0, ranks, options.global_batch ? options.global_batch : B * ranks};
    std::size_t train_size = data.train.size(), test_size = data.test.size();
    SampleRange train_part{0, train_size}, test_part{0, test_size}, rows{0, B};
    std::uint64_t fingerprint = 0;
    const auto label_checksum = [](const auto& labels) {
        return detail::checkpoint::fnv1a(reinterpret_cast<const char*>(labels.data()),
                                         labels.size() * sizeof(labels[0]));
    };
    together([&] {
        for (const std::size_t width : {std::size_t(data.train.width()), std::size_t(data.test.width())})
            if (width != Model::input_width)
                throw Error(fmt::format("the data's samples have {} values, the network '{}' takes {}", width,
                                        Model::describe(), Model::input_width));
        // A label the network has no output for would index past its scores.
        const auto check_labels = [&](const auto& labels, const char* split, std::size_t first) {
            for (std::size_t i = 0; i < labels.size(); ++i)
                if (static_cast<std::uint64_t>(labels[i]) >= Model::output_width)
                    throw Error(fmt::format("the {} set's label {} (sample {}) is out of range: the network has {} "
                                            "outputs, classes 0 to {}",
                                            split, static_cast<std::uint64_t>(labels[i]), first + i,
                                            Model::output_width, Model::output_width - 1));
        };
        if (comm) {
            if constexpr (Model::has_layer_state)
                throw Error(fmt::format("the network '{}' keeps state of its own (BatchNorm's statistics, "
                                        "Dropout's generator), which a distributed run would have to keep alike "
                                        "on every rank: ctnet trains it on one process only",
                                        Model::describe()));
            shard.check();
            rows = shard.batch_rows();
            if (rows.size() > B)
                throw Error(fmt::format("its rows of the global batch of {} are {}, more than the model's batch of "
                                        "{} (declare the model with a batch of at least {})",
                                        shard.global_batch, rows.size(), B, rows.size()));
        }
        if (comm) {
            // Every rank's split sizes, for the totals and for an error that shows them all.
            std::vector<std::uint64_t> sizes(2 * ranks, 0);
            sizes[2 * shard.rank] = train_size;
            sizes[2 * shard.rank + 1] = test_size;
            comm->allreduce_sum(sizes);
            train_size = test_size = 0;
            std::string held;
            for (std::size_t r = 0; r < ranks; ++r) {
                train_size += sizes[2 * r];
                test_size += sizes[2 * r + 1];
                held += fmt::format("{}rank {} {}/{}", r ? ", " : "", r, sizes[2 * r], sizes[2 * r + 1]);
            }
            train_part = shard.train_rows(train_size);
            test_part = shard.test_rows(test_size);
            if (data.train.size() != train_part.size() || data.test.size() != test_part.size())
                throw Error(fmt::format("it holds {} training and {} test samples, not its shard of the {} and {} "
                                        "all ranks hold together ({} training/test): samples [{}, {}) and [{}, {}) "
                                        "(read them with read_mnist(dir, shard), data/shard.hpp)",
                                        data.train.size(), data.test.size(), train_size, test_size, held,
                                        train_part.first, train_part.last, test_part.first, test_part.last));
            if (train_size < shard.global_batch)
                throw Error(fmt::format("{} training samples, fewer than the global batch of {}", train_size,
                                        shard.global_batch));
        }
        if (train_size == 0) throw Error("the training set is empty");
        check_labels(data.train.labels, "training", train_part.first);
        check_labels(data.test.labels, "test", test_part.first);
        if (comm) {
            // The same for every way of cutting the data into shards: a sum over the samples.
            std::uint64_t sum = 0;
            const auto add = [&](const auto& labels, std::size_t first, std::uint64_t salt) {
                for (std::size_t i = 0; i < labels.size(); ++i)
                    sum += detail::checkpoint::fnv1a(
                        reinterpret_cast<const char*>(std::array<std::uint64_t, 3>{
                            salt, first + i, static_cast<std::uint64_t>(labels[i])}.data()),
                        24);
            };
            add(data.train.labels, train_part.first, 1);
            add(data.test.labels, test_part.first, 2);
            comm->allreduce_sum(std::span(&sum, 1));
            fingerprint = sum;
        } else {
            fingerprint = label_checksum(data.train.labels) ^ (label_checksum(data.test.labels) * 31);
        }
    });
    const std::size_t global_batch = comm ? shard.global_batch : B;
    const std::size_t iter_per_epoch = std::max<std::size_t>(train_size / global_batch, 1);
    const auto check_rate = [](double lr, const char* whose) {
        if (!(static_cast<T>(lr) >= std::numeric_limits<T>::min()) || !std::isfinite(static_cast<T>(lr)))
            throw Error(fmt::format("{} learning rate {} is not a positive normal number in the network's element "
                                    "type, where it is {}: the run would train nothing",
                                    whose, lr, static_cast<T>(lr)));
    };
    check_rate(opt.lr, "the");

    together([&] {
        if (leader) prepare_output_dir(options);
    });
    const auto ckpt = options.out / "model.ckpt";

    RunState run;
    run.iters = options.iters;
    run.seed = options.seed;
    run.batch = global_batch;
    run.lr = opt.lr;
    run.lr_now = opt.lr;
    run.weight_decay = static_cast<double>(model.weight_decay());
    run.data = options.data.string();
    run.train_size = train_size;
    run.test_size = test_size;
    run.data_fingerprint = fingerprint;
    run.sampler = comm ? "stratified" : "book";
    Rng rng(options.seed ^ 0x5DEECE66Dull);  // batch sampling, independent of the weights' stream
    if (options.output == OutputPolicy::resume) {
        // A distributed run's checkpoint is rank 0's: it sends the bytes to the others.
        std::string bytes;
        together([&] {
            if (leader) bytes = read_regular_file(ckpt, checkpoint_size_limit(model));
        });
        if (comm) bytes = broadcast_string(*comm, std::move(bytes), 0);
        const std::vector<CheckpointSection> sections = load_checkpoint_bytes(model, bytes, "checkpoint " + ckpt.string());
        restore_optimizer(opt, model, sections);
        const RunState saved = parse_run_section(sections, ckpt);
        const auto differs = [&](const char* what, auto was, auto now) {
            if (was != now)
                throw Error(fmt::format("cannot resume the run in {}: it was started with {} {}, this run has {} "
                                        "(a resumed run must continue with the same settings and data)",
                                        options.out.string(), what, was, now));
        };
        if (saved.sampler != run.sampler)
            throw Error(fmt::format("cannot resume the run in {}: it drew its batches with the {} sampler, this run "
                                    "draws with the {} one ({}; docs/distributed.md)",
                                    options.out.string(), saved.sampler, run.sampler,
                                    comm ? "resume it without --distributed" : "resume it with --distributed"));
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

    // A distributed run's gradients (and the step's loss and stop request)
    // travel in one buffer; every rank starts from rank 0's weights.
    std::optional<FusionBuffer<T>> fusion;
    if (comm) {
        fusion.emplace(model, 2);
        fusion->pack_params(model);
        const std::span<T> p = fusion->params();
        comm->broadcast(std::span(reinterpret_cast<char*>(p.data()), p.size_bytes()), 0);
        fusion->unpack_params(model);
    }

    // The run's threads (options.threads, if set), the program's count back at the end.
    std::optional<ThreadCount> run_threads;
    if (options.threads) run_threads.emplace(*options.threads);
    auto x = std::make_unique<typename Model::Input>();
    x->set_zero();  // rows past a rank's share are padding, and must be finite
    std::array<std::uint32_t, B> t{};
    std::vector<EpochMetrics>& epochs = run.epochs;
    Progress progress(options.iters, options.quiet || !leader);
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
        if (leader) save_checkpoint(model, ckpt, {optimizer_section(opt, model), run_section(run)}, durability);
        if (durability == Durability::durable) last_durable = Clock::now();
    };
    auto write_reports = [&] {
        if (!leader) return;
        write_file_atomically(options.out / "metrics.csv", metrics_csv(epochs), Durability::atomic_only);
        write_file_atomically(options.out / "training.svg", training_plot_svg(epochs, title()), Durability::atomic_only);
    };
    // Loss and accuracy over the first `samples` samples of a split; each
    // rank measures those in its part, and the sums are added up.
    const auto evaluate = [&](const auto& split, SampleRange part, std::size_t samples) {
        struct Result {
            double loss, accuracy;
        };
        if (!comm) {
            const auto r = evaluate_split(model, split, samples);
            return Result{r.loss, r.accuracy};
        }
        const std::size_t upto = std::min(samples, part.last);
        const std::size_t mine = upto > part.first ? upto - part.first : 0;
        double sums[3] = {0, 0, static_cast<double>(mine)};
        if (mine) {
            const auto r = evaluate_split(model, split, mine);
            sums[0] = r.loss * static_cast<double>(mine);
            sums[1] = std::round(r.accuracy * static_cast<double>(mine));  // samples right
        }
        comm->allreduce_sum(sums);
        return sums[2] > 0 ? Result{sums[0] / sums[2], sums[1] / sums[2]} : Result{0, 0};
    };
    // The checkpoint goes first: a kill between the files leaves reports that
    // lag the checkpoint, never run ahead of it, and --resume rewrites them.
    auto measure = [&](std::size_t epoch, std::size_t steps, bool last) {
        // The data stays as the data set keeps it (MNIST: bytes, a quarter of
        // the memory of floats); each row is converted as its batch is gathered.
        const std::size_t samples = last || options.eval_samples == 0 ? SIZE_MAX : options.eval_samples;
        const auto tr = evaluate(data.train, train_part, samples);
        const auto te = evaluate(data.test, test_part, samples);
        epochs.push_back({epoch, steps, tr.loss, tr.accuracy, te.loss, te.accuracy, elapsed()});
        progress.epoch(epochs.back());
        if (comm) {
            // The ranks' weights are the same bits, or the run is wrong: compare checksums.
            fusion->pack_params(model);
            const std::uint64_t sum = fusion->checksum();
            std::uint64_t seen[2] = {sum, ~sum};
            comm->allreduce_max(seen);
            if (seen[0] != sum || seen[1] != ~sum)
                fail(fmt::format("the ranks' weights differ after step {}: every rank applies the same update "
                                 "to the same weights, so their allreduce gave them different sums",
                                 steps));
        }
        // A bad epoch is reported in the CSV and plot, but model.ckpt keeps the last good one.
        auto refuse = [&](const std::string& why) {
            together(write_reports);
            fail(why);
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
        together([&] {
            save(steps, durable ? Durability::durable : Durability::atomic_only);
            write_reports();
        });
    };

    // The batch's sample indices. Where the data can prefetch, the next
    // batch's are drawn before this one is gathered (into `next`, from a copy
    // of the generator, so the one saved in checkpoints is where this step
    // leaves it) and requested during the gather; the next step takes them
    // and the copy's state instead of drawing again.
    constexpr bool prefetching = requires { data.train.prefetch_row(std::size_t{0}); };
    std::array<std::size_t, B> batch{}, next{};
    Rng ahead = rng;
    bool drawn_ahead = false;
    // A distributed run's rows of step i: samples of its shard, by the stratified sampler.
    const std::size_t count = rows.size();
    const auto draw_rows = [&](std::size_t step, std::array<std::size_t, B>& into) {
        for (std::size_t r = 0; r < count; ++r)
            into[r] = stratified_sample(options.seed, step, rows.first + r, shard, train_size) - train_part.first;
    };
    for (std::size_t i = run.step; i < options.iters; ++i) {
        const auto t0 = Clock::now();
        if (comm) {
            if (drawn_ahead) batch = next;
            else draw_rows(i, batch);
        } else if (drawn_ahead) {
            batch = next;
            rng = ahead;
        } else {
            for (auto& k : batch) k = rng.below(train_size);
        }
        if constexpr (prefetching) {
            if (comm) {
                draw_rows(i + 1, next);
            } else {
                ahead = rng;
                for (auto& k : next) k = ahead.below(train_size);
            }
            drawn_ahead = true;
        }
        // The next batch's rows are asked for during this gather, one per row
        // converted, to arrive while this step computes. On MNIST's images as
        // read_mnist holds them (2 MB pages) that gathers in 9 us against 15
        // with the requests made back to back after the gather; on 4 KB pages
        // it is the other way round, 13 against 9 (bench_gather, Zen 5).
        gather_rows(data.train, count, [&](std::size_t r) { return batch[r]; }, *x,
                    [&](std::size_t r) { return prefetching ? next[r] : no_row; });
        for (std::size_t r = 0; r < count; ++r) t[r] = static_cast<std::uint32_t>(data.train.labels[batch[r]]);
        bool stop = options.stop && options.stop->load();
        T loss;
        if (comm) {
            // The mean over this rank's rows, weighted by their share of the
            // global batch, summed over the ranks: the global batch's mean.
            const T share = static_cast<T>(count) / static_cast<T>(global_batch);
            const T mine = model.gradient(*x, std::span<const std::uint32_t>(t.data(), count), count);
            // Packed straight into the communicator's shared memory where it
            // has some, and read back from where the sum lands: no copies.
            std::span<T> into = fusion->all();
            if constexpr (std::is_same_v<T, float>)
                if (const std::span<float> slot = comm->sum_slot(into.size()); !slot.empty()) into = slot;
            fusion->pack_gradients(model, share, into);
            into[fusion->extra_at(0)] = mine * share;
            into[fusion->extra_at(1)] = stop ? T(1) : T(0);
            std::span<const T> sums = into;
            if constexpr (std::is_same_v<T, float>) sums = comm->allreduce_sum_view(into);
            else comm->allreduce_sum(into);
            if constexpr (std::is_same_v<std::remove_cvref_t<Optimizer>, Sgd>) {
                fusion->sgd_update(model, static_cast<T>(opt.lr), sums);  // one pass fewer over the gradients
            } else {
                fusion->unpack_gradients(model, sums);
                opt.update(model);
            }
            loss = sums[fusion->extra_at(0)];
            stop = sums[fusion->extra_at(1)] > T(0);  // any rank's Ctrl-C stops them all at this step
        } else {
            loss = train_step(model, *x, t, opt);
        }
        train_seconds += std::chrono::duration<double>(Clock::now() - t0).count();
        if (!std::isfinite(loss))
            fail("the loss became " + std::string(std::isnan(loss) ? "NaN" : "infinite") + " at step " +
                 std::to_string(i) + "; the learning rate " + fmt::format("{}", opt.lr) +
                 " may be too high (files in " + options.out.string() + " hold the epochs before)");
        if (i == 0) run.reference_loss = static_cast<double>(loss);  // computed before the update
        progress.step(i + 1, loss);
        const bool last = i + 1 == options.iters;
        if (i % iter_per_epoch == 0) measure(i / iter_per_epoch, i + 1, last);
        if (!last && stop) {
            progress.finish();
            together([&] { save(i + 1, Durability::durable); });
            throw Interrupted(fmt::format("interrupted after step {} of {}; {} holds the run: add --resume to "
                                          "continue it",
                                          i + 1, options.iters, ckpt.string()));
        }
    }
    progress.finish();
    if (run.step == options.iters && !epochs.empty() && epochs.back().iteration == options.iters)
        together(write_reports);  // a finished run resumed: its last measurement is in the checkpoint
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
    s.ranks = ranks;
    s.batch = global_batch;
    return s;
}

}  // namespace ctnet
