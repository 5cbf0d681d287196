// arch/avx2/packet.hpp — the AVX2 + FMA backend: 8 floats or 4 doubles per packet.
#pragma once

#include <immintrin.h>

#include <cstdint>

#include "../../../config.hpp"
#include "../../packet_fwd.hpp"

namespace ctnet::inline CTNET_ABI::simd {

// Vector registers the product kernels may fill with accumulators and operands.
inline constexpr std::size_t register_count = 16;

template <>
struct Packet<float, 8> {
    using value_type = float;
    static constexpr std::size_t size = 8;
    __m256 v;

    static CTNET_INLINE Packet zero() { return {_mm256_setzero_ps()}; }
    static CTNET_INLINE Packet broadcast(float x) { return {_mm256_set1_ps(x)}; }
    static CTNET_INLINE Packet load(const float* p) { return {_mm256_load_ps(p)}; }
    static CTNET_INLINE Packet loadu(const float* p) { return {_mm256_loadu_ps(p)}; }
    CTNET_INLINE void store(float* p) const { _mm256_store_ps(p, v); }
    CTNET_INLINE void storeu(float* p) const { _mm256_storeu_ps(p, v); }
    // Lanes [0, n) set: keeps a row's padding lanes at zero.
    static CTNET_INLINE Mask<float, 8> first_lanes(std::size_t n);
};

template <>
struct Packet<double, 4> {
    using value_type = double;
    static constexpr std::size_t size = 4;
    __m256d v;

    static CTNET_INLINE Packet zero() { return {_mm256_setzero_pd()}; }
    static CTNET_INLINE Packet broadcast(double x) { return {_mm256_set1_pd(x)}; }
    static CTNET_INLINE Packet load(const double* p) { return {_mm256_load_pd(p)}; }
    static CTNET_INLINE Packet loadu(const double* p) { return {_mm256_loadu_pd(p)}; }
    CTNET_INLINE void store(double* p) const { _mm256_store_pd(p, v); }
    CTNET_INLINE void storeu(double* p) const { _mm256_storeu_pd(p, v); }
    static CTNET_INLINE Mask<double, 4> first_lanes(std::size_t n);
};

template <> struct Mask<float, 8> { __m256 m; };
template <> struct Mask<double, 4> { __m256d m; };

template <> struct NativePacket<float> { using type = Packet<float, 8>; };
template <> struct NativePacket<double> { using type = Packet<double, 4>; };

CTNET_INLINE Mask<float, 8> Packet<float, 8>::first_lanes(std::size_t n) {
    const __m256i idx = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    return {_mm256_castsi256_ps(_mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(n)), idx))};
}
CTNET_INLINE Mask<double, 4> Packet<double, 4>::first_lanes(std::size_t n) {
    const __m256i idx = _mm256_setr_epi64x(0, 1, 2, 3);
    return {_mm256_castsi256_pd(_mm256_cmpgt_epi64(_mm256_set1_epi64x(static_cast<long long>(n)), idx))};
}

using F8 = Packet<float, 8>;
using D4 = Packet<double, 4>;
using MF8 = Mask<float, 8>;
using MD4 = Mask<double, 4>;

// ---- float x 8 -------------------------------------------------------------
CTNET_INLINE F8 operator+(F8 a, F8 b) { return {_mm256_add_ps(a.v, b.v)}; }
CTNET_INLINE F8 operator-(F8 a, F8 b) { return {_mm256_sub_ps(a.v, b.v)}; }
CTNET_INLINE F8 operator*(F8 a, F8 b) { return {_mm256_mul_ps(a.v, b.v)}; }
CTNET_INLINE F8 operator/(F8 a, F8 b) { return {_mm256_div_ps(a.v, b.v)}; }
CTNET_INLINE F8 operator-(F8 a) { return {_mm256_xor_ps(a.v, _mm256_set1_ps(-0.0f))}; }
CTNET_INLINE F8 fmadd(F8 a, F8 b, F8 c) { return {_mm256_fmadd_ps(a.v, b.v, c.v)}; }
CTNET_INLINE F8 fnmadd(F8 a, F8 b, F8 c) { return {_mm256_fnmadd_ps(a.v, b.v, c.v)}; }
CTNET_INLINE F8 min(F8 a, F8 b) { return {_mm256_min_ps(a.v, b.v)}; }
CTNET_INLINE F8 max(F8 a, F8 b) { return {_mm256_max_ps(a.v, b.v)}; }
CTNET_INLINE F8 abs(F8 a) { return {_mm256_andnot_ps(_mm256_set1_ps(-0.0f), a.v)}; }
CTNET_INLINE F8 sqrt(F8 a) { return {_mm256_sqrt_ps(a.v)}; }

CTNET_INLINE MF8 cmp_eq(F8 a, F8 b) { return {_mm256_cmp_ps(a.v, b.v, _CMP_EQ_OQ)}; }
CTNET_INLINE MF8 cmp_ne(F8 a, F8 b) { return {_mm256_cmp_ps(a.v, b.v, _CMP_NEQ_UQ)}; }
CTNET_INLINE MF8 cmp_lt(F8 a, F8 b) { return {_mm256_cmp_ps(a.v, b.v, _CMP_LT_OQ)}; }
CTNET_INLINE MF8 cmp_le(F8 a, F8 b) { return {_mm256_cmp_ps(a.v, b.v, _CMP_LE_OQ)}; }
CTNET_INLINE MF8 cmp_gt(F8 a, F8 b) { return {_mm256_cmp_ps(a.v, b.v, _CMP_GT_OQ)}; }
CTNET_INLINE MF8 cmp_ge(F8 a, F8 b) { return {_mm256_cmp_ps(a.v, b.v, _CMP_GE_OQ)}; }
CTNET_INLINE MF8 operator&(MF8 a, MF8 b) { return {_mm256_and_ps(a.m, b.m)}; }
CTNET_INLINE MF8 operator|(MF8 a, MF8 b) { return {_mm256_or_ps(a.m, b.m)}; }
CTNET_INLINE MF8 operator~(MF8 a) {
    return {_mm256_xor_ps(a.m, _mm256_castsi256_ps(_mm256_set1_epi32(-1)))};
}
CTNET_INLINE F8 select(MF8 m, F8 a, F8 b) { return {_mm256_blendv_ps(b.v, a.v, m.m)}; }
CTNET_INLINE bool any(MF8 m) { return _mm256_movemask_ps(m.m) != 0; }
CTNET_INLINE float reduce_add(F8 a) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(a.v), _mm256_extractf128_ps(a.v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}
CTNET_INLINE float reduce_max(F8 a) {
    __m128 s = _mm_max_ps(_mm256_castps256_ps128(a.v), _mm256_extractf128_ps(a.v, 1));
    s = _mm_max_ps(s, _mm_movehl_ps(s, s));
    s = _mm_max_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}
CTNET_INLINE float reduce_min(F8 a) {
    __m128 s = _mm_min_ps(_mm256_castps256_ps128(a.v), _mm256_extractf128_ps(a.v, 1));
    s = _mm_min_ps(s, _mm_movehl_ps(s, s));
    s = _mm_min_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

// 2^n for integral-valued n whose result is a normal float: adding 1.5*2^23
// leaves n in the low mantissa bits, so the biased exponent is one integer add
// and one shift away.
CTNET_INLINE F8 exp2_integral(F8 n) {
    __m256i bits = _mm256_castps_si256(_mm256_add_ps(n.v, _mm256_set1_ps(0x1.8p23f)));
    bits = _mm256_slli_epi32(_mm256_add_epi32(bits, _mm256_set1_epi32(127)), 23);
    return {_mm256_castsi256_ps(bits)};
}
// For a positive normal x: returns m in [1, 2) and sets e so that x = m * 2^e.
CTNET_INLINE F8 split_exponent(F8 x, F8& e) {
    const __m256i bits = _mm256_castps_si256(x.v);
    const __m256i biased = _mm256_or_si256(_mm256_srli_epi32(bits, 23), _mm256_set1_epi32(0x4B000000));
    e.v = _mm256_sub_ps(_mm256_castsi256_ps(biased), _mm256_set1_ps(0x1p23f + 127.0f));
    const __m256i mant = _mm256_or_si256(_mm256_and_si256(bits, _mm256_set1_epi32(0x007FFFFF)),
                                         _mm256_set1_epi32(0x3F800000));
    return {_mm256_castsi256_ps(mant)};
}

// ---- double x 4 ------------------------------------------------------------
CTNET_INLINE D4 operator+(D4 a, D4 b) { return {_mm256_add_pd(a.v, b.v)}; }
CTNET_INLINE D4 operator-(D4 a, D4 b) { return {_mm256_sub_pd(a.v, b.v)}; }
CTNET_INLINE D4 operator*(D4 a, D4 b) { return {_mm256_mul_pd(a.v, b.v)}; }
CTNET_INLINE D4 operator/(D4 a, D4 b) { return {_mm256_div_pd(a.v, b.v)}; }
CTNET_INLINE D4 operator-(D4 a) { return {_mm256_xor_pd(a.v, _mm256_set1_pd(-0.0))}; }
CTNET_INLINE D4 fmadd(D4 a, D4 b, D4 c) { return {_mm256_fmadd_pd(a.v, b.v, c.v)}; }
CTNET_INLINE D4 fnmadd(D4 a, D4 b, D4 c) { return {_mm256_fnmadd_pd(a.v, b.v, c.v)}; }
CTNET_INLINE D4 min(D4 a, D4 b) { return {_mm256_min_pd(a.v, b.v)}; }
CTNET_INLINE D4 max(D4 a, D4 b) { return {_mm256_max_pd(a.v, b.v)}; }
CTNET_INLINE D4 abs(D4 a) { return {_mm256_andnot_pd(_mm256_set1_pd(-0.0), a.v)}; }
CTNET_INLINE D4 sqrt(D4 a) { return {_mm256_sqrt_pd(a.v)}; }

CTNET_INLINE MD4 cmp_eq(D4 a, D4 b) { return {_mm256_cmp_pd(a.v, b.v, _CMP_EQ_OQ)}; }
CTNET_INLINE MD4 cmp_ne(D4 a, D4 b) { return {_mm256_cmp_pd(a.v, b.v, _CMP_NEQ_UQ)}; }
CTNET_INLINE MD4 cmp_lt(D4 a, D4 b) { return {_mm256_cmp_pd(a.v, b.v, _CMP_LT_OQ)}; }
CTNET_INLINE MD4 cmp_le(D4 a, D4 b) { return {_mm256_cmp_pd(a.v, b.v, _CMP_LE_OQ)}; }
CTNET_INLINE MD4 cmp_gt(D4 a, D4 b) { return {_mm256_cmp_pd(a.v, b.v, _CMP_GT_OQ)}; }
CTNET_INLINE MD4 cmp_ge(D4 a, D4 b) { return {_mm256_cmp_pd(a.v, b.v, _CMP_GE_OQ)}; }
CTNET_INLINE MD4 operator&(MD4 a, MD4 b) { return {_mm256_and_pd(a.m, b.m)}; }
CTNET_INLINE MD4 operator|(MD4 a, MD4 b) { return {_mm256_or_pd(a.m, b.m)}; }
CTNET_INLINE MD4 operator~(MD4 a) {
    return {_mm256_xor_pd(a.m, _mm256_castsi256_pd(_mm256_set1_epi32(-1)))};
}
CTNET_INLINE D4 select(MD4 m, D4 a, D4 b) { return {_mm256_blendv_pd(b.v, a.v, m.m)}; }
CTNET_INLINE bool any(MD4 m) { return _mm256_movemask_pd(m.m) != 0; }
CTNET_INLINE double reduce_add(D4 a) {
    __m128d s = _mm_add_pd(_mm256_castpd256_pd128(a.v), _mm256_extractf128_pd(a.v, 1));
    return _mm_cvtsd_f64(_mm_add_sd(s, _mm_unpackhi_pd(s, s)));
}
CTNET_INLINE double reduce_max(D4 a) {
    __m128d s = _mm_max_pd(_mm256_castpd256_pd128(a.v), _mm256_extractf128_pd(a.v, 1));
    return _mm_cvtsd_f64(_mm_max_sd(s, _mm_unpackhi_pd(s, s)));
}
CTNET_INLINE double reduce_min(D4 a) {
    __m128d s = _mm_min_pd(_mm256_castpd256_pd128(a.v), _mm256_extractf128_pd(a.v, 1));
    return _mm_cvtsd_f64(_mm_min_sd(s, _mm_unpackhi_pd(s, s)));
}
CTNET_INLINE D4 exp2_integral(D4 n) {
    __m256i bits = _mm256_castpd_si256(_mm256_add_pd(n.v, _mm256_set1_pd(0x1.8p52)));
    bits = _mm256_slli_epi64(_mm256_add_epi64(bits, _mm256_set1_epi64x(1023)), 52);
    return {_mm256_castsi256_pd(bits)};
}
CTNET_INLINE D4 split_exponent(D4 x, D4& e) {
    const __m256i bits = _mm256_castpd_si256(x.v);
    const __m256i biased =
        _mm256_or_si256(_mm256_srli_epi64(bits, 52), _mm256_set1_epi64x(0x4330000000000000));
    e.v = _mm256_sub_pd(_mm256_castsi256_pd(biased), _mm256_set1_pd(0x1p52 + 1023.0));
    const __m256i mant = _mm256_or_si256(
        _mm256_and_si256(bits, _mm256_set1_epi64x(0x000FFFFFFFFFFFFF)),
        _mm256_set1_epi64x(0x3FF0000000000000));
    return {_mm256_castsi256_pd(mant)};
}

// Pins a value to a register: the product kernels load an operand once and
// reuse it, where the compiler would otherwise fold a fresh load into every FMA
// and run out of load ports before FMA pipes.
CTNET_INLINE void keep_in_register(F8& p) { __asm__("" : "+x"(p.v)); }
CTNET_INLINE void keep_in_register(D4& p) { __asm__("" : "+x"(p.v)); }

}  // namespace ctnet::simd
