// gradient.hpp — forward and reverse passes over a scalar computational graph.
//
//     auto [apple, apple_num, orange, orange_num, tax] =
//         ctnet::graph::variables(100.0, 2.0, 150.0, 3.0, 1.1);
//     auto price = (apple * apple_num + orange * orange_num) * tax;
//     double p = price.value();                                   // 715.0000000000001
//     auto [dapple, dapple_num, dorange, dorange_num, dtax] =
//         ctnet::graph::gradient(price, apple, apple_num, orange, orange_num, tax);
//
// forward() evaluates every node once and keeps each intermediate value, as
// the book's nodes do; backward() runs right to left multiplying the upstream
// gradient by each node's local derivative. Both are recursive templates over
// the expression type, so the compiler unrolls them into straight-line code:
// no tape, no heap. A subexpression used twice is a tree copy, evaluated twice;
// its gradient contributions still add up correctly at the leaves.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>

#include "../config.hpp"
#include "node.hpp"

namespace ctnet::inline CTNET_ABI::graph {

// The graph with every node's forward value stored next to it.
template <class N>
struct Forward;

template <Real T, std::size_t I>
struct Forward<Var<T, I>> {
    T value;
    explicit Forward(const Var<T, I>& n) : value(n.v) {}
};

template <Real T>
struct Forward<Const<T>> {
    T value;
    explicit Forward(const Const<T>& n) : value(n.v) {}
};

template <class Op, Node A>
struct Forward<Unary<Op, A>> {
    Forward<A> a;
    Op op;
    typename A::value_type value;
    explicit Forward(const Unary<Op, A>& n) : a(n.a), op(n.op), value(op.forward(a.value)) {}
};

template <class Op, Node A, Node B>
struct Forward<Binary<Op, A, B>> {
    Forward<A> a;
    Forward<B> b;
    typename A::value_type value;
    explicit Forward(const Binary<Op, A, B>& n) : a(n.a), b(n.b), value(Op::forward(a.value, b.value)) {}
};

template <Node N>
Forward<N> forward(const N& n) {
    return Forward<N>(n);
}

// Adds d(root)/d(leaf) into grads[leaf index], given d(root)/d(this node) = dout.
template <Real T, std::size_t I, std::size_t M>
void backward(const Forward<Var<T, I>>&, T dout, std::array<T, M>& grads) {
    grads[I] += dout;
}
template <Real T, std::size_t M>
void backward(const Forward<Const<T>>&, T, std::array<T, M>&) {}

template <class Op, Node A, std::size_t M>
void backward(const Forward<Unary<Op, A>>& f, typename A::value_type dout, std::array<typename A::value_type, M>& grads) {
    backward(f.a, dout * f.op.local(f.a.value, f.value), grads);
}

template <class Op, Node A, Node B, std::size_t M>
void backward(const Forward<Binary<Op, A, B>>& f, typename A::value_type dout,
              std::array<typename A::value_type, M>& grads) {
    const auto [da, db] = Op::local(f.a.value, f.b.value, f.value);
    backward(f.a, dout * da, grads);
    backward(f.b, dout * db, grads);
}

// d(root)/d(v) for each variable v, in the order given (0 for a variable the
// root does not depend on).
template <Node N, class... Vars>
auto gradient(const N& root, const Vars&...) {
    using T = typename N::value_type;
    constexpr std::size_t slots = std::max({N::max_index, Vars::index...}) + 1;
    std::array<T, slots> grads{};
    backward(forward(root), T(1), grads);
    return std::array<T, sizeof...(Vars)>{grads[Vars::index]...};
}

}  // namespace ctnet::graph
