// arch/neon/packet.hpp — the AArch64 NEON backend: 4 floats or 2 doubles.
#pragma once

#include <arm_neon.h>

#include <cstdint>

#include "../../../config.hpp"
#include "../../packet_fwd.hpp"

namespace ctnet::inline CTNET_ABI::simd {

// Vector registers the product kernels may fill with accumulators and operands.
inline constexpr std::size_t register_count = 32;

template <> struct Mask<float, 4> { uint32x4_t m; };
template <> struct Mask<double, 2> { uint64x2_t m; };

template <>
struct Packet<float, 4> {
    using value_type = float;
    static constexpr std::size_t size = 4;
    float32x4_t v;

    static CTNET_INLINE Packet zero() { return {vdupq_n_f32(0.0f)}; }
    static CTNET_INLINE Packet broadcast(float x) { return {vdupq_n_f32(x)}; }
    static CTNET_INLINE Packet load(const float* p) { return {vld1q_f32(p)}; }
    static CTNET_INLINE Packet loadu(const float* p) { return {vld1q_f32(p)}; }
    CTNET_INLINE void store(float* p) const { vst1q_f32(p, v); }
    CTNET_INLINE void storeu(float* p) const { vst1q_f32(p, v); }
    static CTNET_INLINE Mask<float, 4> first_lanes(std::size_t n) {
        const uint32_t idx[4] = {0, 1, 2, 3};
        return {vcltq_u32(vld1q_u32(idx), vdupq_n_u32(static_cast<uint32_t>(n)))};
    }
};

template <>
struct Packet<double, 2> {
    using value_type = double;
    static constexpr std::size_t size = 2;
    float64x2_t v;

    static CTNET_INLINE Packet zero() { return {vdupq_n_f64(0.0)}; }
    static CTNET_INLINE Packet broadcast(double x) { return {vdupq_n_f64(x)}; }
    static CTNET_INLINE Packet load(const double* p) { return {vld1q_f64(p)}; }
    static CTNET_INLINE Packet loadu(const double* p) { return {vld1q_f64(p)}; }
    CTNET_INLINE void store(double* p) const { vst1q_f64(p, v); }
    CTNET_INLINE void storeu(double* p) const { vst1q_f64(p, v); }
    static CTNET_INLINE Mask<double, 2> first_lanes(std::size_t n) {
        const uint64_t idx[2] = {0, 1};
        return {vcltq_u64(vld1q_u64(idx), vdupq_n_u64(static_cast<uint64_t>(n)))};
    }
};

template <> struct NativePacket<float> { using type = Packet<float, 4>; };
template <> struct NativePacket<double> { using type = Packet<double, 2>; };

using F4 = Packet<float, 4>;
using D2 = Packet<double, 2>;
using MF4 = Mask<float, 4>;
using MD2 = Mask<double, 2>;

// ---- float x 4 -------------------------------------------------------------
CTNET_INLINE F4 operator+(F4 a, F4 b) { return {vaddq_f32(a.v, b.v)}; }
CTNET_INLINE F4 operator-(F4 a, F4 b) { return {vsubq_f32(a.v, b.v)}; }
CTNET_INLINE F4 operator*(F4 a, F4 b) { return {vmulq_f32(a.v, b.v)}; }
CTNET_INLINE F4 operator/(F4 a, F4 b) { return {vdivq_f32(a.v, b.v)}; }
CTNET_INLINE F4 operator-(F4 a) { return {vnegq_f32(a.v)}; }
CTNET_INLINE F4 fmadd(F4 a, F4 b, F4 c) { return {vfmaq_f32(c.v, a.v, b.v)}; }
CTNET_INLINE F4 fnmadd(F4 a, F4 b, F4 c) { return {vfmsq_f32(c.v, a.v, b.v)}; }
// Written as compare + select so NaN handling matches x86 (second operand wins).
CTNET_INLINE F4 min(F4 a, F4 b) { return {vbslq_f32(vcltq_f32(a.v, b.v), a.v, b.v)}; }
CTNET_INLINE F4 max(F4 a, F4 b) { return {vbslq_f32(vcgtq_f32(a.v, b.v), a.v, b.v)}; }
CTNET_INLINE F4 abs(F4 a) { return {vabsq_f32(a.v)}; }
CTNET_INLINE F4 sqrt(F4 a) { return {vsqrtq_f32(a.v)}; }

CTNET_INLINE MF4 cmp_eq(F4 a, F4 b) { return {vceqq_f32(a.v, b.v)}; }
CTNET_INLINE MF4 cmp_ne(F4 a, F4 b) { return {vmvnq_u32(vceqq_f32(a.v, b.v))}; }
CTNET_INLINE MF4 cmp_lt(F4 a, F4 b) { return {vcltq_f32(a.v, b.v)}; }
CTNET_INLINE MF4 cmp_le(F4 a, F4 b) { return {vcleq_f32(a.v, b.v)}; }
CTNET_INLINE MF4 cmp_gt(F4 a, F4 b) { return {vcgtq_f32(a.v, b.v)}; }
CTNET_INLINE MF4 cmp_ge(F4 a, F4 b) { return {vcgeq_f32(a.v, b.v)}; }
CTNET_INLINE MF4 operator&(MF4 a, MF4 b) { return {vandq_u32(a.m, b.m)}; }
CTNET_INLINE MF4 operator|(MF4 a, MF4 b) { return {vorrq_u32(a.m, b.m)}; }
CTNET_INLINE MF4 operator~(MF4 a) { return {vmvnq_u32(a.m)}; }
CTNET_INLINE F4 select(MF4 m, F4 a, F4 b) { return {vbslq_f32(m.m, a.v, b.v)}; }
CTNET_INLINE bool any(MF4 m) { return vmaxvq_u32(m.m) != 0; }
CTNET_INLINE float reduce_add(F4 a) { return vaddvq_f32(a.v); }
CTNET_INLINE float reduce_max(F4 a) { return vmaxvq_f32(a.v); }
CTNET_INLINE float reduce_min(F4 a) { return vminvq_f32(a.v); }
CTNET_INLINE F4 exp2_integral(F4 n) {
    int32x4_t bits = vreinterpretq_s32_f32(vaddq_f32(n.v, vdupq_n_f32(0x1.8p23f)));
    bits = vshlq_n_s32(vaddq_s32(bits, vdupq_n_s32(127)), 23);
    return {vreinterpretq_f32_s32(bits)};
}
CTNET_INLINE F4 split_exponent(F4 x, F4& e) {
    const uint32x4_t bits = vreinterpretq_u32_f32(x.v);
    const uint32x4_t biased = vorrq_u32(vshrq_n_u32(bits, 23), vdupq_n_u32(0x4B000000));
    e.v = vsubq_f32(vreinterpretq_f32_u32(biased), vdupq_n_f32(0x1p23f + 127.0f));
    return {vreinterpretq_f32_u32(vorrq_u32(vandq_u32(bits, vdupq_n_u32(0x007FFFFF)), vdupq_n_u32(0x3F800000)))};
}

// ---- double x 2 ------------------------------------------------------------
CTNET_INLINE D2 operator+(D2 a, D2 b) { return {vaddq_f64(a.v, b.v)}; }
CTNET_INLINE D2 operator-(D2 a, D2 b) { return {vsubq_f64(a.v, b.v)}; }
CTNET_INLINE D2 operator*(D2 a, D2 b) { return {vmulq_f64(a.v, b.v)}; }
CTNET_INLINE D2 operator/(D2 a, D2 b) { return {vdivq_f64(a.v, b.v)}; }
CTNET_INLINE D2 operator-(D2 a) { return {vnegq_f64(a.v)}; }
CTNET_INLINE D2 fmadd(D2 a, D2 b, D2 c) { return {vfmaq_f64(c.v, a.v, b.v)}; }
CTNET_INLINE D2 fnmadd(D2 a, D2 b, D2 c) { return {vfmsq_f64(c.v, a.v, b.v)}; }
CTNET_INLINE D2 min(D2 a, D2 b) { return {vbslq_f64(vcltq_f64(a.v, b.v), a.v, b.v)}; }
CTNET_INLINE D2 max(D2 a, D2 b) { return {vbslq_f64(vcgtq_f64(a.v, b.v), a.v, b.v)}; }
CTNET_INLINE D2 abs(D2 a) { return {vabsq_f64(a.v)}; }
CTNET_INLINE D2 sqrt(D2 a) { return {vsqrtq_f64(a.v)}; }

CTNET_INLINE uint64x2_t neon_not(uint64x2_t m) {
    return vreinterpretq_u64_u32(vmvnq_u32(vreinterpretq_u32_u64(m)));
}
CTNET_INLINE MD2 cmp_eq(D2 a, D2 b) { return {vceqq_f64(a.v, b.v)}; }
CTNET_INLINE MD2 cmp_ne(D2 a, D2 b) { return {neon_not(vceqq_f64(a.v, b.v))}; }
CTNET_INLINE MD2 cmp_lt(D2 a, D2 b) { return {vcltq_f64(a.v, b.v)}; }
CTNET_INLINE MD2 cmp_le(D2 a, D2 b) { return {vcleq_f64(a.v, b.v)}; }
CTNET_INLINE MD2 cmp_gt(D2 a, D2 b) { return {vcgtq_f64(a.v, b.v)}; }
CTNET_INLINE MD2 cmp_ge(D2 a, D2 b) { return {vcgeq_f64(a.v, b.v)}; }
CTNET_INLINE MD2 operator&(MD2 a, MD2 b) { return {vandq_u64(a.m, b.m)}; }
CTNET_INLINE MD2 operator|(MD2 a, MD2 b) { return {vorrq_u64(a.m, b.m)}; }
CTNET_INLINE MD2 operator~(MD2 a) { return {neon_not(a.m)}; }
CTNET_INLINE D2 select(MD2 m, D2 a, D2 b) { return {vbslq_f64(m.m, a.v, b.v)}; }
CTNET_INLINE bool any(MD2 m) { return vmaxvq_u32(vreinterpretq_u32_u64(m.m)) != 0; }
CTNET_INLINE double reduce_add(D2 a) { return vaddvq_f64(a.v); }
CTNET_INLINE double reduce_max(D2 a) { return vmaxvq_f64(a.v); }
CTNET_INLINE double reduce_min(D2 a) { return vminvq_f64(a.v); }
CTNET_INLINE D2 exp2_integral(D2 n) {
    int64x2_t bits = vreinterpretq_s64_f64(vaddq_f64(n.v, vdupq_n_f64(0x1.8p52)));
    bits = vshlq_n_s64(vaddq_s64(bits, vdupq_n_s64(1023)), 52);
    return {vreinterpretq_f64_s64(bits)};
}
CTNET_INLINE D2 split_exponent(D2 x, D2& e) {
    const uint64x2_t bits = vreinterpretq_u64_f64(x.v);
    const uint64x2_t biased = vorrq_u64(vshrq_n_u64(bits, 52), vdupq_n_u64(0x4330000000000000));
    e.v = vsubq_f64(vreinterpretq_f64_u64(biased), vdupq_n_f64(0x1p52 + 1023.0));
    return {vreinterpretq_f64_u64(
        vorrq_u64(vandq_u64(bits, vdupq_n_u64(0x000FFFFFFFFFFFFF)), vdupq_n_u64(0x3FF0000000000000)))};
}

// Pins a value to a register: the product kernels load an operand once and
// reuse it, where the compiler would otherwise fold a fresh load into every FMA
// and run out of load ports before FMA pipes.
CTNET_INLINE void keep_in_register(F4& p) { __asm__("" : "+w"(p.v)); }
CTNET_INLINE void keep_in_register(D2& p) { __asm__("" : "+w"(p.v)); }

}  // namespace ctnet::simd
