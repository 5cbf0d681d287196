// communicator.hpp — Communicator: the ranks of a distributed run, as train() needs them (no MPI types here).
//
// A distributed run is several processes ("ranks"), each holding the same
// model, that add up their gradients every step (distributed/mpi.hpp gives
// the MPI communicator; SoloCommunicator below is a run of one). train()
// takes one through TrainOptions::communicator; docs/distributed.md says
// what is synchronised and what to expect.
#pragma once

#include <fmt/format.h>

#include <cstddef>
#include <cstdint>
#include <exception>
#include <span>
#include <string>

#include "../config.hpp"

namespace ctnet {

// An error every rank of a distributed run raised together, at the same
// point and with the same message (a file one rank could not read, a run
// that diverged): every rank can end cleanly. Any other exception on a
// distributed run is one rank's alone, and the program should end every rank
// with Communicator::abort.
class CollectiveError : public Error {
public:
    using Error::Error;
};

// The operations train() needs of a group of ranks. Every one is collective:
// each rank must call it, in the same order, with the same sizes. A rank that
// stops answering is not waited for forever: an implementation ends every
// rank after its timeout (MpiCommunicator).
class Communicator {
public:
    virtual ~Communicator() = default;

    virtual std::size_t rank() const = 0;
    virtual std::size_t size() const = 0;

    // Element-wise sum over the ranks, in place; every rank gets the same bits.
    virtual void allreduce_sum(std::span<float> values) = 0;
    virtual void allreduce_sum(std::span<double> values) = 0;
    virtual void allreduce_sum(std::span<std::uint64_t> values) = 0;
    // Element-wise maximum over the ranks, in place.
    virtual void allreduce_max(std::span<std::uint64_t> values) = 0;
    // Rank root's bytes into every rank's `bytes` (the same size on every rank).
    virtual void broadcast(std::span<char> bytes, std::size_t root) = 0;

    // For speed, where the ranks can share memory (MpiCommunicator on one
    // machine): the sum of `values` over the ranks as allreduce_sum computes
    // it, left where the communicator made it rather than copied back (valid
    // until the next collective call). `values` may be sum_slot(n), room for
    // n floats in which this rank's part is summed without being copied in;
    // sum_slot is empty where the communicator has none.
    virtual std::span<const float> allreduce_sum_view(std::span<float> values) {
        allreduce_sum(values);
        return values;
    }
    virtual std::span<float> sum_slot(std::size_t n) {
        (void)n;
        return {};
    }

    // Ends every rank of the run now, printing `why` (this rank's own error,
    // which the others cannot learn of any other way). Never returns.
    [[noreturn]] virtual void abort(const std::string& why) = 0;
};

// A run of one process: every collective is the identity. train() with it
// is a distributed run of one rank (the same sampler as any number of ranks).
class SoloCommunicator final : public Communicator {
public:
    std::size_t rank() const override { return 0; }
    std::size_t size() const override { return 1; }
    void allreduce_sum(std::span<float>) override {}
    void allreduce_sum(std::span<double>) override {}
    void allreduce_sum(std::span<std::uint64_t>) override {}
    void allreduce_max(std::span<std::uint64_t>) override {}
    void broadcast(std::span<char>, std::size_t) override {}
    [[noreturn]] void abort(const std::string& why) override { throw Error(why); }
};

// Root's string on every rank (its length first, then its bytes).
inline std::string broadcast_string(Communicator& comm, std::string s, std::size_t root) {
    std::uint64_t length = comm.rank() == root ? s.size() : 0;
    comm.broadcast(std::span(reinterpret_cast<char*>(&length), sizeof length), root);
    s.resize(static_cast<std::size_t>(length));
    comm.broadcast(std::span(s.data(), s.size()), root);
    return s;
}

// Runs f() on every rank, then agrees on how it went: if it threw on any
// rank, every rank throws CollectiveError with the message of the lowest
// such rank, "rank R: ...". Work that can fail on one rank alone (reading its
// data, rank 0 writing the run's files) goes through here, so no rank is
// left waiting for one that gave up.
//
//     ctnet::collectively(comm, [&] { data = ctnet::read_mnist(dir, shard); });
template <class F>
void collectively(Communicator& comm, F&& f) {
    std::string message;
    bool failed = false;
    try {
        f();
    } catch (const CollectiveError& e) {  // already agreed on, and naming its rank
        failed = true;
        message = std::string(1, '\x01') + e.what();
    } catch (const std::exception& e) {
        failed = true;
        message = e.what();
    } catch (...) {
        failed = true;
        message = "an exception that is not a std::exception";
    }
    const std::size_t n = comm.size(), me = comm.rank();
    // The lowest failing rank r is the largest n - r.
    std::uint64_t flag = failed ? n - me : 0;
    comm.allreduce_max(std::span(&flag, 1));
    if (flag == 0) return;
    const std::size_t root = n - static_cast<std::size_t>(flag);
    message = broadcast_string(comm, std::move(message), root);
    if (message.starts_with('\x01')) throw CollectiveError(message.substr(1));
    throw CollectiveError(fmt::format("rank {}: {}", root, message));
}

}  // namespace ctnet
