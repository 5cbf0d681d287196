// random.hpp — Rng: a small, seeded, platform-independent random generator (xoshiro256**).
//
// The standard distributions are implementation-defined, so the same seed
// would give other numbers with another standard library; ctnet's
// initialisation and batch sampling use this instead and are reproducible.
//
//     ctnet::Rng rng(42);
//     ctnet::Matrix<float, 784, 50> w;
//     ctnet::fill_normal(w, rng, 0.01f);   // the book's weight_init_std * randn
#pragma once

#include <array>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numbers>

#include "matrix/matrix.hpp"

namespace ctnet::inline CTNET_ABI {

namespace detail {
// SplitMix64's increment and output mix: spreads any 64-bit input (0
// included) into a well-mixed word. Rng's seeding and layer_seed use it.
inline constexpr std::uint64_t splitmix64_gamma = 0x9E3779B97F4A7C15ull;
constexpr std::uint64_t splitmix64_mix(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
}  // namespace detail

class Rng {
public:
    explicit Rng(std::uint64_t seed) {
        // SplitMix64 spreads any seed (0 included) over the 256-bit state.
        for (auto& word : s_) word = detail::splitmix64_mix(seed += detail::splitmix64_gamma);
    }

    std::uint64_t next() {
        const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
        const std::uint64_t t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return result;
    }

    // Uniform in [0, 1) with 53 random bits.
    double uniform() { return static_cast<double>(next() >> 11) * 0x1p-53; }

    // Uniform integer in [0, n), unbiased: draws past the last whole multiple of n are redrawn.
    // An empty range has no value to draw: n == 0 throws ctnet::Error.
    std::uint64_t below(std::uint64_t n) {
        if (n == 0) throw Error("Rng::below(0): there is no integer in the empty range [0, 0)");
        const std::uint64_t limit = UINT64_MAX - UINT64_MAX % n;
        std::uint64_t x = next();
        while (x >= limit) x = next();
        return x % n;
    }

    // Standard normal (Box-Muller; the second value of each pair is kept for the next call).
    double normal() {
        if (has_spare_) {
            has_spare_ = false;
            return spare_;
        }
        double u1 = uniform();
        while (u1 <= 0.0) u1 = uniform();
        const double r = std::sqrt(-2.0 * std::log(u1));
        const double theta = 2.0 * std::numbers::pi * uniform();
        spare_ = r * std::sin(theta);
        has_spare_ = true;
        return r * std::cos(theta);
    }

    // The whole state (the four words and the kept normal value), so a
    // checkpoint can resume the same stream exactly: restore(state()) continues
    // where the saved generator stood.
    using State = std::array<std::uint64_t, 6>;
    State state() const { return {s_[0], s_[1], s_[2], s_[3], std::bit_cast<std::uint64_t>(spare_), has_spare_ ? 1u : 0u}; }
    void restore(const State& st) {
        if ((st[0] | st[1] | st[2] | st[3]) == 0 || st[5] > 1)
            throw Error("Rng::restore: not a generator state (all-zero words or a bad flag)");
        for (int i = 0; i < 4; ++i) s_[i] = st[i];
        spare_ = std::bit_cast<double>(st[4]);
        has_spare_ = st[5] == 1;
    }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    std::uint64_t s_[4];
    double spare_ = 0.0;
    bool has_spare_ = false;
};

// Every element ~ N(0, stddev^2).
template <class T, std::size_t R, std::size_t C>
void fill_normal(Matrix<T, R, C>& m, Rng& rng, T stddev) {
    for (std::size_t i = 0; i < R; ++i)
        for (std::size_t j = 0; j < C; ++j) m(i, j) = static_cast<T>(rng.normal()) * stddev;
}

// Every element ~ U[lo, hi).
template <class T, std::size_t R, std::size_t C>
void fill_uniform(Matrix<T, R, C>& m, Rng& rng, T lo, T hi) {
    for (std::size_t i = 0; i < R; ++i)
        for (std::size_t j = 0; j < C; ++j) m(i, j) = lo + (hi - lo) * static_cast<T>(rng.uniform());
}

}  // namespace ctnet
