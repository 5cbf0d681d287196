// expr.hpp — the lazy element-wise nodes: constant, broadcast, unary, binary, comparison, select, transpose.
//
// A node holds its operands and knows its shape; the functor (functors.hpp)
// holds the math; assign.hpp evaluates any tree in one pass. No node contains
// an intrinsic: they speak only in packets.
#pragma once

#include <cstddef>
#include <utility>

#include "../config.hpp"
#include "../simd/packet.hpp"
#include "expr_base.hpp"

namespace ctnet::inline CTNET_ABI::detail {

template <class T, std::size_t R, std::size_t C>
struct Node : ExprTag {
    using value_type = T;
    using packet_type = simd::packet_t<T>;
    static constexpr std::size_t rows = R, cols = C;
    static constexpr bool is_leaf = false;
    // Lazy reductions set this false: broadcasting one would redo the reduction per use.
    static constexpr bool broadcastable = true;
};

// A scalar seen as an R x C matrix.
template <class T, std::size_t R, std::size_t C>
struct Constant : Node<T, R, C> {
    using P = simd::packet_t<T>;
    static constexpr int product_count = 0;
    static constexpr bool product_rooted = false;
    T value;

    explicit Constant(T v) : value(v) {}
    CTNET_INLINE T coeff(std::size_t, std::size_t) const { return value; }
    CTNET_INLINE P packet(std::size_t, std::size_t) const { return P::broadcast(value); }
    bool reads(const void*) const { return false; }
    bool reads_across(const void*) const { return false; }
};

// numpy broadcasting of a 1 x C row, an R x 1 column or a 1 x 1 matrix to R x C.
template <class E, std::size_t R, std::size_t C>
struct Broadcast : Node<typename bare_t<E>::value_type, R, C> {
    using B = bare_t<E>;
    using T = typename B::value_type;
    using P = simd::packet_t<T>;
    static_assert(B::broadcastable,
                  "ctnet: a lazy reduction (col_sum) cannot be broadcast; assign it to a Matrix first");
    static_assert(B::product_count == 0,
                  "ctnet: a matrix product cannot be broadcast inside an expression; assign it to a Matrix first");
    static constexpr int product_count = 0;
    static constexpr bool product_rooted = false;
    static constexpr bool whole_row = B::rows == 1, whole_col = B::cols == 1;
    E e;

    template <class X>
    explicit Broadcast(X&& inner) : e(std::forward<X>(inner)) {}
    CTNET_INLINE T coeff(std::size_t i, std::size_t j) const {
        return e.coeff(whole_row ? 0 : i, whole_col ? 0 : j);
    }
    CTNET_INLINE P packet(std::size_t i, std::size_t j) const {
        if constexpr (whole_col) return P::broadcast(e.coeff(whole_row ? 0 : i, 0));
        else return e.packet(whole_row ? 0 : i, j);
    }
    bool reads(const void* p) const { return e.reads(p); }
    bool reads_across(const void* p) const { return e.reads(p); }
};

template <class F, class E>
struct Unary : Node<typename bare_t<E>::value_type, bare_t<E>::rows, bare_t<E>::cols> {
    using B = bare_t<E>;
    using T = typename B::value_type;
    using P = simd::packet_t<T>;
    static constexpr int product_count = B::product_count;
    static constexpr bool product_rooted = B::product_rooted;
    E e;

    template <class X>
    explicit Unary(X&& inner) : e(std::forward<X>(inner)) {}
    CTNET_INLINE T coeff(std::size_t i, std::size_t j) const { return F::apply(e.coeff(i, j)); }
    CTNET_INLINE P packet(std::size_t i, std::size_t j) const { return F::apply(e.packet(i, j)); }
    template <class V>
    CTNET_INLINE V with_product(std::size_t i, std::size_t j, V v) const {
        return F::apply(e.with_product(i, j, v));
    }
    bool reads(const void* p) const { return e.reads(p); }
    bool reads_across(const void* p) const { return e.reads_across(p); }
};

template <class F, class L, class R>
struct Binary : Node<typename bare_t<L>::value_type, bare_t<L>::rows, bare_t<L>::cols> {
    using BL = bare_t<L>;
    using BR = bare_t<R>;
    using T = typename BL::value_type;
    using P = simd::packet_t<T>;
    static constexpr int product_count = BL::product_count + BR::product_count;
    static constexpr bool left_rooted = BL::product_rooted && BR::product_count == 0;
    static constexpr bool product_rooted = left_rooted || (BR::product_rooted && BL::product_count == 0);
    L l;
    R r;

    template <class X, class Y>
    Binary(X&& a, Y&& b) : l(std::forward<X>(a)), r(std::forward<Y>(b)) {}
    CTNET_INLINE T coeff(std::size_t i, std::size_t j) const { return F::apply(l.coeff(i, j), r.coeff(i, j)); }
    CTNET_INLINE P packet(std::size_t i, std::size_t j) const { return F::apply(l.packet(i, j), r.packet(i, j)); }
    // Evaluates the tree with v standing in for the product's value at (i, j):
    // how a bias or an activation is applied while a product tile is in registers.
    template <class V>
    CTNET_INLINE V with_product(std::size_t i, std::size_t j, V v) const {
        if constexpr (left_rooted) return F::apply(l.with_product(i, j, v), value_at<V>(r, i, j));
        else return F::apply(value_at<V>(l, i, j), r.with_product(i, j, v));
    }
    bool reads(const void* p) const { return l.reads(p) || r.reads(p); }
    bool reads_across(const void* p) const { return l.reads_across(p) || r.reads_across(p); }

private:
    template <class V, class X>
    static CTNET_INLINE V value_at(const X& x, std::size_t i, std::size_t j) {
        if constexpr (std::is_floating_point_v<V>) return x.coeff(i, j);
        else return x.packet(i, j);
    }
};

// An element-wise comparison: 1 where it holds, 0 elsewhere, and a native mask for select.
template <class F, class L, class R>
struct Comparison : Node<typename bare_t<L>::value_type, bare_t<L>::rows, bare_t<L>::cols> {
    using T = typename bare_t<L>::value_type;
    using P = simd::packet_t<T>;
    static_assert(bare_t<L>::product_count + bare_t<R>::product_count == 0,
                  "ctnet: compare the result of a matrix product after assigning it to a Matrix");
    static constexpr int product_count = 0;
    static constexpr bool product_rooted = false;
    L l;
    R r;

    template <class X, class Y>
    Comparison(X&& a, Y&& b) : l(std::forward<X>(a)), r(std::forward<Y>(b)) {}
    CTNET_INLINE auto mask(std::size_t i, std::size_t j) const { return F::test(l.packet(i, j), r.packet(i, j)); }
    CTNET_INLINE T coeff(std::size_t i, std::size_t j) const { return F::test(l.coeff(i, j), r.coeff(i, j)) ? T(1) : T(0); }
    CTNET_INLINE P packet(std::size_t i, std::size_t j) const {
        return simd::select(mask(i, j), P::broadcast(T(1)), P::zero());
    }
    bool reads(const void* p) const { return l.reads(p) || r.reads(p); }
    bool reads_across(const void* p) const { return l.reads_across(p) || r.reads_across(p); }
};

template <class M>
concept HasMask = requires(const M& m) { m.mask(std::size_t{}, std::size_t{}); };

// select(m, a, b): a where m holds (a comparison, or any non-zero value), b elsewhere.
template <class M, class A, class B>
struct Select : Node<typename bare_t<A>::value_type, bare_t<A>::rows, bare_t<A>::cols> {
    using T = typename bare_t<A>::value_type;
    using P = simd::packet_t<T>;
    static_assert(bare_t<M>::product_count + bare_t<A>::product_count + bare_t<B>::product_count == 0,
                  "ctnet: select() over a matrix product: assign the product to a Matrix first");
    static constexpr int product_count = 0;
    static constexpr bool product_rooted = false;
    M m;
    A a;
    B b;

    template <class X, class Y, class Z>
    Select(X&& mm, Y&& aa, Z&& bb) : m(std::forward<X>(mm)), a(std::forward<Y>(aa)), b(std::forward<Z>(bb)) {}
    CTNET_INLINE T coeff(std::size_t i, std::size_t j) const {
        return m.coeff(i, j) != T(0) ? a.coeff(i, j) : b.coeff(i, j);
    }
    CTNET_INLINE P packet(std::size_t i, std::size_t j) const {
        if constexpr (HasMask<bare_t<M>>) return simd::select(m.mask(i, j), a.packet(i, j), b.packet(i, j));
        else return simd::select(simd::cmp_ne(m.packet(i, j), P::zero()), a.packet(i, j), b.packet(i, j));
    }
    bool reads(const void* p) const { return m.reads(p) || a.reads(p) || b.reads(p); }
    bool reads_across(const void* p) const {
        return m.reads_across(p) || a.reads_across(p) || b.reads_across(p);
    }
};

// The transpose of a matrix or an expression. Inside dot() it is free (the
// product kernels read the operand in place); element-wise it gathers one
// coefficient per lane, which is correct but not fast.
template <class E>
struct Transposed : Node<typename bare_t<E>::value_type, bare_t<E>::cols, bare_t<E>::rows> {
    using B = bare_t<E>;
    using T = typename B::value_type;
    using P = simd::packet_t<T>;
    static_assert(B::product_count == 0,
                  "ctnet: transpose(dot(a, b)) is not fused; write dot(transpose(b), transpose(a)) "
                  "or assign the product first");
    static constexpr int product_count = 0;
    static constexpr bool product_rooted = false;
    E e;

    template <class X>
    explicit Transposed(X&& inner) : e(std::forward<X>(inner)) {}
    const B& inner() const { return e; }
    CTNET_INLINE T coeff(std::size_t i, std::size_t j) const { return e.coeff(j, i); }
    CTNET_INLINE P packet(std::size_t i, std::size_t j) const {
        alignas(buffer_alignment) T lane[P::size];
        for (std::size_t l = 0; l < P::size; ++l) lane[l] = j + l < B::rows ? e.coeff(j + l, i) : T(0);
        return P::load(lane);
    }
    bool reads(const void* p) const { return e.reads(p); }
    bool reads_across(const void* p) const { return e.reads(p); }
};

}  // namespace ctnet::detail
