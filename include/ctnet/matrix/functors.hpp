// functors.hpp — the math of element-wise nodes: one struct per operation, scalar and packet alike.
//
// Each functor's `apply` takes either a scalar T or a packet. Scalars go through
// a one-lane packet, so a coefficient is computed by exactly the algorithm that
// computes a vector lane (see simd/math.hpp).
#pragma once

#include <type_traits>

#include "../simd/packet.hpp"

namespace ctnet::inline CTNET_ABI::detail {

template <class V, class F>
CTNET_INLINE V lift(V x, F f) {
    if constexpr (std::is_floating_point_v<V>) {
        return f(simd::Packet<V, 1>{x}).v;
    } else {
        return f(x);
    }
}

struct AddOp {
    template <class V> static CTNET_INLINE V apply(V a, V b) { return a + b; }
};
struct SubOp {
    template <class V> static CTNET_INLINE V apply(V a, V b) { return a - b; }
};
struct MulOp {
    template <class V> static CTNET_INLINE V apply(V a, V b) { return a * b; }
};
struct DivOp {
    template <class V> static CTNET_INLINE V apply(V a, V b) { return a / b; }
};
struct MaxOp {
    template <class V> static CTNET_INLINE V apply(V a, V b) {
        if constexpr (std::is_floating_point_v<V>) return a > b ? a : b;
        else return simd::max(a, b);
    }
};
struct MinOp {
    template <class V> static CTNET_INLINE V apply(V a, V b) {
        if constexpr (std::is_floating_point_v<V>) return a < b ? a : b;
        else return simd::min(a, b);
    }
};

struct NegOp {
    template <class V> static CTNET_INLINE V apply(V a) { return -a; }
};
struct AbsOp {
    template <class V> static CTNET_INLINE V apply(V a) { return lift(a, [](auto p) { return simd::abs(p); }); }
};
struct SqrtOp {
    template <class V> static CTNET_INLINE V apply(V a) { return lift(a, [](auto p) { return simd::sqrt(p); }); }
};
struct ExpOp {
    template <class V> static CTNET_INLINE V apply(V a) { return lift(a, [](auto p) { return simd::exp(p); }); }
};
struct LogOp {
    template <class V> static CTNET_INLINE V apply(V a) { return lift(a, [](auto p) { return simd::log(p); }); }
};
struct TanhOp {
    template <class V> static CTNET_INLINE V apply(V a) { return lift(a, [](auto p) { return simd::tanh(p); }); }
};
struct SigmoidOp {
    template <class V> static CTNET_INLINE V apply(V a) { return lift(a, [](auto p) { return simd::sigmoid(p); }); }
};

// Comparisons give a bool for scalars and a backend mask for packets.
struct LessOp {
    template <class V> static CTNET_INLINE auto test(V a, V b) {
        if constexpr (std::is_floating_point_v<V>) return a < b;
        else return simd::cmp_lt(a, b);
    }
};
struct LessEqualOp {
    template <class V> static CTNET_INLINE auto test(V a, V b) {
        if constexpr (std::is_floating_point_v<V>) return a <= b;
        else return simd::cmp_le(a, b);
    }
};
struct GreaterOp {
    template <class V> static CTNET_INLINE auto test(V a, V b) {
        if constexpr (std::is_floating_point_v<V>) return a > b;
        else return simd::cmp_gt(a, b);
    }
};
struct GreaterEqualOp {
    template <class V> static CTNET_INLINE auto test(V a, V b) {
        if constexpr (std::is_floating_point_v<V>) return a >= b;
        else return simd::cmp_ge(a, b);
    }
};
struct EqualOp {
    template <class V> static CTNET_INLINE auto test(V a, V b) {
        if constexpr (std::is_floating_point_v<V>) return a == b;
        else return simd::cmp_eq(a, b);
    }
};
struct NotEqualOp {
    template <class V> static CTNET_INLINE auto test(V a, V b) {
        if constexpr (std::is_floating_point_v<V>) return a != b;
        else return simd::cmp_ne(a, b);
    }
};

}  // namespace ctnet::detail
