// product.hpp — dot(a, b): the matrix product as an expression node, fused into its assignment.
//
//     c = dot(x, w);                          // x * w
//     c = max(dot(x, transpose(w)) + b, 0);   // bias and ReLU applied in registers
//     w -= lr * dot(transpose(dy), x);        // an SGD step fused into the gradient product
//
// Operands are matrices or transpose(matrix); the kernels (gemm.hpp) read them
// in place. dot(transpose(a), transpose(b)) is not provided: it is
// transpose(dot(b, a)).
#pragma once

#include <algorithm>
#include <cstddef>
#include <type_traits>
#include <utility>

#include "../parallel/pool.hpp"
#include "expr.hpp"
#include "functors.hpp"
#include "gemm.hpp"
#include "storage.hpp"

namespace ctnet::inline CTNET_ABI {

namespace detail {

// What a product kernel needs of an operand: its buffer, its row stride, and
// whether the logical operand is the transpose of that buffer.
template <class X>
struct ProductOperand {
    static constexpr bool valid = false;
};
template <class X>
    requires(X::is_leaf)
struct ProductOperand<X> {
    static constexpr bool valid = true, transposed = false;
    static constexpr std::size_t rows = X::rows, cols = X::cols, stride = X::stride;
    static const auto* data(const X& x) { return x.data(); }
};
template <class E>
    requires(bare_t<E>::is_leaf)
struct ProductOperand<Transposed<E>> {
    using B = bare_t<E>;
    static constexpr bool valid = true, transposed = true;
    static constexpr std::size_t rows = B::cols, cols = B::rows, stride = B::stride;
    static const auto* data(const Transposed<E>& x) { return x.inner().data(); }
};

template <std::size_t LeftRows, std::size_t LeftCols, std::size_t RightRows, std::size_t RightCols>
inline constexpr bool dot_inner_dimensions_agree = LeftCols == RightRows;

template <std::size_t LeftRows, std::size_t LeftCols, std::size_t RightRows, std::size_t RightCols>
constexpr void assert_dot_shapes() {
    static_assert(dot_inner_dimensions_agree<LeftRows, LeftCols, RightRows, RightCols>,
                  "ctnet: dot(a, b) needs a's columns to equal b's rows (the four numbers below are "
                  "a's rows and cols, then b's)");
}

template <class A, class B>
struct Product : Node<typename bare_t<A>::value_type, bare_t<A>::rows, bare_t<B>::cols> {
    using OA = ProductOperand<bare_t<A>>;
    using OB = ProductOperand<bare_t<B>>;
    static constexpr int product_count = 1;
    static constexpr bool product_rooted = true;
    A a;
    B b;

    template <class X, class Y>
    Product(X&& x, Y&& y) : a(std::forward<X>(x)), b(std::forward<Y>(y)) {}
    template <class V>
    CTNET_INLINE V with_product(std::size_t, std::size_t, V v) const { return v; }
    bool reads(const void* p) const { return a.reads(p) || b.reads(p); }
    bool reads_across(const void* p) const { return reads(p); }
};

// The product node at the root of a product-rooted tree.
template <class E>
const auto& find_product(const E& e) {
    if constexpr (requires { typename E::OA; }) return e;
    else if constexpr (requires { e.e; }) return find_product(e.e);
    else if constexpr (E::left_rooted) return find_product(e.l);
    else return find_product(e.r);
}

// Whether e(p1 + p2) = e(p1) + e(p2) for the product p at e's root: the
// product itself, scaled by constants or negated. Such an assignment in an
// additive mode can take the product in parts (gemm.hpp's blocking of k).
template <class E>
inline constexpr bool linear_in_product = requires { typename E::OA; };
template <class F, class X>
inline constexpr bool linear_in_product<Unary<F, X>> = std::is_same_v<F, NegOp> && linear_in_product<bare_t<X>>;
template <class X>
inline constexpr bool is_constant_node = false;
template <class T, std::size_t R, std::size_t C>
inline constexpr bool is_constant_node<Constant<T, R, C>> = true;
template <class F, class L, class R>
inline constexpr bool linear_in_product<Binary<F, L, R>> =
    (std::is_same_v<F, MulOp> && ((linear_in_product<bare_t<L>> && is_constant_node<bare_t<R>>) ||
                                  (is_constant_node<bare_t<L>> && linear_in_product<bare_t<R>>))) ||
    (std::is_same_v<F, DivOp> && linear_in_product<bare_t<L>> && is_constant_node<bare_t<R>>);

// ---- products across threads (parallel/pool.hpp) ------------------------
// The least work of a piece, in multiply-adds (so a product of fewer than
// twice this stays on its caller): handing a piece to another thread and
// waiting for it back costs about a microsecond.
inline constexpr std::size_t parallel_min_work = std::size_t(1) << 17;

// How many pieces to cut `units` rows or column packets into, at most `cap`,
// for a product of `work` multiply-adds.
constexpr std::size_t pieces_for(std::size_t units, std::size_t work, std::size_t cap) {
    return std::max<std::size_t>(1, std::min({cap, units, work / parallel_min_work}));
}

// Units cut into P near-equal pieces, the first Units % P one unit longer,
// divided among the threads; f.template operator()<length, last>(first)
// computes each.
template <std::size_t Units, std::size_t P, class F>
void for_pieces(const F& f) {
    constexpr std::size_t small = Units / P, extra = Units % P;
    parallel::for_chunks(P, [&](std::size_t first, std::size_t last) {
        for (std::size_t p = first; p < last; ++p) {
            const std::size_t unit = p * small + std::min(p, extra);
            if constexpr (extra != 0) {
                if (p < extra) {
                    f.template operator()<small + 1, false>(unit);
                    continue;
                }
            }
            if (p + 1 < P) f.template operator()<small, false>(unit);
            else f.template operator()<small, true>(unit);
        }
    });
}

// A product on one thread (whole()), or in pieces (piece, see for_pieces)
// across several. The pieces are fixed at compile time, each a kernel for
// its own shape: 4 for up to 4 threads, and for more (when the product is
// large enough) 16. Fewer, larger pieces waste less in remainder tiles: on
// 2 threads (Zen 5, AVX-512) the forward 100x784 * (50x784)^T ran at 1.79x
// one thread in 8 pieces and 1.95x in 4. Every piece sums each element in
// the same order as the whole product does, so the result does not depend
// on the pieces: the same bits on any thread count (test/parallel/pool.cpp).
template <std::size_t Units, std::size_t Work, class Whole, class Piece>
void whole_or_pieces(const Whole& whole, const Piece& piece) {
    constexpr std::size_t few = pieces_for(Units, Work, 4), many = pieces_for(Units, Work, 16);
    if constexpr (few > 1) {
        const std::size_t n = threads();
        if (n > 1) {
            if constexpr (many > few) {
                if (n > few) return for_pieces<Units, many>(piece);
            }
            return for_pieces<Units, few>(piece);
        }
    }
    whole();
}

// C = A B by the outer kernel; across threads in pieces of C's columns (each
// reading all of A, the smaller operand, and its columns of B) or of its rows.
template <class Mode, std::size_t M, std::size_t N, std::size_t K, bool AT, std::size_t lda, std::size_t ldb,
          bool KBlockable, class T, class Dst, class E>
void run_outer(const T* a, const T* b, Dst& dst, const E& e) {
    constexpr std::size_t W = simd::lanes<T>, NB = (N + W - 1) / W;
    const auto whole = [&] { gemm::outer<Mode, M, N, K, AT, lda, ldb, KBlockable>(a, b, dst, e); };
    if constexpr (M < N) {
        whole_or_pieces<NB, M * N * K>(whole, [&]<std::size_t len, bool last>(std::size_t first) {
            const std::size_t j0 = first * W;
            constexpr std::size_t n = last ? N - (NB - len) * W : len * W;
            gemm::outer<Mode, M, n, K, AT, lda, ldb, KBlockable>(a, b + j0, dst, e, 0, j0);
        });
    } else {
        whole_or_pieces<M, M * N * K>(whole, [&]<std::size_t m, bool>(std::size_t i0) {
            gemm::outer<Mode, m, N, K, AT, lda, ldb, KBlockable>(AT ? a + i0 : a + i0 * lda, b, dst, e, i0, 0);
        });
    }
}

// C = A B^T by the inner kernel; across threads in pieces of the larger of
// C's dimensions (each piece reading all of the smaller operand).
template <class Mode, std::size_t M, std::size_t N, std::size_t K, std::size_t lda, std::size_t ldb, class T,
          class Dst, class E>
void run_inner(const T* a, const T* b, Dst& dst, const E& e) {
    constexpr bool stream = gemm::inner_streams_rows<T, M, N, K>;
    const auto whole = [&] { gemm::inner<Mode, M, N, K, lda, ldb, stream>(a, b, dst, e); };
    if constexpr (M >= N) {
        whole_or_pieces<M, M * N * K>(whole, [&]<std::size_t m, bool>(std::size_t i0) {
            gemm::inner<Mode, m, N, K, lda, ldb, stream>(a + i0 * lda, b, dst, e, i0, 0);
        });
    } else {
        whole_or_pieces<N, M * N * K>(whole, [&]<std::size_t n, bool>(std::size_t j0) {
            gemm::inner<Mode, M, n, K, lda, ldb, stream>(a, b + j0 * ldb, dst, e, 0, j0);
        });
    }
}

template <class Mode, class Dst, class E>
void run_product(Dst& dst, const E& e) {
    const auto& prod = find_product(e);
    using Prod = bare_t<decltype(prod)>;
    using OA = typename Prod::OA;
    using OB = typename Prod::OB;
    const auto* a = OA::data(prod.a);
    const auto* b = OB::data(prod.b);
    constexpr std::size_t M = OA::rows, K = OA::cols, N = OB::cols;
    using T = typename Dst::value_type;
    constexpr std::size_t W = simd::lanes<T>;
    constexpr bool in_parts = Mode::additive && linear_in_product<E>;
    if constexpr (!OB::transposed) {
        // Vectorised along the result's rows: C(i, :) += a(i, k) * B(k, :).
        run_outer<Mode, M, N, K, OA::transposed, OA::stride, OB::stride, in_parts>(a, b, dst, e);
    } else if constexpr (K <= 2 * W && K * N * sizeof(T) <= inline_storage_bytes) {
        // A k of one or two packets leaves the inner kernel reducing more than
        // multiplying; a small B^T is cheaper to transpose (into inline storage,
        // so no allocation) and multiply with the outer kernel.
        const Matrix<T, K, N> bt = transpose(prod.b.inner());
        run_outer<Mode, M, N, K, OA::transposed, OA::stride, Matrix<T, K, N>::stride, in_parts>(a, bt.data(), dst, e);
    } else {
        // Vectorised along k: C(i, j) = A(i, :) . B(j, :), both rows contiguous.
        run_inner<Mode, M, N, K, OA::stride, OB::stride>(a, b, dst, e);
    }
}

}  // namespace detail

// The matrix product a * b (numpy's dot / @). Either operand may be
// transpose(m); dot(transpose(a), transpose(b)) is a compile error.
template <Expression A, Expression B>
auto dot(A&& a, B&& b) {
    using BA = detail::bare_t<A>;
    using BB = detail::bare_t<B>;
    using OA = detail::ProductOperand<BA>;
    using OB = detail::ProductOperand<BB>;
    using T = typename BA::value_type;
    if constexpr (detail::any_poisoned<A, B>) {
        return detail::Poisoned<T>{};
    } else if constexpr (!detail::same_element_type<A, B>) {
        static_assert(detail::same_element_type<A, B>, "ctnet: dot() of a float and a double matrix");
        return detail::Poisoned<T>{};
    } else if constexpr (!OA::valid || !OB::valid) {
        static_assert(OA::valid && OB::valid,
                      "ctnet: dot() takes matrices or transpose(matrix); assign other expressions to a Matrix first");
        return detail::Poisoned<T>{};
    } else if constexpr (OA::transposed && OB::transposed) {
        static_assert(!(OA::transposed && OB::transposed),
                      "ctnet: dot(transpose(a), transpose(b)) is transpose(dot(b, a)); compute dot(b, a) instead");
        return detail::Poisoned<T>{};
    } else if constexpr (!detail::dot_inner_dimensions_agree<BA::rows, BA::cols, BB::rows, BB::cols>) {
        detail::assert_dot_shapes<BA::rows, BA::cols, BB::rows, BB::cols>();
        return detail::Poisoned<T>{};
    } else {
        return detail::Product<detail::operand_t<A&&>, detail::operand_t<B&&>>(std::forward<A>(a), std::forward<B>(b));
    }
}

}  // namespace ctnet
