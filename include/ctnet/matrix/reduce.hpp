// reduce.hpp — reductions: sum, mean, max/min, all_finite; per-column sums; per-row sum, max, argmax.
//
// Whole-matrix reductions return a scalar. col_sum() is lazy (db = col_sum(dy)
// writes straight into db); the per-row reductions are evaluated at once into
// an R x 1 column (which broadcasts: x - row_max(x)) or an array of indices.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <utility>

#include "matrix.hpp"

namespace ctnet::inline CTNET_ABI {

namespace detail {

// Folds every valid element of e with op, starting from (and padding with) init.
template <class E, class Op>
CTNET_INLINE auto fold_row(const E& e, std::size_t i, typename E::value_type init, Op op) {
    using T = typename E::value_type;
    using P = simd::packet_t<T>;
    constexpr std::size_t W = P::size, C = E::cols, full = C / W * W;
    P acc = P::broadcast(init);
    for (std::size_t j = 0; j < full; j += W) acc = op(acc, e.packet(i, j));
    if constexpr (C % W != 0) acc = op(acc, simd::select(P::first_lanes(C % W), e.packet(i, full), P::broadcast(init)));
    return acc;
}

template <class E>
void check_reducible() {
    static_assert(any_poisoned<E> || E::product_count == 0,
                  "ctnet: reduce the result of dot() after assigning it to a Matrix");
}

// The lazy per-column sum: a 1 x C node.
template <class E>
struct ColSum : Node<typename bare_t<E>::value_type, 1, bare_t<E>::cols> {
    using B = bare_t<E>;
    using T = typename B::value_type;
    using P = simd::packet_t<T>;
    static constexpr int product_count = 0;
    static constexpr bool product_rooted = false;
    static constexpr bool broadcastable = false;
    E e;

    template <class X>
    explicit ColSum(X&& inner) : e(std::forward<X>(inner)) {}
    CTNET_INLINE T coeff(std::size_t, std::size_t j) const {
        T s = 0;
        for (std::size_t i = 0; i < B::rows; ++i) s += e.coeff(i, j);
        return s;
    }
    CTNET_INLINE P packet(std::size_t, std::size_t j) const {
        P s = P::zero();
        for (std::size_t i = 0; i < B::rows; ++i) s = s + e.packet(i, j);
        return s;
    }
    bool reads(const void* p) const { return e.reads(p); }
    bool reads_across(const void* p) const { return e.reads(p); }
};

}  // namespace detail

namespace detail {
// Every valid element of e folded with op into one packet, then reduced.
template <class E, class Op, class Reduce>
auto fold_all(const E& e, typename bare_t<E>::value_type init, Op op, Reduce reduce) {
    using P = simd::packet_t<typename bare_t<E>::value_type>;
    check_reducible<bare_t<E>>();
    P acc = P::broadcast(init);
    for (std::size_t i = 0; i < bare_t<E>::rows; ++i) acc = op(acc, fold_row(e, i, init, op));
    return reduce(acc);
}
// Each row of e folded and reduced, as an R x 1 column.
template <class E, class Op, class Reduce>
auto fold_rows(const E& e, typename bare_t<E>::value_type init, Op op, Reduce reduce) {
    using B = bare_t<E>;
    check_reducible<B>();
    Matrix<typename B::value_type, B::rows, 1> out;
    for (std::size_t i = 0; i < B::rows; ++i) out(i, 0) = reduce(fold_row(e, i, init, op));
    return out;
}
inline constexpr auto add = [](auto a, auto b) { return a + b; };
inline constexpr auto maximum = [](auto a, auto b) { return simd::max(a, b); };
inline constexpr auto minimum = [](auto a, auto b) { return simd::min(a, b); };
inline constexpr auto reduce_sum = [](auto p) { return simd::reduce_add(p); };
inline constexpr auto reduce_maximum = [](auto p) { return simd::reduce_max(p); };
inline constexpr auto reduce_minimum = [](auto p) { return simd::reduce_min(p); };
template <class E>
inline constexpr auto lowest = -std::numeric_limits<typename bare_t<E>::value_type>::infinity();
}  // namespace detail

template <Expression E>
typename detail::bare_t<E>::value_type sum(const E& e) {
    return detail::fold_all(e, 0, detail::add, detail::reduce_sum);
}

template <Expression E>
typename detail::bare_t<E>::value_type mean(const E& e) {
    using B = detail::bare_t<E>;
    return sum(e) / static_cast<typename B::value_type>(B::rows * B::cols);
}

template <Expression E>
typename detail::bare_t<E>::value_type max_coeff(const E& e) {
    return detail::fold_all(e, detail::lowest<E>, detail::maximum, detail::reduce_maximum);
}

template <Expression E>
typename detail::bare_t<E>::value_type min_coeff(const E& e) {
    return detail::fold_all(e, -detail::lowest<E>, detail::minimum, detail::reduce_minimum);
}

// True when no element is NaN or infinite.
template <Expression E>
bool all_finite(const E& e) {
    using B = detail::bare_t<E>;
    using T = typename B::value_type;
    using P = simd::packet_t<T>;
    detail::check_reducible<B>();
    const P inf = P::broadcast(std::numeric_limits<T>::infinity());
    // |x| < inf fails for NaN and for +-inf; padding lanes are replaced by 0.
    for (std::size_t i = 0; i < B::rows; ++i) {
        const P bad = detail::fold_row(e, i, 0, [&](P acc, P x) {
            return simd::select(simd::cmp_lt(simd::abs(x), inf), acc, inf);
        });
        if (simd::any(simd::cmp_eq(bad, inf))) return false;
    }
    return true;
}

// Sum of each column, as a lazy 1 x C row: db = col_sum(dy).
template <Expression E>
auto col_sum(E&& e) {
    detail::check_reducible<detail::bare_t<E>>();
    return detail::ColSum<detail::operand_t<E&&>>(std::forward<E>(e));
}

// Sum of each row, as an R x 1 column.
template <Expression E>
auto row_sum(const E& e) {
    return detail::fold_rows(e, 0, detail::add, detail::reduce_sum);
}

// Maximum of each row, as an R x 1 column.
template <Expression E>
auto row_max(const E& e) {
    return detail::fold_rows(e, detail::lowest<E>, detail::maximum, detail::reduce_maximum);
}

// Column index of each row's maximum (the first one on ties), as numpy's
// argmax(axis=1): a NaN counts as the maximum, so a row holding one answers
// its first NaN, never a number that merely beat the others.
template <Expression E>
std::array<std::uint32_t, detail::bare_t<E>::rows> row_argmax(const E& e) {
    using B = detail::bare_t<E>;
    detail::check_reducible<B>();
    std::array<std::uint32_t, B::rows> out{};
    for (std::size_t i = 0; i < B::rows; ++i) {
        auto best = e.coeff(i, 0);
        for (std::size_t j = 1; j < B::cols && best == best; ++j) {
            const auto v = e.coeff(i, j);
            if (v > best || v != v) {
                best = v;
                out[i] = static_cast<std::uint32_t>(j);
            }
        }
    }
    return out;
}

}  // namespace ctnet
