// ops.hpp — the operations of the scalar computational graph, each with its local derivative beneath it.
//
// A node's backward multiplies the upstream gradient by the local derivative
// of its own operation only (book 5.1.2, "local computation"); the chain rule
// does the rest. `local` receives the node's inputs and its own output, since
// some derivatives read best in terms of the output (exp: y; 1/x: -y^2).
#pragma once

#include <cmath>
#include <utility>

#include "../config.hpp"

namespace ctnet::inline CTNET_ABI::graph::op {

struct Add {
    static constexpr const char* symbol = "+";
    template <class T> static T forward(T x, T y) { return x + y; }
    // d(x+y)/dx = d(x+y)/dy = 1: upstream passes through unchanged (book 5.3.1).
    template <class T> static std::pair<T, T> local(T, T, T) { return {T(1), T(1)}; }
};

struct Sub {
    static constexpr const char* symbol = "-";
    template <class T> static T forward(T x, T y) { return x - y; }
    template <class T> static std::pair<T, T> local(T, T, T) { return {T(1), T(-1)}; }
};

struct Mul {
    static constexpr const char* symbol = "*";
    template <class T> static T forward(T x, T y) { return x * y; }
    // d(xy)/dx = y, d(xy)/dy = x: the inputs swap places (book 5.3.2).
    template <class T> static std::pair<T, T> local(T x, T y, T) { return {y, x}; }
};

struct Div {
    static constexpr const char* symbol = "/";
    template <class T> static T forward(T x, T y) { return x / y; }
    // d(x/y)/dx = 1/y, d(x/y)/dy = -x/y^2 = -out/y (for 1/y: -out^2, the book's "/" node).
    template <class T> static std::pair<T, T> local(T, T y, T out) { return {T(1) / y, -out / y}; }
};

struct Neg {
    static constexpr const char* symbol = "-";
    template <class T> T forward(T x) const { return -x; }
    template <class T> T local(T, T) const { return T(-1); }
};

struct Exp {
    static constexpr const char* symbol = "exp";
    template <class T> T forward(T x) const { return std::exp(x); }
    // d exp(x)/dx = exp(x): the node's own output.
    template <class T> T local(T, T out) const { return out; }
};

struct Log {
    static constexpr const char* symbol = "log";
    template <class T> T forward(T x) const { return std::log(x); }
    template <class T> T local(T x, T) const { return T(1) / x; }
};

// x^c for a constant exponent c (not a variable of the graph).
struct Pow {
    static constexpr const char* symbol = "pow";
    double exponent;
    template <class T> T forward(T x) const { return std::pow(x, static_cast<T>(exponent)); }
    template <class T> T local(T x, T) const {
        const T c = static_cast<T>(exponent);
        return c * std::pow(x, c - T(1));
    }
};

}  // namespace ctnet::graph::op
