// arch/avx512/packet.hpp — the AVX-512F backend: 16 floats or 8 doubles, k-register masks.
//
// Only AVX-512F instructions are used (no DQ/BW/VL), so any AVX-512 CPU runs it.
#pragma once

#include <immintrin.h>

#include "../../../config.hpp"
#include "../../packet_fwd.hpp"

namespace ctnet::inline CTNET_ABI::simd {

// Vector registers the product kernels may fill with accumulators and operands.
inline constexpr std::size_t register_count = 32;

template <> struct Mask<float, 16> { __mmask16 m; };
template <> struct Mask<double, 8> { __mmask8 m; };

template <>
struct Packet<float, 16> {
    using value_type = float;
    static constexpr std::size_t size = 16;
    __m512 v;

    static CTNET_INLINE Packet zero() { return {_mm512_setzero_ps()}; }
    static CTNET_INLINE Packet broadcast(float x) { return {_mm512_set1_ps(x)}; }
    static CTNET_INLINE Packet load(const float* p) { return {_mm512_load_ps(p)}; }
    static CTNET_INLINE Packet loadu(const float* p) { return {_mm512_loadu_ps(p)}; }
    CTNET_INLINE void store(float* p) const { _mm512_store_ps(p, v); }
    CTNET_INLINE void storeu(float* p) const { _mm512_storeu_ps(p, v); }
    static CTNET_INLINE Mask<float, 16> first_lanes(std::size_t n) {
        return {static_cast<__mmask16>(n >= 16 ? 0xFFFFu : (1u << n) - 1u)};
    }
};

template <>
struct Packet<double, 8> {
    using value_type = double;
    static constexpr std::size_t size = 8;
    __m512d v;

    static CTNET_INLINE Packet zero() { return {_mm512_setzero_pd()}; }
    static CTNET_INLINE Packet broadcast(double x) { return {_mm512_set1_pd(x)}; }
    static CTNET_INLINE Packet load(const double* p) { return {_mm512_load_pd(p)}; }
    static CTNET_INLINE Packet loadu(const double* p) { return {_mm512_loadu_pd(p)}; }
    CTNET_INLINE void store(double* p) const { _mm512_store_pd(p, v); }
    CTNET_INLINE void storeu(double* p) const { _mm512_storeu_pd(p, v); }
    static CTNET_INLINE Mask<double, 8> first_lanes(std::size_t n) {
        return {static_cast<__mmask8>(n >= 8 ? 0xFFu : (1u << n) - 1u)};
    }
};

template <> struct NativePacket<float> { using type = Packet<float, 16>; };
template <> struct NativePacket<double> { using type = Packet<double, 8>; };

// GCC 12 warns that the unmasked forms of min/max/sqrt/shifts read an
// uninitialised register (_mm512_undefined_*, a false positive fixed in later
// releases); the masked forms with every lane selected compile to the same
// instruction and keep the build warning-free.
inline constexpr __mmask16 all16 = 0xFFFF;
inline constexpr __mmask8 all8 = 0xFF;

using F16 = Packet<float, 16>;
using D8 = Packet<double, 8>;
using MF16 = Mask<float, 16>;
using MD8 = Mask<double, 8>;

// ---- float x 16 ------------------------------------------------------------
CTNET_INLINE F16 operator+(F16 a, F16 b) { return {_mm512_add_ps(a.v, b.v)}; }
CTNET_INLINE F16 operator-(F16 a, F16 b) { return {_mm512_sub_ps(a.v, b.v)}; }
CTNET_INLINE F16 operator*(F16 a, F16 b) { return {_mm512_mul_ps(a.v, b.v)}; }
CTNET_INLINE F16 operator/(F16 a, F16 b) { return {_mm512_div_ps(a.v, b.v)}; }
CTNET_INLINE F16 operator-(F16 a) {
    return {_mm512_castsi512_ps(_mm512_xor_si512(_mm512_castps_si512(a.v), _mm512_set1_epi32(INT32_MIN)))};
}
CTNET_INLINE F16 fmadd(F16 a, F16 b, F16 c) { return {_mm512_fmadd_ps(a.v, b.v, c.v)}; }
CTNET_INLINE F16 fnmadd(F16 a, F16 b, F16 c) { return {_mm512_fnmadd_ps(a.v, b.v, c.v)}; }
CTNET_INLINE F16 min(F16 a, F16 b) { return {_mm512_mask_min_ps(a.v, all16, a.v, b.v)}; }
CTNET_INLINE F16 max(F16 a, F16 b) { return {_mm512_mask_max_ps(a.v, all16, a.v, b.v)}; }
CTNET_INLINE F16 abs(F16 a) { return {_mm512_abs_ps(a.v)}; }
CTNET_INLINE F16 sqrt(F16 a) { return {_mm512_mask_sqrt_ps(a.v, all16, a.v)}; }

CTNET_INLINE MF16 cmp_eq(F16 a, F16 b) { return {_mm512_cmp_ps_mask(a.v, b.v, _CMP_EQ_OQ)}; }
CTNET_INLINE MF16 cmp_ne(F16 a, F16 b) { return {_mm512_cmp_ps_mask(a.v, b.v, _CMP_NEQ_UQ)}; }
CTNET_INLINE MF16 cmp_lt(F16 a, F16 b) { return {_mm512_cmp_ps_mask(a.v, b.v, _CMP_LT_OQ)}; }
CTNET_INLINE MF16 cmp_le(F16 a, F16 b) { return {_mm512_cmp_ps_mask(a.v, b.v, _CMP_LE_OQ)}; }
CTNET_INLINE MF16 cmp_gt(F16 a, F16 b) { return {_mm512_cmp_ps_mask(a.v, b.v, _CMP_GT_OQ)}; }
CTNET_INLINE MF16 cmp_ge(F16 a, F16 b) { return {_mm512_cmp_ps_mask(a.v, b.v, _CMP_GE_OQ)}; }
CTNET_INLINE MF16 operator&(MF16 a, MF16 b) { return {static_cast<__mmask16>(a.m & b.m)}; }
CTNET_INLINE MF16 operator|(MF16 a, MF16 b) { return {static_cast<__mmask16>(a.m | b.m)}; }
CTNET_INLINE MF16 operator~(MF16 a) { return {static_cast<__mmask16>(~a.m)}; }
CTNET_INLINE F16 select(MF16 m, F16 a, F16 b) { return {_mm512_mask_blend_ps(m.m, b.v, a.v)}; }
CTNET_INLINE bool any(MF16 m) { return m.m != 0; }
// Reductions halve 512 -> 256 -> 128 bits; GCC's _mm512_reduce_* trip the same
// false warning as above, so the split is spelled out with masked extracts.
template <int Half>
CTNET_INLINE __m256d half(__m512d a) {
    return _mm512_mask_extractf64x4_pd(_mm256_setzero_pd(), all8, a, Half);
}
template <int Half>
CTNET_INLINE __m256 half(__m512 a) {
    return _mm256_castpd_ps(half<Half>(_mm512_castps_pd(a)));
}
template <class Op>
CTNET_INLINE float reduce_ps(__m512 a, Op op) {
    const __m256 h = op(half<0>(a), half<1>(a));
    __m128 q = op(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
    q = op(q, _mm_movehl_ps(q, q));
    q = op(q, _mm_movehdup_ps(q));
    return _mm_cvtss_f32(q);
}
template <class Op>
CTNET_INLINE double reduce_pd(__m512d a, Op op) {
    const __m256d h = op(half<0>(a), half<1>(a));
    __m128d q = op(_mm256_castpd256_pd128(h), _mm256_extractf128_pd(h, 1));
    q = op(q, _mm_unpackhi_pd(q, q));
    return _mm_cvtsd_f64(q);
}
struct AddOp {
    CTNET_INLINE __m256 operator()(__m256 a, __m256 b) const { return _mm256_add_ps(a, b); }
    CTNET_INLINE __m128 operator()(__m128 a, __m128 b) const { return _mm_add_ps(a, b); }
    CTNET_INLINE __m256d operator()(__m256d a, __m256d b) const { return _mm256_add_pd(a, b); }
    CTNET_INLINE __m128d operator()(__m128d a, __m128d b) const { return _mm_add_pd(a, b); }
};
struct MaxOp {
    CTNET_INLINE __m256 operator()(__m256 a, __m256 b) const { return _mm256_max_ps(a, b); }
    CTNET_INLINE __m128 operator()(__m128 a, __m128 b) const { return _mm_max_ps(a, b); }
    CTNET_INLINE __m256d operator()(__m256d a, __m256d b) const { return _mm256_max_pd(a, b); }
    CTNET_INLINE __m128d operator()(__m128d a, __m128d b) const { return _mm_max_pd(a, b); }
};
struct MinOp {
    CTNET_INLINE __m256 operator()(__m256 a, __m256 b) const { return _mm256_min_ps(a, b); }
    CTNET_INLINE __m128 operator()(__m128 a, __m128 b) const { return _mm_min_ps(a, b); }
    CTNET_INLINE __m256d operator()(__m256d a, __m256d b) const { return _mm256_min_pd(a, b); }
    CTNET_INLINE __m128d operator()(__m128d a, __m128d b) const { return _mm_min_pd(a, b); }
};
CTNET_INLINE float reduce_add(F16 a) { return reduce_ps(a.v, AddOp{}); }
CTNET_INLINE float reduce_max(F16 a) { return reduce_ps(a.v, MaxOp{}); }
CTNET_INLINE float reduce_min(F16 a) { return reduce_ps(a.v, MinOp{}); }
CTNET_INLINE F16 exp2_integral(F16 n) {
    __m512i bits = _mm512_castps_si512(_mm512_add_ps(n.v, _mm512_set1_ps(0x1.8p23f)));
    bits = _mm512_add_epi32(bits, _mm512_set1_epi32(127));
    bits = _mm512_mask_slli_epi32(bits, all16, bits, 23);
    return {_mm512_castsi512_ps(bits)};
}
CTNET_INLINE F16 split_exponent(F16 x, F16& e) {
    const __m512i bits = _mm512_castps_si512(x.v);
    const __m512i biased = _mm512_or_si512(_mm512_mask_srli_epi32(bits, all16, bits, 23), _mm512_set1_epi32(0x4B000000));
    e.v = _mm512_sub_ps(_mm512_castsi512_ps(biased), _mm512_set1_ps(0x1p23f + 127.0f));
    return {_mm512_castsi512_ps(_mm512_or_si512(_mm512_and_si512(bits, _mm512_set1_epi32(0x007FFFFF)),
                                                _mm512_set1_epi32(0x3F800000)))};
}

// ---- double x 8 ------------------------------------------------------------
CTNET_INLINE D8 operator+(D8 a, D8 b) { return {_mm512_add_pd(a.v, b.v)}; }
CTNET_INLINE D8 operator-(D8 a, D8 b) { return {_mm512_sub_pd(a.v, b.v)}; }
CTNET_INLINE D8 operator*(D8 a, D8 b) { return {_mm512_mul_pd(a.v, b.v)}; }
CTNET_INLINE D8 operator/(D8 a, D8 b) { return {_mm512_div_pd(a.v, b.v)}; }
CTNET_INLINE D8 operator-(D8 a) {
    return {_mm512_castsi512_pd(_mm512_xor_si512(_mm512_castpd_si512(a.v), _mm512_set1_epi64(INT64_MIN)))};
}
CTNET_INLINE D8 fmadd(D8 a, D8 b, D8 c) { return {_mm512_fmadd_pd(a.v, b.v, c.v)}; }
CTNET_INLINE D8 fnmadd(D8 a, D8 b, D8 c) { return {_mm512_fnmadd_pd(a.v, b.v, c.v)}; }
CTNET_INLINE D8 min(D8 a, D8 b) { return {_mm512_mask_min_pd(a.v, all8, a.v, b.v)}; }
CTNET_INLINE D8 max(D8 a, D8 b) { return {_mm512_mask_max_pd(a.v, all8, a.v, b.v)}; }
CTNET_INLINE D8 abs(D8 a) { return {_mm512_abs_pd(a.v)}; }
CTNET_INLINE D8 sqrt(D8 a) { return {_mm512_mask_sqrt_pd(a.v, all8, a.v)}; }

CTNET_INLINE MD8 cmp_eq(D8 a, D8 b) { return {_mm512_cmp_pd_mask(a.v, b.v, _CMP_EQ_OQ)}; }
CTNET_INLINE MD8 cmp_ne(D8 a, D8 b) { return {_mm512_cmp_pd_mask(a.v, b.v, _CMP_NEQ_UQ)}; }
CTNET_INLINE MD8 cmp_lt(D8 a, D8 b) { return {_mm512_cmp_pd_mask(a.v, b.v, _CMP_LT_OQ)}; }
CTNET_INLINE MD8 cmp_le(D8 a, D8 b) { return {_mm512_cmp_pd_mask(a.v, b.v, _CMP_LE_OQ)}; }
CTNET_INLINE MD8 cmp_gt(D8 a, D8 b) { return {_mm512_cmp_pd_mask(a.v, b.v, _CMP_GT_OQ)}; }
CTNET_INLINE MD8 cmp_ge(D8 a, D8 b) { return {_mm512_cmp_pd_mask(a.v, b.v, _CMP_GE_OQ)}; }
CTNET_INLINE MD8 operator&(MD8 a, MD8 b) { return {static_cast<__mmask8>(a.m & b.m)}; }
CTNET_INLINE MD8 operator|(MD8 a, MD8 b) { return {static_cast<__mmask8>(a.m | b.m)}; }
CTNET_INLINE MD8 operator~(MD8 a) { return {static_cast<__mmask8>(~a.m)}; }
CTNET_INLINE D8 select(MD8 m, D8 a, D8 b) { return {_mm512_mask_blend_pd(m.m, b.v, a.v)}; }
CTNET_INLINE bool any(MD8 m) { return m.m != 0; }
CTNET_INLINE double reduce_add(D8 a) { return reduce_pd(a.v, AddOp{}); }
CTNET_INLINE double reduce_max(D8 a) { return reduce_pd(a.v, MaxOp{}); }
CTNET_INLINE double reduce_min(D8 a) { return reduce_pd(a.v, MinOp{}); }
CTNET_INLINE D8 exp2_integral(D8 n) {
    __m512i bits = _mm512_castpd_si512(_mm512_add_pd(n.v, _mm512_set1_pd(0x1.8p52)));
    bits = _mm512_add_epi64(bits, _mm512_set1_epi64(1023));
    bits = _mm512_mask_slli_epi64(bits, all8, bits, 52);
    return {_mm512_castsi512_pd(bits)};
}
CTNET_INLINE D8 split_exponent(D8 x, D8& e) {
    const __m512i bits = _mm512_castpd_si512(x.v);
    const __m512i biased = _mm512_or_si512(_mm512_mask_srli_epi64(bits, all8, bits, 52), _mm512_set1_epi64(0x4330000000000000));
    e.v = _mm512_sub_pd(_mm512_castsi512_pd(biased), _mm512_set1_pd(0x1p52 + 1023.0));
    return {_mm512_castsi512_pd(_mm512_or_si512(_mm512_and_si512(bits, _mm512_set1_epi64(0x000FFFFFFFFFFFFF)),
                                                _mm512_set1_epi64(0x3FF0000000000000)))};
}

// Pins a value to a register: the product kernels load an operand once and
// reuse it, where the compiler would otherwise fold a fresh load into every FMA
// and run out of load ports before FMA pipes.
CTNET_INLINE void keep_in_register(F16& p) { __asm__("" : "+v"(p.v)); }
CTNET_INLINE void keep_in_register(D8& p) { __asm__("" : "+v"(p.v)); }

}  // namespace ctnet::simd
