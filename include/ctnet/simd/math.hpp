// math.hpp — exp, log, tanh and sigmoid for any packet, built from the backend primitives.
//
// Written once for every backend (the scalar one included), so all backends
// round identically up to FMA availability. Accuracy, checked against the C
// library's long double functions in test/simd/math.cpp over the whole range
// of float and double, on every backend:
//   exp      <= 1 ulp; subnormal results are rounded (gradual underflow);
//            +inf above ln(max), 0 below ln(smallest subnormal)
//   log      <= 1 ulp for every positive input, subnormals included;
//            log(0) = -inf, log(x < 0) = NaN, log(inf) = inf
//   sigmoid  <= 2 ulp while exp(-x) is finite; below (x < -88.7 / -709.8) the
//            exact value is subnormal and the result is 0
//   tanh     <= 3 ulp (odd, exactly +-1 beyond +-9.1 / +-19.1)
// NaN in gives NaN out for all four. Relies on IEEE rounding: do not compile
// ctnet with -ffast-math (it folds the rounding tricks below away).
#pragma once

#include <limits>
#include <type_traits>

#include "../config.hpp"

namespace ctnet::inline CTNET_ABI::simd {

namespace detail {

template <class T>
struct MathConstants;

template <>
struct MathConstants<float> {
    static constexpr float round_magic = 0x1.8p23f;     // adding it rounds to an integer
    static constexpr float log2e = 1.44269504088896341f;
    static constexpr float ln2_hi = 0.693359375f;       // exact in a few bits: n*ln2_hi is exact
    static constexpr float ln2_lo = -2.12194440e-4f;
    static constexpr float exp_max = 88.7228394f;       // ln(FLT_MAX)
    static constexpr float exp_min = -103.972084f;      // ln(smallest subnormal)
    static constexpr float sqrt2 = 1.41421356237309505f;
    static constexpr float subnormal_scale = 0x1p24f;   // lifts a subnormal into the normal range
    static constexpr float subnormal_exp = 24.0f;
    static constexpr float tanh_saturate = 9.1f;        // tanh rounds to 1 beyond this
    // 1/k! for k = 0..7: |r| <= ln2/2 makes the next term 5e-9, 0.1 ulp.
    static constexpr int exp_degree = 7;
    static constexpr float exp_coef[] = {1.0f, 1.0f, 1.0f / 2, 1.0f / 6, 1.0f / 24, 1.0f / 120,
                                         1.0f / 720, 1.0f / 5040};
    // 2/(2k+3) for R(z) = 2z/3 + 2z^2/5 + ... (z = s^2 <= 0.0295): the next term is 1e-10.
    static constexpr int log_degree = 4;
    static constexpr float log_coef[] = {2.0f / 3, 2.0f / 5, 2.0f / 7, 2.0f / 9, 2.0f / 11};
};

template <>
struct MathConstants<double> {
    static constexpr double round_magic = 0x1.8p52;
    static constexpr double log2e = 1.44269504088896340736;
    static constexpr double ln2_hi = 6.93145751953125e-1;
    static constexpr double ln2_lo = 1.42860682030941723212e-6;
    static constexpr double exp_max = 709.782712893383973;
    static constexpr double exp_min = -745.133219101941108;
    static constexpr double sqrt2 = 1.41421356237309505;
    static constexpr double subnormal_scale = 0x1p54;
    static constexpr double subnormal_exp = 54.0;
    static constexpr double tanh_saturate = 19.1;
    static constexpr int exp_degree = 13;
    static constexpr double exp_coef[] = {1.0,
                                          1.0,
                                          1.0 / 2,
                                          1.0 / 6,
                                          1.0 / 24,
                                          1.0 / 120,
                                          1.0 / 720,
                                          1.0 / 5040,
                                          1.0 / 40320,
                                          1.0 / 362880,
                                          1.0 / 3628800,
                                          1.0 / 39916800,
                                          1.0 / 479001600,
                                          1.0 / 6227020800};
    static constexpr int log_degree = 9;
    static constexpr double log_coef[] = {2.0 / 3,  2.0 / 5,  2.0 / 7,  2.0 / 9,  2.0 / 11,
                                          2.0 / 13, 2.0 / 15, 2.0 / 17, 2.0 / 19, 2.0 / 21};
};

// Horner's rule over coef[first..degree], unrolled by the compiler.
template <class P, std::size_t N>
CTNET_INLINE P horner(P x, const typename P::value_type (&coef)[N], int first, int degree) {
    P acc = P::broadcast(coef[degree]);
    for (int k = degree - 1; k >= first; --k) acc = fmadd(acc, x, P::broadcast(coef[k]));
    return acc;
}

// Nearest integer of |x| < 2^(mantissa bits - 1), as a floating value.
template <class P>
CTNET_INLINE P round_integral(P x) {
    const P magic = P::broadcast(MathConstants<typename P::value_type>::round_magic);
    return (x + magic) - magic;
}

// x = n*ln2 + r with |r| <= ln2/2 (Cody-Waite: the split constant keeps n*ln2_hi exact).
template <class P>
CTNET_INLINE P reduce_ln2(P x, P& n) {
    using C = MathConstants<typename P::value_type>;
    n = round_integral(x * P::broadcast(C::log2e));
    const P r = fnmadd(n, P::broadcast(C::ln2_hi), x);
    return fnmadd(n, P::broadcast(C::ln2_lo), r);
}

}  // namespace detail

template <class P>
CTNET_INLINE P exp(P x) {
    using T = typename P::value_type;
    using C = detail::MathConstants<T>;
    const P hi = P::broadcast(C::exp_max), lo = P::broadcast(C::exp_min);
    P n;
    const P r = detail::reduce_ln2(min(max(x, lo), hi), n);
    const P p = detail::horner(r, C::exp_coef, 0, C::exp_degree);
    // 2^n in two halves: n reaches -150 / +128 (float), beyond one exponent
    // field; each half stays normal and the final product rounds subnormals.
    const P n1 = detail::round_integral(n * P::broadcast(T(0.5)) - P::broadcast(T(0.25)));
    P y = (p * exp2_integral(n1)) * exp2_integral(n - n1);
    y = select(cmp_gt(x, hi), P::broadcast(std::numeric_limits<T>::infinity()), y);
    y = select(cmp_lt(x, lo), P::zero(), y);
    return select(cmp_ne(x, x), x, y);
}

template <class P>
CTNET_INLINE P log(P x) {
    using T = typename P::value_type;
    using C = detail::MathConstants<T>;
    const auto tiny = cmp_lt(x, P::broadcast(std::numeric_limits<T>::min()));
    const P xs = select(tiny, x * P::broadcast(C::subnormal_scale), x);
    P e;
    P m = split_exponent(xs, e);
    e = select(tiny, e - P::broadcast(C::subnormal_exp), e);
    // Centre the mantissa on 1 so |s| below stays small.
    const auto big = cmp_gt(m, P::broadcast(C::sqrt2));
    m = select(big, m * P::broadcast(T(0.5)), m);
    e = select(big, e + P::broadcast(T(1)), e);
    // fdlibm's form of log(1 + f) = 2 atanh(s), s = f / (2 + f): the exact f
    // carries the result and the series only a small correction, so the sum
    // stays under one ulp: log(m) = f - (hfsq - s * (hfsq + R(s^2))).
    const P f = m - P::broadcast(T(1));  // exact for m in [sqrt(1/2), sqrt(2))
    const P s = f / (f + P::broadcast(T(2)));
    const P z = s * s;
    const P r = z * detail::horner(z, C::log_coef, 0, C::log_degree);
    const P hfsq = P::broadcast(T(0.5)) * f * f;
    P y = fmadd(e, P::broadcast(C::ln2_hi), -((hfsq - fmadd(s, hfsq + r, e * P::broadcast(C::ln2_lo))) - f));
    const P inf = P::broadcast(std::numeric_limits<T>::infinity());
    y = select(cmp_eq(x, inf), inf, y);
    y = select(cmp_eq(x, P::zero()), -inf, y);
    y = select(cmp_lt(x, P::zero()), P::broadcast(std::numeric_limits<T>::quiet_NaN()), y);
    return select(cmp_ne(x, x), x, y);
}

namespace detail {
// exp(x) - 1 without cancellation for |x| <= 2*tanh_saturate: 2^n*expm1(r) + (2^n - 1).
template <class P>
CTNET_INLINE P expm1_bounded(P x) {
    using C = MathConstants<typename P::value_type>;
    P n;
    const P r = reduce_ln2(x, n);
    const P p = r * horner(r, C::exp_coef, 1, C::exp_degree);  // expm1(r) = r * (1 + r/2 + ...)
    const P scale = exp2_integral(n);
    return fmadd(scale, p, scale - P::broadcast(typename P::value_type(1)));
}
}  // namespace detail

template <class P>
CTNET_INLINE P tanh(P x) {
    using T = typename P::value_type;
    using C = detail::MathConstants<T>;
    const P a = min(abs(x), P::broadcast(C::tanh_saturate));
    const P e = detail::expm1_bounded(a + a);  // tanh(a) = e / (e + 2)
    const P t = e / (e + P::broadcast(T(2)));
    const P y = select(cmp_lt(x, P::zero()), -t, t);
    return select(cmp_ne(x, x), x, y);
}

template <class P>
CTNET_INLINE P sigmoid(P x) {
    using T = typename P::value_type;
    const P one = P::broadcast(T(1));
    return one / (one + exp(-x));
}

}  // namespace ctnet::simd
