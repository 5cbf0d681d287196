// node.hpp — the scalar computational graph's node types: variables, constants and operation nodes.
//
// Writing an expression builds a graph as a type: (apple * apple_num) * tax
// is Binary<Mul, Binary<Mul, Var<double, 0>, Var<double, 1>>, Var<double, 2>>.
// Nothing is recorded at run time; gradient.hpp walks the type in reverse.
#pragma once

#include <concepts>
#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>

#include "../config.hpp"
#include "ops.hpp"

namespace ctnet::inline CTNET_ABI::graph {

namespace detail {
struct NodeTag {};
}  // namespace detail

template <class N>
concept Node = std::derived_from<std::remove_cvref_t<N>, detail::NodeTag>;

template <class T>
concept Real = std::is_same_v<T, float> || std::is_same_v<T, double>;

// A leaf the gradient is taken with respect to; I identifies it in the graph.
template <Real T, std::size_t I>
struct Var : detail::NodeTag {
    using value_type = T;
    static constexpr std::size_t index = I;
    static constexpr std::size_t max_index = I;
    T v;
    T value() const { return v; }
};

// A leaf with no gradient (the 1 in 1 + exp(-x)).
template <Real T>
struct Const : detail::NodeTag {
    using value_type = T;
    static constexpr std::size_t max_index = 0;
    T v;
    T value() const { return v; }
};

template <class Op, Node A>
struct Unary : detail::NodeTag {
    using value_type = typename A::value_type;
    static constexpr std::size_t max_index = A::max_index;
    A a;
    Op op;
    value_type value() const { return op.forward(a.value()); }
};

template <class Op, Node A, Node B>
struct Binary : detail::NodeTag {
    static_assert(std::is_same_v<typename A::value_type, typename B::value_type>,
                  "ctnet::graph: an expression mixes float and double variables");
    using value_type = typename A::value_type;
    static constexpr std::size_t max_index = A::max_index > B::max_index ? A::max_index : B::max_index;
    A a;
    B b;
    value_type value() const { return Op::forward(a.value(), b.value()); }
};

// Variables 0, 1, 2, ... holding the given values, for structured bindings:
//     auto [x, y] = ctnet::graph::variables(3.0, 4.0);
template <class... Vs>
auto variables(Vs... values) {
    using T = std::common_type_t<Vs...>;
    static_assert(Real<T>, "ctnet::graph::variables: pass float or double values (write 2.0, not 2)");
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
        return std::tuple<Var<T, I>...>{Var<T, I>{{}, static_cast<T>(values)}...};
    }(std::index_sequence_for<Vs...>{});
}

namespace detail {
template <class N>
using bare = std::remove_cvref_t<N>;

template <class X, class Other>
auto as_node(X x) {
    if constexpr (Node<X>) return x;
    else return Const<typename Other::value_type>{{}, static_cast<typename Other::value_type>(x)};
}

template <class Op, class X, class Y>
auto binary(X x, Y y) {
    using Ref = std::conditional_t<Node<X>, X, Y>;
    auto a = as_node<X, Ref>(x);
    auto b = as_node<Y, Ref>(y);
    return Binary<Op, decltype(a), decltype(b)>{{}, a, b};
}
}  // namespace detail

template <class X, class Y>
concept NodeOperands = (Node<X> || Node<Y>) && (Node<X> || std::is_arithmetic_v<X>) &&
                       (Node<Y> || std::is_arithmetic_v<Y>);

template <class X, class Y> requires NodeOperands<X, Y>
auto operator+(X x, Y y) { return detail::binary<op::Add>(x, y); }
template <class X, class Y> requires NodeOperands<X, Y>
auto operator-(X x, Y y) { return detail::binary<op::Sub>(x, y); }
template <class X, class Y> requires NodeOperands<X, Y>
auto operator*(X x, Y y) { return detail::binary<op::Mul>(x, y); }
template <class X, class Y> requires NodeOperands<X, Y>
auto operator/(X x, Y y) { return detail::binary<op::Div>(x, y); }

template <Node A>
auto operator-(A a) { return Unary<op::Neg, A>{{}, a, {}}; }
template <Node A>
auto exp(A a) { return Unary<op::Exp, A>{{}, a, {}}; }
template <Node A>
auto log(A a) { return Unary<op::Log, A>{{}, a, {}}; }
// x^c with a constant exponent.
template <Node A>
auto pow(A a, double exponent) { return Unary<op::Pow, A>{{}, a, op::Pow{exponent}}; }

}  // namespace ctnet::graph
