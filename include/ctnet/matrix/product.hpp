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

#include <cstddef>
#include <type_traits>
#include <utility>

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
        gemm::outer<Mode, M, N, K, OA::transposed, OA::stride, OB::stride, in_parts>(a, b, dst, e);
    } else if constexpr (K <= 2 * W && K * N * sizeof(T) <= inline_storage_bytes) {
        // A k of one or two packets leaves the inner kernel reducing more than
        // multiplying; a small B^T is cheaper to transpose (into inline storage,
        // so no allocation) and multiply with the outer kernel.
        const Matrix<T, K, N> bt = transpose(prod.b.inner());
        gemm::outer<Mode, M, N, K, OA::transposed, OA::stride, Matrix<T, K, N>::stride, in_parts>(a, bt.data(), dst, e);
    } else {
        // Vectorised along k: C(i, j) = A(i, :) . B(j, :), both rows contiguous.
        gemm::inner<Mode, M, N, K, OA::stride, OB::stride>(a, b, dst, e);
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
