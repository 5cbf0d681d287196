// train_neuralnet.cpp — the book's ch05/train_neuralnet.py: TwoLayerNet, mini-batch SGD, MNIST.
//
//     train_neuralnet                       # the bundled 8,000/2,000 real digits
//     train_neuralnet --data fashion        # Fashion-MNIST, 60,000/10,000
//     train_neuralnet --data ~/mnist        # any directory with the four MNIST files
//     train_neuralnet --optimizer adam      # any of the book's six optimizers (chapter 6)
//     train_neuralnet --resume              # continue a run stopped by Ctrl-C or a crash
//     mpirun -np 2 train_neuralnet --distributed   # the batch of 100 split over 2 processes
//
// Prints train and test accuracy every epoch (a progress bar on a terminal),
// writes out/metrics.csv, out/training.svg and out/model.ckpt (every epoch),
// and ends with one line of JSON. --help lists the options.
#include <fmt/core.h>

#include <chrono>
#include <ctnet/ctnet.hpp>
#include <exception>
#ifdef CTNET_HAVE_MPI
#include <ctnet/distributed/mpi.hpp>
#endif

#include "train_neuralnet.hpp"

namespace {
ctnet::Communicator* ranks = nullptr;  // set by --distributed
}  // namespace

int main(int argc, char** argv) try {
    ctnet::TrainOptions options;
    if (!ctnet::parse_train_options(argc, argv, ctnet::bundled_mnist_dir(), options)) return 0;
    if (options.distributed) {
#ifdef CTNET_HAVE_MPI
        ctnet::MpiCommunicator& world = ctnet::mpi_world();
        world.timeout_s = options.distributed_timeout_s;
        ranks = &world;
        options.communicator = ranks;
        options.global_batch = book_batch;
        options.quiet = options.quiet || world.rank() != 0;  // rank 0 reports for all
#else
        throw ctnet::Error("--distributed: this build of ctnet has no MPI (scripts/setup installs Open MPI; then "
                           "reconfigure the build)");
#endif
    }
    // Resumed, the run's own settings from its checkpoint: data, steps, optimizer, rate, seed.
    if (options.output == ctnet::OutputPolicy::resume) ctnet::take_resumed_settings(options, ranks);
    options.stop = ctnet::interrupt_flag();  // Ctrl-C: finish the step, save, exit
    ctnet::set_threads(*options.threads);     // --threads: loading, steps and evaluations (0: every core)

    const auto t0 = std::chrono::steady_clock::now();
    ctnet::MnistRaw mnist;  // bytes; train() normalises each batch
    if (ranks) {
        const ctnet::Shard shard{ranks->rank(), ranks->size(), book_batch};
        ctnet::collectively(*ranks, [&] { mnist = ctnet::read_mnist(options.data, shard); });
    } else {
        mnist = ctnet::read_mnist(options.data);
    }
    const double load_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!options.quiet)
        fmt::print("{}: {} training and {} test images{} ({:.2f} s to load)\n", options.data.string(),
                   mnist.train.size(), mnist.test.size(),
                   ranks ? fmt::format(" on rank 0 of {}, each rank its shard", ranks->size()) : "", load_s);

    // The model takes this rank's share of the batch (a distributed run's is smaller).
    const std::size_t share = ranks ? (book_batch + ranks->size() - 1) / ranks->size() : book_batch;
    ctnet::TrainSummary summary = share == book_batch ? train_two_layer_net<book_batch>(options, mnist)
                                  : share > 25         ? train_50_rows(options, mnist)
                                                       : train_25_rows(options, mnist);
    summary.load_s = load_s;
    if (!ranks || ranks->rank() == 0) fmt::print("{}\n", ctnet::summary_json(summary));
    ctnet::flush_output();
} catch (const ctnet::Interrupted& e) {
    if (!ranks || ranks->rank() == 0) fmt::print(stderr, "train_neuralnet: {}\n", e.what());
    return 130;  // as a shell reports a program ended by SIGINT
} catch (const ctnet::CollectiveError& e) {
    // Every rank raised it: rank 0 says it once, and every rank ends normally.
    if (!ranks || ranks->rank() == 0) fmt::print(stderr, "train_neuralnet: {}\n", e.what());
    return 1;
} catch (const std::exception& e) {
    // This rank's alone (the others may be waiting for it): end them all.
    if (ranks && ranks->size() > 1)
        ranks->abort(fmt::format("train_neuralnet: rank {}: {}", ranks->rank(), e.what()));
    fmt::print(stderr, "train_neuralnet: {}\n", e.what());
    return 1;
}
