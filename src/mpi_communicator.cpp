// mpi_communicator.cpp — MpiCommunicator on the MPI C API: non-blocking collectives waited for with a deadline.
// The C API only: Open MPI's and MPICH's deprecated C++ bindings stay out.
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>
#include <sched.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctnet/distributed/mpi.hpp>
#include <fmt/core.h>
#include <limits>

namespace ctnet {
namespace {

// MPI counts are int: a buffer larger than that is cut into pieces.
constexpr std::size_t max_count = static_cast<std::size_t>(std::numeric_limits<int>::max());

bool finalize_at_exit = false;

void finalize() {
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (!finalized) MPI_Finalize();
}

// Waits for a non-blocking collective, at most timeout_s. Open MPI makes
// progress only inside its calls, so this polls: spinning first (a step's
// allreduce takes microseconds), then yielding the core (two ranks may share
// one, and the late rank needs it).
void wait(MPI_Request& request, const MpiCommunicator& comm, const char* what, std::size_t bytes) {
    const auto start = std::chrono::steady_clock::now();
    for (unsigned polls = 0;; ++polls) {
        int done = 0;
        MPI_Test(&request, &done, MPI_STATUS_IGNORE);
        if (done) return;
        if (polls < 2000) continue;
        sched_yield();
        if ((polls & 1023) != 0) continue;
        const double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (waited > comm.timeout_s) {
            std::fprintf(stderr,
                         "ctnet: rank %zu of %zu: the other ranks did not join the %s of %zu bytes within %.0f s "
                         "(a rank died, hung or was stopped); ending every rank\n",
                         comm.rank(), comm.size(), what, bytes, comm.timeout_s);
            std::fflush(stderr);
            MPI_Abort(MPI_COMM_WORLD, 1);
            std::abort();
        }
    }
}

template <class T>
void allreduce(const MpiCommunicator& comm, std::span<T> values, MPI_Datatype type, MPI_Op op, const char* what) {
    for (std::size_t first = 0; first < values.size(); first += max_count) {
        const std::size_t n = std::min(max_count, values.size() - first);
        MPI_Request request;
        MPI_Iallreduce(MPI_IN_PLACE, values.data() + first, static_cast<int>(n), type, op, MPI_COMM_WORLD, &request);
        wait(request, comm, what, n * sizeof(T));
    }
}

}  // namespace

MpiCommunicator::MpiCommunicator() {
    int initialized = 0;
    MPI_Initialized(&initialized);
    if (!initialized) {
        int provided = 0;
        // FUNNELED: only the thread that calls train() calls MPI; the pool's workers never do.
        MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
        finalize_at_exit = true;
        std::atexit(finalize);
    }
    int r = 0, n = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &r);
    MPI_Comm_size(MPI_COMM_WORLD, &n);
    rank_ = static_cast<std::size_t>(r);
    size_ = static_cast<std::size_t>(n);
}

void MpiCommunicator::allreduce_sum(std::span<float> values) {
    allreduce(*this, values, MPI_FLOAT, MPI_SUM, "allreduce");
}
void MpiCommunicator::allreduce_sum(std::span<double> values) {
    allreduce(*this, values, MPI_DOUBLE, MPI_SUM, "allreduce");
}
void MpiCommunicator::allreduce_sum(std::span<std::uint64_t> values) {
    allreduce(*this, values, MPI_UINT64_T, MPI_SUM, "allreduce");
}
void MpiCommunicator::allreduce_max(std::span<std::uint64_t> values) {
    allreduce(*this, values, MPI_UINT64_T, MPI_MAX, "agreement");
}

void MpiCommunicator::broadcast(std::span<char> bytes, std::size_t root) {
    for (std::size_t first = 0; first < bytes.size() || first == 0; first += max_count) {
        const std::size_t n = std::min(max_count, bytes.size() - first);
        MPI_Request request;
        MPI_Ibcast(bytes.data() + first, static_cast<int>(n), MPI_CHAR, static_cast<int>(root), MPI_COMM_WORLD,
                   &request);
        wait(request, *this, "broadcast", n);
        if (bytes.empty()) break;
    }
}

void MpiCommunicator::abort(const std::string& why) {
    std::fprintf(stderr, "%s\n(rank %zu of %zu ends every rank)\n", why.c_str(), rank_, size_);
    std::fflush(stderr);
    MPI_Abort(MPI_COMM_WORLD, 1);
    std::abort();
}

MpiCommunicator& mpi_world() {
    static MpiCommunicator world;
    return world;
}

}  // namespace ctnet
