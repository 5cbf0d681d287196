// arch/sse2/packet.hpp — the SSE2 backend (the x86-64 baseline): 4 floats or 2 doubles.
//
// SSE2 has no fused multiply-add and no blend; fmadd rounds twice here and
// select is and/andnot/or.
#pragma once

#include <emmintrin.h>

#include "../../../config.hpp"
#include "../../packet_fwd.hpp"

namespace ctnet::inline CTNET_ABI::simd {

// Vector registers the product kernels may fill with accumulators and operands.
inline constexpr std::size_t register_count = 16;

template <> struct Mask<float, 4> { __m128 m; };
template <> struct Mask<double, 2> { __m128d m; };

template <>
struct Packet<float, 4> {
    using value_type = float;
    static constexpr std::size_t size = 4;
    __m128 v;

    static CTNET_INLINE Packet zero() { return {_mm_setzero_ps()}; }
    static CTNET_INLINE Packet broadcast(float x) { return {_mm_set1_ps(x)}; }
    static CTNET_INLINE Packet load(const float* p) { return {_mm_load_ps(p)}; }
    static CTNET_INLINE Packet loadu(const float* p) { return {_mm_loadu_ps(p)}; }
    CTNET_INLINE void store(float* p) const { _mm_store_ps(p, v); }
    CTNET_INLINE void storeu(float* p) const { _mm_storeu_ps(p, v); }
    static CTNET_INLINE Mask<float, 4> first_lanes(std::size_t n) {
        const __m128i idx = _mm_setr_epi32(0, 1, 2, 3);
        return {_mm_castsi128_ps(_mm_cmpgt_epi32(_mm_set1_epi32(static_cast<int>(n)), idx))};
    }
};

template <>
struct Packet<double, 2> {
    using value_type = double;
    static constexpr std::size_t size = 2;
    __m128d v;

    static CTNET_INLINE Packet zero() { return {_mm_setzero_pd()}; }
    static CTNET_INLINE Packet broadcast(double x) { return {_mm_set1_pd(x)}; }
    static CTNET_INLINE Packet load(const double* p) { return {_mm_load_pd(p)}; }
    static CTNET_INLINE Packet loadu(const double* p) { return {_mm_loadu_pd(p)}; }
    CTNET_INLINE void store(double* p) const { _mm_store_pd(p, v); }
    CTNET_INLINE void storeu(double* p) const { _mm_storeu_pd(p, v); }
    static CTNET_INLINE Mask<double, 2> first_lanes(std::size_t n) {
        return {_mm_castsi128_pd(_mm_set_epi64x(n > 1 ? -1 : 0, n > 0 ? -1 : 0))};
    }
};

template <> struct NativePacket<float> { using type = Packet<float, 4>; };
template <> struct NativePacket<double> { using type = Packet<double, 2>; };

using F4 = Packet<float, 4>;
using D2 = Packet<double, 2>;
using MF4 = Mask<float, 4>;
using MD2 = Mask<double, 2>;

// ---- float x 4 -------------------------------------------------------------
CTNET_INLINE F4 operator+(F4 a, F4 b) { return {_mm_add_ps(a.v, b.v)}; }
CTNET_INLINE F4 operator-(F4 a, F4 b) { return {_mm_sub_ps(a.v, b.v)}; }
CTNET_INLINE F4 operator*(F4 a, F4 b) { return {_mm_mul_ps(a.v, b.v)}; }
CTNET_INLINE F4 operator/(F4 a, F4 b) { return {_mm_div_ps(a.v, b.v)}; }
CTNET_INLINE F4 operator-(F4 a) { return {_mm_xor_ps(a.v, _mm_set1_ps(-0.0f))}; }
CTNET_INLINE F4 fmadd(F4 a, F4 b, F4 c) { return {_mm_add_ps(_mm_mul_ps(a.v, b.v), c.v)}; }
CTNET_INLINE F4 fnmadd(F4 a, F4 b, F4 c) { return {_mm_sub_ps(c.v, _mm_mul_ps(a.v, b.v))}; }
CTNET_INLINE F4 min(F4 a, F4 b) { return {_mm_min_ps(a.v, b.v)}; }
CTNET_INLINE F4 max(F4 a, F4 b) { return {_mm_max_ps(a.v, b.v)}; }
CTNET_INLINE F4 abs(F4 a) { return {_mm_andnot_ps(_mm_set1_ps(-0.0f), a.v)}; }
CTNET_INLINE F4 sqrt(F4 a) { return {_mm_sqrt_ps(a.v)}; }

CTNET_INLINE MF4 cmp_eq(F4 a, F4 b) { return {_mm_cmpeq_ps(a.v, b.v)}; }
CTNET_INLINE MF4 cmp_ne(F4 a, F4 b) { return {_mm_cmpneq_ps(a.v, b.v)}; }
CTNET_INLINE MF4 cmp_lt(F4 a, F4 b) { return {_mm_cmplt_ps(a.v, b.v)}; }
CTNET_INLINE MF4 cmp_le(F4 a, F4 b) { return {_mm_cmple_ps(a.v, b.v)}; }
CTNET_INLINE MF4 cmp_gt(F4 a, F4 b) { return {_mm_cmpgt_ps(a.v, b.v)}; }
CTNET_INLINE MF4 cmp_ge(F4 a, F4 b) { return {_mm_cmpge_ps(a.v, b.v)}; }
CTNET_INLINE MF4 operator&(MF4 a, MF4 b) { return {_mm_and_ps(a.m, b.m)}; }
CTNET_INLINE MF4 operator|(MF4 a, MF4 b) { return {_mm_or_ps(a.m, b.m)}; }
CTNET_INLINE MF4 operator~(MF4 a) { return {_mm_xor_ps(a.m, _mm_castsi128_ps(_mm_set1_epi32(-1)))}; }
CTNET_INLINE F4 select(MF4 m, F4 a, F4 b) {
    return {_mm_or_ps(_mm_and_ps(m.m, a.v), _mm_andnot_ps(m.m, b.v))};
}
CTNET_INLINE bool any(MF4 m) { return _mm_movemask_ps(m.m) != 0; }
CTNET_INLINE float reduce_add(F4 a) {
    __m128 s = _mm_add_ps(a.v, _mm_movehl_ps(a.v, a.v));
    s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
    return _mm_cvtss_f32(s);
}
CTNET_INLINE float reduce_max(F4 a) {
    __m128 s = _mm_max_ps(a.v, _mm_movehl_ps(a.v, a.v));
    s = _mm_max_ss(s, _mm_shuffle_ps(s, s, 1));
    return _mm_cvtss_f32(s);
}
CTNET_INLINE float reduce_min(F4 a) {
    __m128 s = _mm_min_ps(a.v, _mm_movehl_ps(a.v, a.v));
    s = _mm_min_ss(s, _mm_shuffle_ps(s, s, 1));
    return _mm_cvtss_f32(s);
}
CTNET_INLINE F4 exp2_integral(F4 n) {
    __m128i bits = _mm_castps_si128(_mm_add_ps(n.v, _mm_set1_ps(0x1.8p23f)));
    bits = _mm_slli_epi32(_mm_add_epi32(bits, _mm_set1_epi32(127)), 23);
    return {_mm_castsi128_ps(bits)};
}
CTNET_INLINE F4 split_exponent(F4 x, F4& e) {
    const __m128i bits = _mm_castps_si128(x.v);
    const __m128i biased = _mm_or_si128(_mm_srli_epi32(bits, 23), _mm_set1_epi32(0x4B000000));
    e.v = _mm_sub_ps(_mm_castsi128_ps(biased), _mm_set1_ps(0x1p23f + 127.0f));
    return {_mm_castsi128_ps(_mm_or_si128(_mm_and_si128(bits, _mm_set1_epi32(0x007FFFFF)),
                                          _mm_set1_epi32(0x3F800000)))};
}

// ---- double x 2 ------------------------------------------------------------
CTNET_INLINE D2 operator+(D2 a, D2 b) { return {_mm_add_pd(a.v, b.v)}; }
CTNET_INLINE D2 operator-(D2 a, D2 b) { return {_mm_sub_pd(a.v, b.v)}; }
CTNET_INLINE D2 operator*(D2 a, D2 b) { return {_mm_mul_pd(a.v, b.v)}; }
CTNET_INLINE D2 operator/(D2 a, D2 b) { return {_mm_div_pd(a.v, b.v)}; }
CTNET_INLINE D2 operator-(D2 a) { return {_mm_xor_pd(a.v, _mm_set1_pd(-0.0))}; }
CTNET_INLINE D2 fmadd(D2 a, D2 b, D2 c) { return {_mm_add_pd(_mm_mul_pd(a.v, b.v), c.v)}; }
CTNET_INLINE D2 fnmadd(D2 a, D2 b, D2 c) { return {_mm_sub_pd(c.v, _mm_mul_pd(a.v, b.v))}; }
CTNET_INLINE D2 min(D2 a, D2 b) { return {_mm_min_pd(a.v, b.v)}; }
CTNET_INLINE D2 max(D2 a, D2 b) { return {_mm_max_pd(a.v, b.v)}; }
CTNET_INLINE D2 abs(D2 a) { return {_mm_andnot_pd(_mm_set1_pd(-0.0), a.v)}; }
CTNET_INLINE D2 sqrt(D2 a) { return {_mm_sqrt_pd(a.v)}; }

CTNET_INLINE MD2 cmp_eq(D2 a, D2 b) { return {_mm_cmpeq_pd(a.v, b.v)}; }
CTNET_INLINE MD2 cmp_ne(D2 a, D2 b) { return {_mm_cmpneq_pd(a.v, b.v)}; }
CTNET_INLINE MD2 cmp_lt(D2 a, D2 b) { return {_mm_cmplt_pd(a.v, b.v)}; }
CTNET_INLINE MD2 cmp_le(D2 a, D2 b) { return {_mm_cmple_pd(a.v, b.v)}; }
CTNET_INLINE MD2 cmp_gt(D2 a, D2 b) { return {_mm_cmpgt_pd(a.v, b.v)}; }
CTNET_INLINE MD2 cmp_ge(D2 a, D2 b) { return {_mm_cmpge_pd(a.v, b.v)}; }
CTNET_INLINE MD2 operator&(MD2 a, MD2 b) { return {_mm_and_pd(a.m, b.m)}; }
CTNET_INLINE MD2 operator|(MD2 a, MD2 b) { return {_mm_or_pd(a.m, b.m)}; }
CTNET_INLINE MD2 operator~(MD2 a) { return {_mm_xor_pd(a.m, _mm_castsi128_pd(_mm_set1_epi32(-1)))}; }
CTNET_INLINE D2 select(MD2 m, D2 a, D2 b) {
    return {_mm_or_pd(_mm_and_pd(m.m, a.v), _mm_andnot_pd(m.m, b.v))};
}
CTNET_INLINE bool any(MD2 m) { return _mm_movemask_pd(m.m) != 0; }
CTNET_INLINE double reduce_add(D2 a) { return _mm_cvtsd_f64(_mm_add_sd(a.v, _mm_unpackhi_pd(a.v, a.v))); }
CTNET_INLINE double reduce_max(D2 a) { return _mm_cvtsd_f64(_mm_max_sd(a.v, _mm_unpackhi_pd(a.v, a.v))); }
CTNET_INLINE double reduce_min(D2 a) { return _mm_cvtsd_f64(_mm_min_sd(a.v, _mm_unpackhi_pd(a.v, a.v))); }
CTNET_INLINE D2 exp2_integral(D2 n) {
    __m128i bits = _mm_castpd_si128(_mm_add_pd(n.v, _mm_set1_pd(0x1.8p52)));
    bits = _mm_slli_epi64(_mm_add_epi64(bits, _mm_set1_epi64x(1023)), 52);
    return {_mm_castsi128_pd(bits)};
}
CTNET_INLINE D2 split_exponent(D2 x, D2& e) {
    const __m128i bits = _mm_castpd_si128(x.v);
    const __m128i biased = _mm_or_si128(_mm_srli_epi64(bits, 52), _mm_set1_epi64x(0x4330000000000000));
    e.v = _mm_sub_pd(_mm_castsi128_pd(biased), _mm_set1_pd(0x1p52 + 1023.0));
    return {_mm_castsi128_pd(_mm_or_si128(_mm_and_si128(bits, _mm_set1_epi64x(0x000FFFFFFFFFFFFF)),
                                          _mm_set1_epi64x(0x3FF0000000000000)))};
}

// Pins a value to a register: the product kernels load an operand once and
// reuse it, where the compiler would otherwise fold a fresh load into every FMA
// and run out of load ports before FMA pipes.
CTNET_INLINE void keep_in_register(F4& p) { __asm__("" : "+x"(p.v)); }
CTNET_INLINE void keep_in_register(D2& p) { __asm__("" : "+x"(p.v)); }

}  // namespace ctnet::simd
