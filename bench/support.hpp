// support.hpp — what every benchmark shares: a robust timer, the machine's measured FMA peak, a table.
#pragma once

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <utility>
#include <vector>

#include "ctnet/simd/packet.hpp"

namespace bench {

// Keeps the optimiser from deleting work whose result is unused.
template <class T>
inline void keep(T const& value) {
    __asm__ volatile("" : : "r,m"(value) : "memory");
}

// The median of v (taken by value: reordered).
inline double median(std::vector<double> v) {
    std::nth_element(v.begin(), v.begin() + std::ptrdiff_t(v.size() / 2), v.end());
    return v[v.size() / 2];
}

// Median over `samples` timed batches of one call's time, in nanoseconds; each
// batch repeats the call until it lasts at least 2 ms so the clock's
// resolution does not matter. The median, not the minimum: a figure the
// machine reaches half the time, not once.
template <class F>
double median_ns(F&& f, int samples = 31) {
    using clock = std::chrono::steady_clock;
    for (int i = 0; i < 3; ++i) f();  // warm caches and clocks
    long reps = 1;
    for (;;) {
        const auto t0 = clock::now();
        for (long r = 0; r < reps; ++r) f();
        const double ns = std::chrono::duration<double, std::nano>(clock::now() - t0).count();
        if (ns > 2e6) break;
        reps *= 2;
    }
    std::vector<double> times;
    for (int s = 0; s < samples; ++s) {
        const auto t0 = clock::now();
        for (long r = 0; r < reps; ++r) f();
        times.push_back(std::chrono::duration<double, std::nano>(clock::now() - t0).count() / reps);
    }
    return median(std::move(times));
}

// `chains` independent FMA chains on register-resident packets, `steps` times.
template <class P, int chains>
__attribute__((noinline)) P fma_chains(long steps, P x, P y) {
    P acc[chains];
#pragma GCC unroll 32
    for (int c = 0; c < chains; ++c) acc[c] = P::broadcast(typename P::value_type(c) * 0.001f);
    for (long s = 0; s < steps; ++s) {
#pragma GCC unroll 32
        for (int c = 0; c < chains; ++c) acc[c] = fmadd(acc[c], x, y);
    }
    P sum = acc[0];
#pragma GCC unroll 32
    for (int c = 1; c < chains; ++c) sum = sum + acc[c];
    return sum;
}

// The single-core peak of fused multiply-adds on the build's SIMD backend, in
// GFLOP/s, measured: enough independent FMA chains on register-resident packets
// to cover the FMA latency on every pipe (12 for 16 registers, 24 for 32).
template <class T>
double measured_fma_peak_gflops(int samples = 11) {
    using P = ctnet::simd::packet_t<T>;
    constexpr int chains = ctnet::simd::register_count >= 32 ? 24 : 12;
    constexpr long steps = 100000;
    const P x = P::broadcast(T(0.999999)), y = P::broadcast(T(1e-7));
    const double ns = median_ns([&] { keep(fma_chains<P, chains>(steps, x, y)); }, samples);
    return 2.0 * chains * steps * static_cast<double>(P::size) / ns;
}

}  // namespace bench
