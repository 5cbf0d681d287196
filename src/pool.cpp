// pool.cpp — the persistent worker threads behind parallel::for_chunks.
#include "ctnet/parallel/pool.hpp"

#include <sched.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "ctnet/config.hpp"

namespace ctnet {
namespace {

void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    asm volatile("yield");
#endif
}

// How long an idle worker spins before it sleeps. A training step hands out
// a product every few microseconds, and waking a sleeping thread costs tens
// of them; between epochs and after training the workers sleep.
constexpr auto spin_time = std::chrono::microseconds(300);

// Set on the pool's threads while they run a chunk, so a job started from
// inside one runs on that thread alone instead of waiting on the pool.
thread_local bool in_chunk = false;

// A job is cut into at most 4 blocks per thread, and every thread, the
// caller included, claims blocks one at a time until none is left. The
// caller does not wait for a worker that has not claimed one: with more
// threads than free cores (another program busy, or a pool larger than the
// machine) a descheduled worker leaves its share to whoever is running, and
// a job costs no more than on the caller alone. The claims live in one
// 64-bit word, the job's tag beside the counts, so a worker that wakes late
// cannot claim a block of a newer job under an older one's function.
class Pool {
public:
    ~Pool() { resize(1); }

    std::size_t size() const { return size_.load(std::memory_order_relaxed); }

    void resize(std::size_t n) {
        std::lock_guard use(use_);
        if (n == workers_.size() + 1) return;
        stop_workers();
        quit_.store(false, std::memory_order_relaxed);
        size_.store(n, std::memory_order_relaxed);
        // A worker waits for the job after this one: read here, not in the
        // new thread, which may start after the first job was posted.
        const std::uint32_t now = tag_of(claims_.load(std::memory_order_relaxed));
        for (std::size_t w = 1; w < n; ++w) workers_.emplace_back([this, now] { work(now); });
    }

    void run(std::size_t chunks, parallel::RangeFn fn, const void* job) {
        const std::size_t threads = size();
        std::unique_lock use(use_, std::defer_lock);
        if (std::min(threads, chunks) <= 1 || in_chunk || !use.try_lock() || workers_.empty()) {
            fn(job, 0, chunks);
            return;
        }
        const std::size_t most = std::min(chunks, 4 * threads);  // <= 4096 < 2^16
        fn_ = fn;
        job_ = job;
        chunks_ = chunks;
        grain_ = (chunks + most - 1) / most;
        const std::uint64_t blocks = (chunks + grain_ - 1) / grain_;
        done_.store(0, std::memory_order_relaxed);
        const std::uint32_t tag = tag_of(claims_.load(std::memory_order_relaxed)) + 1;
        post(std::uint64_t{tag} << 32 | blocks << 16);
        in_chunk = true;
        run_blocks(tag);
        in_chunk = false;
        // Blocks claimed by workers: wait for them, and now and then give the
        // core away, in case the worker is waiting for it.
        for (unsigned i = 1; done_.load(std::memory_order_acquire) != blocks; ++i) {
            cpu_relax();
            if (i % 1024 == 0) std::this_thread::yield();
        }
    }

private:
    static std::uint32_t tag_of(std::uint64_t claims) { return static_cast<std::uint32_t>(claims >> 32); }

    // Publishes a job (its fields written before) or the order to quit.
    void post(std::uint64_t claims) {
        claims_.store(claims, std::memory_order_seq_cst);
        if (sleepers_.load(std::memory_order_seq_cst) != 0) {
            std::lock_guard lock(sleep_);
            wake_.notify_all();
        }
    }

    // Claims and runs blocks of job `tag` until none is left (or a newer job
    // replaced it: this thread came too late for any of its blocks).
    void run_blocks(std::uint32_t tag) {
        std::uint64_t claims = claims_.load(std::memory_order_acquire);
        for (;;) {
            const std::uint64_t next = claims & 0xffff, blocks = claims >> 16 & 0xffff;
            if (tag_of(claims) != tag || next == blocks) return;
            if (!claims_.compare_exchange_weak(claims, claims + 1, std::memory_order_acq_rel,
                                               std::memory_order_acquire))
                continue;
            // Block `next` is this thread's: the job cannot end, nor its
            // fields change, before it is done.
            const std::size_t first = next * grain_, last = std::min(chunks_, first + grain_);
            fn_(job_, first, last);
            done_.fetch_add(1, std::memory_order_release);
            claims = claims_.load(std::memory_order_acquire);
        }
    }

    void work(std::uint32_t seen) {
        for (;;) {
            seen = wait_for_change(seen);
            if (quit_.load(std::memory_order_acquire)) return;
            in_chunk = true;
            run_blocks(seen);
            in_chunk = false;
        }
    }

    std::uint32_t wait_for_change(std::uint32_t seen) {
        const auto until = std::chrono::steady_clock::now() + spin_time;
        for (unsigned i = 1;; ++i) {
            const std::uint32_t now = tag_of(claims_.load(std::memory_order_acquire));
            if (now != seen) return now;
            cpu_relax();
            if (i % 256 == 0 && std::chrono::steady_clock::now() > until) break;
        }
        std::unique_lock lock(sleep_);
        sleepers_.fetch_add(1, std::memory_order_seq_cst);
        std::uint32_t now;
        wake_.wait(lock, [&] { return (now = tag_of(claims_.load(std::memory_order_seq_cst))) != seen; });
        sleepers_.fetch_sub(1, std::memory_order_relaxed);
        return now;
    }

    void stop_workers() {
        if (workers_.empty()) return;
        quit_.store(true, std::memory_order_release);
        post(std::uint64_t{tag_of(claims_.load(std::memory_order_relaxed)) + 1u} << 32);  // a job of no blocks
        for (std::thread& t : workers_) t.join();
        workers_.clear();
    }

    std::mutex use_;  // held by the caller whose job runs, and by resize
    std::vector<std::thread> workers_;
    std::atomic<std::size_t> size_{1};
    std::atomic<bool> quit_{false};

    // The job: written before its claims are posted, read by a thread only
    // once it has claimed a block.
    parallel::RangeFn fn_ = nullptr;
    const void* job_ = nullptr;
    std::size_t chunks_ = 0, grain_ = 1;

    // Bits 63-32: the job's tag; 31-16: its blocks; 15-0: the next unclaimed one.
    std::atomic<std::uint64_t> claims_{0};
    std::atomic<std::size_t> done_{0};  // blocks of the job finished
    std::mutex sleep_;
    std::condition_variable wake_;
    std::atomic<unsigned> sleepers_{0};
};

Pool& pool() {
    static Pool p;
    return p;
}

}  // namespace

std::size_t available_cores() {
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) {
        const int n = CPU_COUNT(&set);
        if (n > 0) return static_cast<std::size_t>(n);
    }
    const unsigned n = std::thread::hardware_concurrency();
    return n ? n : 1;
}

void set_threads(std::size_t n) {
    if (n > 1024) throw Error("set_threads(" + std::to_string(n) + "): more than 1024 threads");
    pool().resize(n == 0 ? available_cores() : n);
}

std::size_t threads() { return pool().size(); }

namespace parallel {
void for_chunks(std::size_t chunks, RangeFn fn, const void* job) {
    if (chunks == 0) return;
    pool().run(chunks, fn, job);
}
}  // namespace parallel

}  // namespace ctnet
