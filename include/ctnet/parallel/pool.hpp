// pool.hpp — the threads a program lends ctnet: set_threads(n), and the pool that runs products across them.
//
// ctnet runs on the calling thread alone until a program asks for more:
//
//     ctnet::set_threads(0);   // every core this process may run on (its CPU affinity)
//     ctnet::set_threads(4);   // four: the caller and three workers
//     ctnet::set_threads(1);   // the caller alone, the default
//
// or for one stretch of code, putting the old count back at the end:
//
//     { ctnet::ThreadCount scope(2); net.sgd_step(x, t, lr); }
//
// With n threads every product large enough to share (2^18, about 2.6e5,
// multiply-adds and up: at least two pieces of 2^17) is cut into a fixed
// number of pieces along one of its result's dimensions, and the pieces are
// divided among the threads; so are the rows of the batches ctnet::train
// gathers, a stride-1 Convolution's images and a Pooling's (each image, or
// each tile of a weight gradient, computed whole by one thread). Everything
// else (element-wise assignments, other layers' own loops, the loss, drawing
// batches) stays on the calling thread. A piece is computed by the same kernel, in the same order of
// operations, whichever thread takes it: the results are the same, bit for
// bit, for every thread count, 1 included (test/parallel/pool.cpp).
//
// The workers are started once, by set_threads, and wait for work spinning
// for a fraction of a millisecond before they sleep: a training step hands
// them a product every few microseconds. One caller at a time uses the pool;
// a product reached from another thread while it is busy (two models trained
// on two threads of the program's own) runs on its caller alone.
#pragma once

#include <cstddef>

namespace ctnet {

// The cores this process may run on: its CPU affinity (taskset), at least 1.
std::size_t available_cores();

// Uses n threads (the caller and n - 1 workers) from now on; 0 means
// available_cores(). Starting or stopping workers waits for a running
// product to finish. Throws ctnet::Error for more than 1024.
void set_threads(std::size_t n);

// The thread count products run with now (1 unless set_threads said otherwise).
std::size_t threads();

// set_threads(n) for the lifetime of the object, then the count before it.
class ThreadCount {
public:
    explicit ThreadCount(std::size_t n) : previous_(threads()) { set_threads(n); }
    ~ThreadCount() { set_threads(previous_); }
    ThreadCount(const ThreadCount&) = delete;
    ThreadCount& operator=(const ThreadCount&) = delete;

private:
    std::size_t previous_;
};

namespace parallel {

// Work on the chunks [first, last) of a job, with the job's data.
using RangeFn = void (*)(const void* job, std::size_t first, std::size_t last);

// Runs chunks 0 .. chunks - 1 of a job and returns when every chunk is done.
// The chunks are grouped into at most 4 contiguous blocks per thread, and the
// threads, the caller among them, claim blocks until none is left: which
// thread runs a chunk is decided at run time, so a chunk's work must not
// depend on it. A worker whose core is busy elsewhere leaves its blocks to
// the others. On the caller alone when the pool has one thread, inside
// another job's chunk, or while another thread of the program uses the pool.
// fn must not throw.
void for_chunks(std::size_t chunks, RangeFn fn, const void* job);

// The same for any callable f(first, last).
template <class F>
void for_chunks(std::size_t chunks, const F& f) {
    for_chunks(
        chunks, [](const void* job, std::size_t first, std::size_t last) { (*static_cast<const F*>(job))(first, last); },
        &f);
}

}  // namespace parallel
}  // namespace ctnet
