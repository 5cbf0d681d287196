// operators.hpp — the element-wise vocabulary: + - * / with matrices and scalars, math functions, masks.
//
// Shapes follow numpy's broadcasting: equal, or 1 on the side that is
// stretched (a 1 x C bias row over R x C, an R x 1 column, a 1 x 1 value).
// Anything else is a compile error naming both shapes. `*` is element-wise,
// as in numpy; the matrix product is dot() (product.hpp).
#pragma once

#include <cstddef>
#include <type_traits>
#include <utility>

#include "expr.hpp"
#include "functors.hpp"

namespace ctnet::inline CTNET_ABI {

template <class S>
concept Scalar = std::is_arithmetic_v<std::remove_cvref_t<S>>;

namespace detail {

// These names appear in compile errors; their arguments are the shapes involved.
template <std::size_t LeftRows, std::size_t LeftCols, std::size_t RightRows, std::size_t RightCols>
inline constexpr bool elementwise_shapes_broadcast =
    (LeftRows == RightRows || LeftRows == 1 || RightRows == 1) &&
    (LeftCols == RightCols || LeftCols == 1 || RightCols == 1);

// The operand as a node of shape R x C: itself (a reference for an lvalue
// matrix, never a copy), or wrapped in a Broadcast.
template <std::size_t R, std::size_t C, class E>
using stretched_t = std::conditional_t<bare_t<E>::rows == R && bare_t<E>::cols == C, operand_t<E>,
                                       Broadcast<operand_t<E>, R, C>>;

template <std::size_t R, std::size_t C, class E>
stretched_t<R, C, E&&> stretch(E&& e) {
    return stretched_t<R, C, E&&>(std::forward<E>(e));
}

// The asserting helpers take the numbers as their own template parameters, so
// GCC and clang both print them in the failed condition.
template <std::size_t LeftRows, std::size_t LeftCols, std::size_t RightRows, std::size_t RightCols>
constexpr void assert_broadcastable() {
    static_assert(elementwise_shapes_broadcast<LeftRows, LeftCols, RightRows, RightCols>,
                  "ctnet: element-wise operation on shapes that do not broadcast (the four numbers below are "
                  "left rows, left cols, right rows, right cols); for a matrix product write dot(a, b)");
}

template <class L, class R>
constexpr void check_elementwise() {
    static_assert(same_element_type<L, R>,
                  "ctnet: an expression mixes float and double matrices; use one element type");
    if constexpr (same_element_type<L, R>)
        assert_broadcastable<bare_t<L>::rows, bare_t<L>::cols, bare_t<R>::rows, bare_t<R>::cols>();
}

template <class L, class R>
constexpr bool elementwise_ok() {
    if constexpr (!same_element_type<L, R>) return false;
    else return elementwise_shapes_broadcast<bare_t<L>::rows, bare_t<L>::cols, bare_t<R>::rows, bare_t<R>::cols>;
}

template <template <class, class, class> class NodeT, class F, class L, class R>
auto make_binary(L&& l, R&& r) {
    if constexpr (any_poisoned<L, R>) {
        return Poisoned<typename bare_t<L>::value_type>{};
    } else if constexpr (!elementwise_ok<L, R>()) {
        check_elementwise<L, R>();
        return Poisoned<typename bare_t<L>::value_type>{};
    } else {
    constexpr std::size_t rows = std::max(bare_t<L>::rows, bare_t<R>::rows);
    constexpr std::size_t cols = std::max(bare_t<L>::cols, bare_t<R>::cols);
    return NodeT<F, stretched_t<rows, cols, L&&>, stretched_t<rows, cols, R&&>>(
        stretch<rows, cols>(std::forward<L>(l)), stretch<rows, cols>(std::forward<R>(r)));
    }
}

template <class E, class S>
auto constant_like(S s) {
    using B = bare_t<E>;
    return Constant<typename B::value_type, B::rows, B::cols>(static_cast<typename B::value_type>(s));
}

template <class F, class E>
auto make_unary(E&& e) {
    if constexpr (any_poisoned<E>) return std::forward<E>(e);
    else return Unary<F, operand_t<E&&>>(std::forward<E>(e));
}

}  // namespace detail

#define CTNET_BINARY_OPERATOR(op, NodeT, Functor)                                                 \
    template <Expression L, Expression R>                                                    \
    auto operator op(L&& l, R&& r) {                                                         \
        return detail::make_binary<detail::NodeT, detail::Functor>(std::forward<L>(l),      \
                                                                    std::forward<R>(r));     \
    }                                                                                        \
    template <Expression L, Scalar S>                                                        \
    auto operator op(L&& l, S s) {                                                           \
        return detail::make_binary<detail::NodeT, detail::Functor>(                         \
            std::forward<L>(l), detail::constant_like<L>(s));                                \
    }                                                                                        \
    template <Scalar S, Expression R>                                                        \
    auto operator op(S s, R&& r) {                                                           \
        return detail::make_binary<detail::NodeT, detail::Functor>(                         \
            detail::constant_like<R>(s), std::forward<R>(r));                                \
    }

CTNET_BINARY_OPERATOR(+, Binary, AddOp)
CTNET_BINARY_OPERATOR(-, Binary, SubOp)
CTNET_BINARY_OPERATOR(*, Binary, MulOp)
CTNET_BINARY_OPERATOR(/, Binary, DivOp)

// Element-wise comparisons give masks: 1 where true, 0 elsewhere, and select()
// uses them directly. (== on two matrices compares whole values; the
// element-wise forms are equal() and not_equal().)
CTNET_BINARY_OPERATOR(<, Comparison, LessOp)
CTNET_BINARY_OPERATOR(<=, Comparison, LessEqualOp)
CTNET_BINARY_OPERATOR(>, Comparison, GreaterOp)
CTNET_BINARY_OPERATOR(>=, Comparison, GreaterEqualOp)
#undef CTNET_BINARY_OPERATOR

template <Expression E>
auto operator-(E&& e) {
    return detail::make_unary<detail::NegOp>(std::forward<E>(e));
}

#define CTNET_UNARY_FUNCTION(name, Functor)                                   \
    template <Expression E>                                                   \
    auto name(E&& e) {                                                        \
        return detail::make_unary<detail::Functor>(std::forward<E>(e));       \
    }

CTNET_UNARY_FUNCTION(abs, AbsOp)
CTNET_UNARY_FUNCTION(sqrt, SqrtOp)
CTNET_UNARY_FUNCTION(exp, ExpOp)
CTNET_UNARY_FUNCTION(log, LogOp)
CTNET_UNARY_FUNCTION(tanh, TanhOp)
CTNET_UNARY_FUNCTION(sigmoid, SigmoidOp)
#undef CTNET_UNARY_FUNCTION

// Element-wise max/min of two expressions, or of an expression and a scalar.
// As x86's maxps, the second operand is the result where either is NaN:
// max(x, 0) maps NaN to 0, max(0, x) keeps it (Relu does, so a NaN input
// reaches the loss instead of vanishing).
template <Expression L, Expression R>
auto max(L&& l, R&& r) {
    return detail::make_binary<detail::Binary, detail::MaxOp>(std::forward<L>(l), std::forward<R>(r));
}
template <Expression L, Scalar S>
auto max(L&& l, S s) {
    return detail::make_binary<detail::Binary, detail::MaxOp>(std::forward<L>(l), detail::constant_like<L>(s));
}
template <Scalar S, Expression R>
auto max(S s, R&& r) {
    return detail::make_binary<detail::Binary, detail::MaxOp>(detail::constant_like<R>(s), std::forward<R>(r));
}
template <Expression L, Expression R>
auto min(L&& l, R&& r) {
    return detail::make_binary<detail::Binary, detail::MinOp>(std::forward<L>(l), std::forward<R>(r));
}
template <Expression L, Scalar S>
auto min(L&& l, S s) {
    return detail::make_binary<detail::Binary, detail::MinOp>(std::forward<L>(l), detail::constant_like<L>(s));
}
template <Scalar S, Expression R>
auto min(S s, R&& r) {
    return detail::make_binary<detail::Binary, detail::MinOp>(detail::constant_like<R>(s), std::forward<R>(r));
}

template <Expression L, Expression R>
auto equal(L&& l, R&& r) {
    return detail::make_binary<detail::Comparison, detail::EqualOp>(std::forward<L>(l), std::forward<R>(r));
}
template <Expression L, Expression R>
auto not_equal(L&& l, R&& r) {
    return detail::make_binary<detail::Comparison, detail::NotEqualOp>(std::forward<L>(l), std::forward<R>(r));
}

// select(mask, a, b): a where mask is non-zero, b elsewhere; a and b may be scalars.
template <Expression M, class A, class B>
auto select(M&& m, A&& a, B&& b) {
    using Mb = detail::bare_t<M>;
    auto node_of = [](auto&& x) -> decltype(auto) {
        if constexpr (Scalar<decltype(x)>) return detail::constant_like<Mb>(x);
        else return std::forward<decltype(x)>(x);
    };
    auto&& an = node_of(std::forward<A>(a));
    auto&& bn = node_of(std::forward<B>(b));
    if constexpr (detail::any_poisoned<M, decltype(an), decltype(bn)> ||
                  !detail::elementwise_ok<M, decltype(an)>() || !detail::elementwise_ok<M, decltype(bn)>()) {
        detail::check_elementwise<M, decltype(an)>();
        detail::check_elementwise<M, decltype(bn)>();
        return detail::Poisoned<typename Mb::value_type>{};
    } else {
    detail::check_elementwise<M, decltype(an)>();
    detail::check_elementwise<M, decltype(bn)>();
    constexpr std::size_t rows = Mb::rows, cols = Mb::cols;
    static_assert(detail::bare_t<decltype(an)>::rows <= rows && detail::bare_t<decltype(an)>::cols <= cols &&
                      detail::bare_t<decltype(bn)>::rows <= rows && detail::bare_t<decltype(bn)>::cols <= cols,
                  "ctnet: select(mask, a, b): the mask must have the full shape of the result");
    using SM = detail::stretched_t<rows, cols, M&&>;
    using SA = detail::stretched_t<rows, cols, decltype(an)&&>;
    using SB = detail::stretched_t<rows, cols, decltype(bn)&&>;
    return detail::Select<SM, SA, SB>(detail::stretch<rows, cols>(std::forward<M>(m)),
                                      detail::stretch<rows, cols>(std::forward<decltype(an)>(an)),
                                      detail::stretch<rows, cols>(std::forward<decltype(bn)>(bn)));
    }
}

// The transpose: free inside dot(), a gather element-wise.
template <Expression E>
auto transpose(E&& e) {
    if constexpr (detail::any_poisoned<E>) return std::forward<E>(e);
    else return detail::Transposed<detail::operand_t<E&&>>(std::forward<E>(e));
}

}  // namespace ctnet
