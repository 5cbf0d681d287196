// reference.hpp — the independent references tests compare against: plain loops, ulps, finite differences.
#pragma once

#include <boost/test/unit_test.hpp>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "ctnet/matrix/matrix.hpp"
#include "ctnet/random.hpp"

namespace ctnet::test {

// Distance in units in the last place between two finite values of one type.
template <class T>
double ulp_distance(T a, T b) {
    using I = std::conditional_t<sizeof(T) == 4, std::int32_t, std::int64_t>;
    if (a == b) return 0.0;
    if (std::isnan(a) || std::isnan(b)) return std::numeric_limits<double>::infinity();
    // Map the floats onto a monotonic integer line (negative values mirrored).
    auto key = [](T x) {
        const I i = std::bit_cast<I>(x);
        return i < 0 ? std::numeric_limits<I>::min() - i : i;
    };
    // Subtract as unsigned: converting 2^62-sized keys to double first would round away the difference.
    using U = std::make_unsigned_t<I>;
    const I ka = key(a), kb = key(b);
    return static_cast<double>(ka > kb ? static_cast<U>(ka) - static_cast<U>(kb) : static_cast<U>(kb) - static_cast<U>(ka));
}

// A matrix of uniform values in [lo, hi), reproducible from the seed.
template <class T, std::size_t R, std::size_t C>
Matrix<T, R, C> random_matrix(std::uint64_t seed, double lo = -1.0, double hi = 1.0) {
    Matrix<T, R, C> m;
    Rng rng(seed);
    fill_uniform(m, rng, static_cast<T>(lo), static_cast<T>(hi));
    return m;
}

// The padding invariant every kernel relies on: lanes past the last column are zero.
template <class T, std::size_t R, std::size_t C>
bool padding_is_zero(const Matrix<T, R, C>& m) {
    for (std::size_t i = 0; i < R; ++i)
        for (std::size_t j = C; j < Matrix<T, R, C>::stride; ++j)
            if (m.data()[i * Matrix<T, R, C>::stride + j] != T(0)) return false;
    return true;
}

// Central difference (f(x + h) - f(x - h)) / 2h.
template <class F>
double central_difference(F f, double x, double h = 1e-5) {
    return (f(x + h) - f(x - h)) / (2 * h);
}

}  // namespace ctnet::test
