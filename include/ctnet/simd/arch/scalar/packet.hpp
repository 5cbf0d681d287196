// arch/scalar/packet.hpp — the one-lane packet Packet<T, 1>: plain C++, present under every backend.
//
// It is the scalar backend's packet (arch/scalar/native.hpp selects it) and,
// under any backend, how a single coefficient goes through math.hpp, so a
// coefficient and a vector lane are computed by the same algorithm. It rounds
// like the vector backends where it can (std::fma for fmadd).
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>
#include <type_traits>

#include "../../../config.hpp"
#include "../../packet_fwd.hpp"

namespace ctnet::inline CTNET_ABI::simd {

template <class T>
struct Mask<T, 1> {
    bool m;
};

template <class T>
struct Packet<T, 1> {
    static_assert(std::is_same_v<T, float> || std::is_same_v<T, double>,
                  "ctnet: packets hold float or double");
    using value_type = T;
    static constexpr std::size_t size = 1;
    T v;

    static CTNET_INLINE Packet zero() { return {T(0)}; }
    static CTNET_INLINE Packet broadcast(T x) { return {x}; }
    static CTNET_INLINE Packet load(const T* p) { return {*p}; }
    static CTNET_INLINE Packet loadu(const T* p) { return {*p}; }
    CTNET_INLINE void store(T* p) const { *p = v; }
    CTNET_INLINE void storeu(T* p) const { *p = v; }
    static CTNET_INLINE Mask<T, 1> first_lanes(std::size_t n) { return {n > 0}; }
};

template <class T> CTNET_INLINE Packet<T, 1> operator+(Packet<T, 1> a, Packet<T, 1> b) { return {a.v + b.v}; }
template <class T> CTNET_INLINE Packet<T, 1> operator-(Packet<T, 1> a, Packet<T, 1> b) { return {a.v - b.v}; }
template <class T> CTNET_INLINE Packet<T, 1> operator*(Packet<T, 1> a, Packet<T, 1> b) { return {a.v * b.v}; }
template <class T> CTNET_INLINE Packet<T, 1> operator/(Packet<T, 1> a, Packet<T, 1> b) { return {a.v / b.v}; }
template <class T> CTNET_INLINE Packet<T, 1> operator-(Packet<T, 1> a) { return {-a.v}; }
template <class T> CTNET_INLINE Packet<T, 1> fmadd(Packet<T, 1> a, Packet<T, 1> b, Packet<T, 1> c) {
    return {std::fma(a.v, b.v, c.v)};
}
template <class T> CTNET_INLINE Packet<T, 1> fnmadd(Packet<T, 1> a, Packet<T, 1> b, Packet<T, 1> c) {
    return {std::fma(-a.v, b.v, c.v)};
}
// Same operand order as x86 min/max: the second operand wins when either is NaN.
template <class T> CTNET_INLINE Packet<T, 1> min(Packet<T, 1> a, Packet<T, 1> b) { return {a.v < b.v ? a.v : b.v}; }
template <class T> CTNET_INLINE Packet<T, 1> max(Packet<T, 1> a, Packet<T, 1> b) { return {a.v > b.v ? a.v : b.v}; }
template <class T> CTNET_INLINE Packet<T, 1> abs(Packet<T, 1> a) { return {std::fabs(a.v)}; }
template <class T> CTNET_INLINE Packet<T, 1> sqrt(Packet<T, 1> a) { return {std::sqrt(a.v)}; }

template <class T> CTNET_INLINE Mask<T, 1> cmp_eq(Packet<T, 1> a, Packet<T, 1> b) { return {a.v == b.v}; }
template <class T> CTNET_INLINE Mask<T, 1> cmp_ne(Packet<T, 1> a, Packet<T, 1> b) { return {a.v != b.v}; }
template <class T> CTNET_INLINE Mask<T, 1> cmp_lt(Packet<T, 1> a, Packet<T, 1> b) { return {a.v < b.v}; }
template <class T> CTNET_INLINE Mask<T, 1> cmp_le(Packet<T, 1> a, Packet<T, 1> b) { return {a.v <= b.v}; }
template <class T> CTNET_INLINE Mask<T, 1> cmp_gt(Packet<T, 1> a, Packet<T, 1> b) { return {a.v > b.v}; }
template <class T> CTNET_INLINE Mask<T, 1> cmp_ge(Packet<T, 1> a, Packet<T, 1> b) { return {a.v >= b.v}; }
template <class T> CTNET_INLINE Mask<T, 1> operator&(Mask<T, 1> a, Mask<T, 1> b) { return {a.m && b.m}; }
template <class T> CTNET_INLINE Mask<T, 1> operator|(Mask<T, 1> a, Mask<T, 1> b) { return {a.m || b.m}; }
template <class T> CTNET_INLINE Mask<T, 1> operator~(Mask<T, 1> a) { return {!a.m}; }
template <class T> CTNET_INLINE Packet<T, 1> select(Mask<T, 1> m, Packet<T, 1> a, Packet<T, 1> b) {
    return m.m ? a : b;
}
template <class T> CTNET_INLINE bool any(Mask<T, 1> m) { return m.m; }
template <class T> CTNET_INLINE T reduce_add(Packet<T, 1> a) { return a.v; }
template <class T> CTNET_INLINE T reduce_max(Packet<T, 1> a) { return a.v; }
template <class T> CTNET_INLINE T reduce_min(Packet<T, 1> a) { return a.v; }

namespace detail {
template <class T> struct Bits;
template <> struct Bits<float> {
    using U = std::uint32_t;
    static constexpr U bias = 127, shift = 23, mantissa = 0x007FFFFF, one = 0x3F800000,
                       magic_bits = 0x4B000000;
    static constexpr float magic = 0x1.8p23f, exp_magic = 0x1p23f + 127.0f;
};
template <> struct Bits<double> {
    using U = std::uint64_t;
    static constexpr U bias = 1023, shift = 52, mantissa = 0x000FFFFFFFFFFFFF,
                       one = 0x3FF0000000000000, magic_bits = 0x4330000000000000;
    static constexpr double magic = 0x1.8p52, exp_magic = 0x1p52 + 1023.0;
};
}  // namespace detail

// The same bit tricks as the vector backends, so every backend computes
// exp and log identically.
template <class T> CTNET_INLINE Packet<T, 1> exp2_integral(Packet<T, 1> n) {
    using B = detail::Bits<T>;
    const auto bits = std::bit_cast<typename B::U>(static_cast<T>(n.v + B::magic));
    return {std::bit_cast<T>(static_cast<typename B::U>((bits + B::bias) << B::shift))};
}
template <class T> CTNET_INLINE Packet<T, 1> split_exponent(Packet<T, 1> x, Packet<T, 1>& e) {
    using B = detail::Bits<T>;
    const auto bits = std::bit_cast<typename B::U>(x.v);
    e.v = std::bit_cast<T>(static_cast<typename B::U>((bits >> B::shift) | B::magic_bits)) - B::exp_magic;
    return {std::bit_cast<T>(static_cast<typename B::U>((bits & B::mantissa) | B::one))};
}

// Scalar code has no load-folding problem worth an asm barrier.
template <class T> CTNET_INLINE void keep_in_register(Packet<T, 1>&) {}

}  // namespace ctnet::simd
