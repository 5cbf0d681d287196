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

class Pool {
public:
    ~Pool() { resize(1); }

    std::size_t size() const { return size_.load(std::memory_order_relaxed); }

    void resize(std::size_t n) {
        std::lock_guard use(use_);
        if (n == workers_.size() + 1) return;
        stop_workers();
        quit_ = false;
        size_.store(n, std::memory_order_relaxed);
        // A worker waits for the generation after this one: read here, not in
        // the new thread, which may start after the first job was posted.
        const std::uint64_t now = generation_.load(std::memory_order_relaxed);
        for (std::size_t w = 1; w < n; ++w) workers_.emplace_back([this, w, now] { work(w, now); });
    }

    void run(std::size_t chunks, parallel::RangeFn fn, const void* job) {
        const std::size_t n = std::min(size(), chunks);
        std::unique_lock use(use_, std::defer_lock);
        if (n <= 1 || in_chunk || !use.try_lock() || workers_.empty()) {
            fn(job, 0, chunks);
            return;
        }
        fn_ = fn;
        job_ = job;
        chunks_ = chunks;
        threads_ = workers_.size() + 1;
        pending_.store(workers_.size(), std::memory_order_relaxed);
        post();
        if (chunks >= threads_) {
            in_chunk = true;
            fn(job, 0, chunks / threads_);
            in_chunk = false;
        }
        // A worker whose core is busy elsewhere (more threads than cores)
        // gets the caller's core now and then.
        for (unsigned i = 1; pending_.load(std::memory_order_acquire) != 0; ++i) {
            cpu_relax();
            if (i % 1024 == 0) std::this_thread::yield();
        }
    }

private:
    // Publishes the job (or the order to quit) to every worker.
    void post() {
        generation_.fetch_add(1, std::memory_order_seq_cst);
        if (sleepers_.load(std::memory_order_seq_cst) != 0) {
            std::lock_guard lock(sleep_);
            wake_.notify_all();
        }
    }

    void work(std::size_t w, std::uint64_t seen) {
        for (;;) {
            seen = wait_for_change(seen);
            if (quit_) return;
            const std::size_t first = w * chunks_ / threads_, last = (w + 1) * chunks_ / threads_;
            if (first < last) {
                in_chunk = true;
                fn_(job_, first, last);
                in_chunk = false;
            }
            pending_.fetch_sub(1, std::memory_order_release);
        }
    }

    std::uint64_t wait_for_change(std::uint64_t seen) {
        const auto until = std::chrono::steady_clock::now() + spin_time;
        for (unsigned i = 1;; ++i) {
            const std::uint64_t now = generation_.load(std::memory_order_acquire);
            if (now != seen) return now;
            cpu_relax();
            if (i % 256 == 0 && std::chrono::steady_clock::now() > until) break;
        }
        std::unique_lock lock(sleep_);
        sleepers_.fetch_add(1, std::memory_order_seq_cst);
        std::uint64_t now;
        wake_.wait(lock, [&] { return (now = generation_.load(std::memory_order_seq_cst)) != seen; });
        sleepers_.fetch_sub(1, std::memory_order_relaxed);
        return now;
    }

    void stop_workers() {
        if (workers_.empty()) return;
        quit_ = true;
        post();
        for (std::thread& t : workers_) t.join();
        workers_.clear();
    }

    std::mutex use_;  // held by the caller whose job runs, and by resize
    std::vector<std::thread> workers_;
    std::atomic<std::size_t> size_{1};

    // The job, written before generation_ moves on and read after.
    parallel::RangeFn fn_ = nullptr;
    const void* job_ = nullptr;
    std::size_t chunks_ = 0, threads_ = 1;
    bool quit_ = false;

    std::atomic<std::uint64_t> generation_{0};
    std::atomic<std::size_t> pending_{0};  // workers yet to finish the job
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
