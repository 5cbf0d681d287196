// Tests for distributed/mpi.hpp and distributed training, run under mpirun with 2 and 3 ranks (test/meson.build):
//
//     mpirun --oversubscribe -np 3 build/test/test_mpi OUT_DIR
//
// Not Boost.Test: every rank runs every check, in the same order (each is
// collective), and the job fails if any rank's does.
#include <fmt/core.h>

#include <cmath>
#include <cstdio>
#include <ctnet/ctnet.hpp>
#include <ctnet/distributed/mpi.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

using TwoLayerNet = ctnet::Sequential<ctnet::Affine<784, 50>, ctnet::Relu, ctnet::Affine<50, 10>,
                                      ctnet::SoftmaxWithLoss>;
constexpr std::size_t global_batch = 60;

ctnet::MpiCommunicator& comm = ctnet::mpi_world();
int failures = 0;

void check(bool ok, const std::string& what) {
    if (ok) return;
    std::fprintf(stderr, "rank %zu: FAILED: %s\n", comm.rank(), what.c_str());
    ++failures;
}

// The same error on every rank, or not.
template <class F>
std::string collective_error(F&& f) {
    try {
        ctnet::collectively(comm, f);
    } catch (const ctnet::CollectiveError& e) {
        return e.what();
    }
    return "";
}

void collectives() {
    const std::size_t n = comm.size(), me = comm.rank();
    std::vector<float> f(1000, static_cast<float>(me + 1));
    comm.allreduce_sum(std::span(f));
    check(f[999] == static_cast<float>(n * (n + 1) / 2), "allreduce_sum of floats");
    double d[2] = {0.5 * double(me), 1};
    comm.allreduce_sum(d);
    check(d[1] == double(n), "allreduce_sum of doubles");
    std::uint64_t m[2] = {me, 100 - me};
    comm.allreduce_max(m);
    check(m[0] == n - 1 && m[1] == 100, "allreduce_max");
    const std::string s = ctnet::broadcast_string(comm, me == n - 1 ? "from the last rank" : "", n - 1);
    check(s == "from the last rank", "broadcast_string");
}

void errors() {
    const std::size_t n = comm.size(), me = comm.rank();
    check(collective_error([] {}).empty(), "collectively without an error");
    const std::string last = collective_error([&] {
        if (me == n - 1) throw ctnet::Error("cannot read shard");
    });
    check(last == fmt::format("rank {}: cannot read shard", n - 1), "the failing rank is named on every rank: " + last);
    const std::string lowest = collective_error([&] {
        if (me > 0) throw ctnet::Error(fmt::format("error {}", me));
    });
    check(lowest == "rank 1: error 1", "the lowest failing rank is named: " + lowest);
}

std::vector<std::vector<double>> read_csv(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);  // header
    std::vector<std::vector<double>> rows;
    while (std::getline(in, line)) {
        std::vector<double> row;
        std::stringstream cells(line);
        for (std::string cell; std::getline(cells, cell, ',');) row.push_back(std::stod(cell));
        rows.push_back(row);
    }
    return rows;
}

template <std::size_t Share>
ctnet::TrainSummary train(const ctnet::MnistRaw& data, const std::filesystem::path& out, ctnet::Communicator& c,
                          std::uint64_t* checksum = nullptr, std::size_t threads = 1) {
    ctnet::TrainOptions o;
    o.iters = 400;  // measured after steps 1, 134, 267 and 400 (epochs of 133)
    o.lr = 0.1;
    o.seed = 7;
    o.out = out;
    o.quiet = true;
    o.output = ctnet::OutputPolicy::overwrite;
    o.communicator = &c;
    o.global_batch = global_batch;
    o.threads = threads;
    ctnet::Model<TwoLayerNet, float, Share> net(ctnet::Init::gaussian(0.01), 7);
    ctnet::Sgd sgd{0.1};
    const ctnet::TrainSummary s = ctnet::train(net, data, sgd, o);
    if (checksum) {
        ctnet::FusionBuffer<float> weights(net, 0);
        weights.pack_params(net);
        *checksum = weights.checksum();
    }
    return s;
}

// N ranks train as one process with the same global batch: the same batches,
// the gradients summed in another order, so the same curve within rounding.
template <std::size_t Share>
void training(const std::filesystem::path& base) {
    const ctnet::Shard shard{comm.rank(), comm.size(), global_batch};
    const ctnet::MnistRaw data = ctnet::read_mnist(ctnet::bundled_mnist_dir(), shard);
    std::uint64_t sum = 0;
    const ctnet::TrainSummary s = train<Share>(data, base / "ranks", comm, &sum);
    check(s.ranks == comm.size() && s.batch == global_batch, "the summary's ranks and batch");
    std::uint64_t seen[2] = {sum, ~sum};
    comm.allreduce_max(seen);
    check(seen[0] == sum && seen[1] == ~sum, "every rank ends with the same weights, bit for bit");
    // Ranks x threads: two threads per rank (on 2 ranks; more would crowd 2 cores), the same bits.
    if (comm.size() == 2) {
        std::uint64_t threaded = 0;
        train<Share>(data, base / "threads", comm, &threaded, 2);
        check(threaded == sum, "two threads per rank end with the same weights as one");
    }
    if (comm.rank() != 0) return;
    // Rank 0 alone: the one-process run, on the whole data set.
    ctnet::SoloCommunicator solo;
    const ctnet::MnistRaw all = ctnet::read_mnist(ctnet::bundled_mnist_dir(), ctnet::Shard{0, 1, global_batch});
    const ctnet::TrainSummary one = train<global_batch>(all, base / "one", solo);
    const auto a = read_csv(base / "ranks" / "metrics.csv"), b = read_csv(base / "one" / "metrics.csv");
    check(a.size() == b.size() && a.size() == 4, fmt::format("{} and {} epochs measured", a.size(), b.size()));
    for (std::size_t e = 0; e < std::min(a.size(), b.size()); ++e) {
        // epoch,iteration,train_loss,train_acc,test_loss,test_acc,seconds
        for (const int col : {2, 4})
            check(std::abs(a[e][col] - b[e][col]) <= 1e-5,
                  fmt::format("epoch {} loss {} ranks {} one process {}", e, col, a[e][col], b[e][col]));
        for (const int col : {3, 5})
            check(std::abs(a[e][col] - b[e][col]) <= 0.002,
                  fmt::format("epoch {} accuracy {} ranks {} one process {}", e, col, a[e][col], b[e][col]));
    }
    check(std::abs(s.test_acc - one.test_acc) <= 0.002, "the final accuracy");
    fmt::print("{} ranks: test accuracy {:.4f}, loss {:.6f}; one process {:.4f}, {:.6f}\n", comm.size(), s.test_acc,
               s.final_loss, one.test_acc, one.final_loss);
}

// A rank holding the whole data set instead of its shard: every rank stops, naming it.
void wrong_shard(const std::filesystem::path& base) {
    const std::size_t n = comm.size(), me = comm.rank();
    const ctnet::MnistRaw data = me == n - 1 ? ctnet::read_mnist(ctnet::bundled_mnist_dir())
                                             : ctnet::read_mnist(ctnet::bundled_mnist_dir(), {me, n, global_batch});
    std::string error;
    try {
        train<global_batch>(data, base / "wrong", comm);
    } catch (const ctnet::CollectiveError& e) {
        error = e.what();
    }
    // Every rank's shard is then wrong against the sum: the error lists them all.
    check(error.starts_with("rank 0: ") && error.find(fmt::format("rank {} 8000", n - 1)) != std::string::npos,
          "the wrong shard's error: " + error);
    check(!std::filesystem::exists(base / "wrong" / "model.ckpt"), "no files of a run that never started");
}

}  // namespace

int main(int argc, char** argv) try {
    if (argc != 2) {
        std::fprintf(stderr, "usage: mpirun -np N %s OUT_DIR\n", argv[0]);
        return 2;
    }
    comm.timeout_s = 120;
    const std::filesystem::path base = argv[1];
    collectives();
    errors();
    // One process computes the whole batch of 60; 2 ranks 30 rows each, 3 and 4
    // ranks 20 and 15 rows in the same model of 30 (the rest padding): two
    // model types rather than one per rank count, which compile slowly.
    if (comm.size() == 1) training<60>(base);
    else training<30>(base);
    wrong_shard(base);
    std::uint64_t failed = failures;
    comm.allreduce_sum(std::span(&failed, 1));
    if (comm.rank() == 0) fmt::print("{} ranks: {}\n", comm.size(), failed ? "FAILED" : "all checks passed");
    return failed ? 1 : 0;
} catch (const std::exception& e) {
    comm.abort(fmt::format("rank {}: {}", comm.rank(), e.what()));
}
