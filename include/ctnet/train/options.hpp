// options.hpp — TrainOptions and the command line of the training programs.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <utility>

#include "../config.hpp"
#include "../distributed/communicator.hpp"
#include "metrics.hpp"

namespace ctnet {

// Thrown by train() when TrainOptions::stop was set: the run stopped after a
// whole step and its checkpoint (which --resume continues) is written.
class Interrupted : public Error {
public:
    using Error::Error;
};

// What to do when `out` already holds another run's files.
enum class OutputPolicy {
    fresh,      // refuse: a run's files belong together, never mixed with another run's
    overwrite,  // replace the other run's files
    resume,     // continue the run whose checkpoint is there, exactly where it stopped
};

// What TrainOptions::on_epoch is shown after each measured epoch, and the
// learning rate it may change.
struct EpochEnd {
    std::span<const EpochMetrics> epochs;  // every epoch measured so far, this one last
    std::size_t iters;                     // the steps the whole run takes
    double lr;                             // the optimizer's rate: a new value applies from the next step
};

// A step schedule for TrainOptions::on_epoch: the rate times `factor` after
// every `every` epochs (epoch 0 is measured after the first step, so the
// first change comes after epoch `every`).
//
//     options.on_epoch = ctnet::step_decay(0.5, 2);   // halve the rate every two epochs
inline std::function<void(EpochEnd&)> step_decay(double factor, std::size_t every = 1) {
    if (!(factor > 0) || every == 0) throw Error("step_decay: the factor must be positive and the period at least 1");
    return [factor, every](EpochEnd& end) {
        const std::size_t epoch = end.epochs.back().epoch;
        if (epoch > 0 && epoch % every == 0) end.lr *= factor;
    };
}

// What the book's train_neuralnet.py fixes in code, as options.
struct TrainOptions {
    std::filesystem::path data;  // a directory with the four MNIST files
    std::size_t iters = 10000;
    // sgd, momentum, nesterov, adagrad, rmsprop or adam (the book's six,
    // common/optimizer.py). Without --lr, sgd takes the book's chapter-5 rate
    // 0.1 and the others their constructors' defaults (0.01; adam 0.001).
    std::string optimizer = "sgd";
    double lr = 0.1;
    double weight_decay = 0;  // the L2 penalty's lambda (Model::set_weight_decay); the program applies it
    std::uint64_t seed = 0;
    std::filesystem::path out = "out";  // metrics.csv, training.svg, model.ckpt
    bool quiet = false;                 // only the final JSON line
    OutputPolicy output = OutputPolicy::fresh;
    // Set (by a signal handler, another thread) to stop after the current
    // step: train() then writes a resumable checkpoint and throws
    // ctnet::Interrupted. See interrupt_flag().
    const std::atomic<bool>* stop = nullptr;
    // The checkpoint written every epoch is flushed to disk (fsync) when this
    // long has passed since the last flushed one, and always at the end: a
    // power cut loses at most this much training. Per-epoch metrics and plots
    // are never flushed (they are rewritten whole a moment later).
    double durable_every_s = 60;
    // Threads the steps and evaluations run on (parallel/pool.hpp): unset, the
    // default, keeps what the program set with set_threads (1 unless it did);
    // 0 is every core the process may use (what the programs' --threads
    // defaults to). The results are the same, bit for bit, for every count.
    // When set, train() uses it for the run and puts the program's count back
    // at the end.
    std::optional<std::size_t> threads;
    // Called after each epoch's measurement, before its checkpoint: a
    // learning-rate schedule sets end.lr (step_decay above), a program may log
    // or plot. The rate in force is saved in every checkpoint, and a resumed
    // run is shown only the epochs it measures itself, with the whole history:
    // a hook that decides from what it is given alone (not from earlier calls)
    // resumes to the run that never stopped, bit for bit. A rate that is not
    // positive and normal in the network's type is an error; after the final
    // measurement the hook is called too, and a new rate is ignored.
    std::function<void(EpochEnd&)> on_epoch;
    // Each epoch's loss and accuracy are measured on the first this many
    // samples of each split (the book's Trainer, evaluate_sample_num_per_epoch);
    // 0, the default, is every sample. The final measurement is always on all.
    std::size_t eval_samples = 0;
    // A distributed run (docs/distributed.md): every rank calls train() with
    // the same model type, options and optimizer, each on its own shard of
    // the data (data/shard.hpp: read_mnist(dir, shard)), and they take every
    // step together, summing their gradients. Unset, the run is this process's.
    Communicator* communicator = nullptr;
    // A distributed run's global batch: the samples all ranks take per step
    // together; rank r computes rows Shard::batch_rows() of it, at most the
    // model's batch. 0: the model's batch times the number of ranks.
    std::size_t global_batch = 0;
    // --distributed and --timeout, for the programs: train on ctnet::mpi_world()
    // (distributed/mpi.hpp), whose collectives wait this long for a late rank.
    bool distributed = false;
    double distributed_timeout_s = 300;
};

// The directory of the bundled digits as installed or in the source tree
// (set at build time), and Debian's Fashion-MNIST.
inline const std::filesystem::path fashion_mnist_dir = "/usr/share/datasets/fashion-mnist";

// The names TrainOptions::optimizer takes, and each one's default rate.
inline constexpr std::pair<const char*, double> optimizer_defaults[] = {
    {"sgd", 0.1}, {"momentum", 0.01}, {"nesterov", 0.01}, {"adagrad", 0.01}, {"rmsprop", 0.01}, {"adam", 0.001}};

// Parses --data DIR|bundled|fashion, --iters N, --optimizer NAME, --lr X, --weight-decay X, --seed N, --out DIR,
// --threads N (default 0: every core), --eval-samples N, --resume, --overwrite, --quiet and --help (also
// --flag=value; a boolean flag takes =yes/no, true/false, 1/0). `bundled` is the default data; what `options`
// holds before the call (a program's own defaults: its optimizer, steps, evaluation) stays unless a flag
// changes it, and the help shows it as the default. Returns
// false after printing the help for --help; throws ctnet::Error with the
// usage for anything it does not understand or a value out of range.
bool parse_train_options(int argc, const char* const* argv, const std::filesystem::path& bundled,
                         TrainOptions& options);

// The help text of parse_train_options, with `defaults` as the defaults it shows.
std::string train_usage(const std::string& program, const TrainOptions& defaults = {});

// A flag that SIGINT and SIGTERM set (installing the handlers on the first
// call): point TrainOptions::stop at it, and Ctrl-C finishes the current
// step, writes the checkpoint and ends the run with ctnet::Interrupted. A
// second Ctrl-C while that happens kills the process as usual.
const std::atomic<bool>* interrupt_flag();

}  // namespace ctnet
