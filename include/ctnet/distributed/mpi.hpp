// mpi.hpp — MpiCommunicator: the ranks of an MPI job (library ctnet-mpi; needs an MPI such as Open MPI).
//
//     mpirun -np 2 build/examples/train_neuralnet --distributed
//
// In code (link with the ctnet-mpi pkg-config package, or ctnet_mpi_dep in meson):
//
//     ctnet::Communicator& comm = ctnet::mpi_world();   // MPI_Init on the first call
//     options.communicator = &comm;                     // train() is now distributed
//
// Every collective waits at most `timeout_s` for the other ranks (a rank that
// died, hung or was stopped): then this rank prints which rank it is and what
// it waited for, and ends the whole job (MPI_Abort), so no rank waits forever.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "communicator.hpp"

namespace ctnet {

class MpiCommunicator final : public Communicator {
public:
    std::size_t rank() const override { return rank_; }
    std::size_t size() const override { return size_; }
    void allreduce_sum(std::span<float> values) override;
    void allreduce_sum(std::span<double> values) override;
    void allreduce_sum(std::span<std::uint64_t> values) override;
    void allreduce_max(std::span<std::uint64_t> values) override;
    void broadcast(std::span<char> bytes, std::size_t root) override;
    std::span<const float> allreduce_sum_view(std::span<float> values) override;
    std::span<float> sum_slot(std::size_t n) override;
    [[noreturn]] void abort(const std::string& why) override;

    // How long a collective waits for the other ranks before ending the job.
    double timeout_s = 300;
    // Whether the ranks on one machine sum floats (the gradients) through
    // shared memory rather than MPI_Allreduce: about 6x faster for
    // TwoLayerNet's gradients on 2 ranks (docs/benchmarks.md). The same on
    // every rank, and changed only between steps.
    bool shared_memory = true;

private:
    friend MpiCommunicator& mpi_world();
    MpiCommunicator();
    std::size_t rank_ = 0, size_ = 1;
};

// MPI_COMM_WORLD: MPI is initialised on the first call (a program started
// without mpirun is a world of one) and finalised at exit.
MpiCommunicator& mpi_world();

}  // namespace ctnet
