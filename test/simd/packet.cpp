// Tests for the selected backend's packets (simd/arch/*/packet.hpp): every operation lane by lane
// against plain C++ on the same values, float and double, special values included.
#include "ctnet/simd/packet.hpp"

#include <boost/mpl/list.hpp>
#include <boost/test/unit_test.hpp>

#include <array>
#include <cmath>
#include <limits>
#include <vector>

#include "ctnet/random.hpp"

namespace simd = ctnet::simd;
using Reals = boost::mpl::list<float, double>;

namespace {

template <class T>
using P = simd::packet_t<T>;
template <class T>
constexpr std::size_t W = P<T>::size;

template <class T>
std::array<T, W<T>> lanes_of(P<T> p) {
    alignas(64) std::array<T, W<T>> out;
    p.store(out.data());
    return out;
}

template <class T, class M>
std::array<bool, W<T>> mask_lanes(M m) {
    const auto v = lanes_of<T>(simd::select(m, P<T>::broadcast(T(1)), P<T>::zero()));
    std::array<bool, W<T>> out;
    for (std::size_t l = 0; l < W<T>; ++l) out[l] = v[l] == T(1);
    return out;
}

// Inputs: random values of both signs and several magnitudes, then special values.
template <class T>
std::vector<T> inputs() {
    ctnet::Rng rng(7);
    std::vector<T> v;
    for (int i = 0; i < 256; ++i) v.push_back(static_cast<T>((rng.uniform() - 0.5) * std::pow(10.0, i % 7 - 3)));
    for (T s : {T(0), -T(0), T(1), T(-1), std::numeric_limits<T>::min(), std::numeric_limits<T>::max(),
                std::numeric_limits<T>::lowest(), std::numeric_limits<T>::infinity(),
                -std::numeric_limits<T>::infinity(), std::numeric_limits<T>::denorm_min()})
        v.push_back(s);
    while (v.size() % W<T> != 0) v.push_back(T(0.5));
    return v;
}

bool same(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }

// Calls check(a_lanes, b_lanes, pa, pb) for pairs of packets taken from the inputs.
template <class T, class F>
void over_pairs(F check) {
    const auto v = inputs<T>();
    for (std::size_t i = 0; i + W<T> <= v.size(); i += W<T>)
        for (std::size_t j = 0; j + W<T> <= v.size(); j += 5 * W<T>) {
            alignas(64) std::array<T, W<T>> a, b;
            for (std::size_t l = 0; l < W<T>; ++l) {
                a[l] = v[i + l];
                b[l] = v[(j + l * 3) % v.size()];
            }
            check(a, b, P<T>::load(a.data()), P<T>::load(b.data()));
        }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(packet)

BOOST_AUTO_TEST_CASE_TEMPLATE(load_store_broadcast_zero, T, Reals) {
    alignas(64) std::array<T, W<T>> in;
    for (std::size_t l = 0; l < W<T>; ++l) in[l] = T(l) + T(0.25);
    BOOST_TEST(lanes_of<T>(P<T>::load(in.data())) == in);
    std::vector<T> unaligned(W<T> + 1);
    for (std::size_t l = 0; l < W<T>; ++l) unaligned[l + 1] = in[l];
    BOOST_TEST(lanes_of<T>(P<T>::loadu(unaligned.data() + 1)) == in);
    P<T>::load(in.data()).storeu(unaligned.data() + 1);
    for (std::size_t l = 0; l < W<T>; ++l) BOOST_TEST(unaligned[l + 1] == in[l]);
    for (T x : lanes_of<T>(P<T>::broadcast(T(-3.5)))) BOOST_TEST(x == T(-3.5));
    for (T x : lanes_of<T>(P<T>::zero())) BOOST_TEST(x == T(0));
}

BOOST_AUTO_TEST_CASE_TEMPLATE(arithmetic_matches_scalar, T, Reals) {
    over_pairs<T>([](const auto& a, const auto& b, P<T> pa, P<T> pb) {
        const auto sum = lanes_of<T>(pa + pb), diff = lanes_of<T>(pa - pb), prod = lanes_of<T>(pa * pb),
                   quot = lanes_of<T>(pa / pb), neg = lanes_of<T>(-pa), ab = lanes_of<T>(simd::abs(pa)),
                   sq = lanes_of<T>(simd::sqrt(simd::abs(pa)));
        for (std::size_t l = 0; l < W<T>; ++l) {
            BOOST_TEST(same(sum[l], a[l] + b[l]));
            BOOST_TEST(same(diff[l], a[l] - b[l]));
            BOOST_TEST(same(prod[l], a[l] * b[l]));
            BOOST_TEST(same(quot[l], a[l] / b[l]));
            BOOST_TEST(same(neg[l], -a[l]));
            BOOST_TEST(same(ab[l], std::fabs(a[l])));
            BOOST_TEST(same(sq[l], std::sqrt(std::fabs(a[l]))));
        }
    });
}

BOOST_AUTO_TEST_CASE_TEMPLATE(fused_multiply_add, T, Reals) {
    over_pairs<T>([](const auto& a, const auto& b, P<T> pa, P<T> pb) {
        const auto fm = lanes_of<T>(simd::fmadd(pa, pb, pa)), fnm = lanes_of<T>(simd::fnmadd(pa, pb, pb));
        for (std::size_t l = 0; l < W<T>; ++l) {
            // Fused where the backend has FMA, two roundings on SSE2: either is correct.
            const T fused = std::fma(a[l], b[l], a[l]), split = a[l] * b[l] + a[l];
            BOOST_TEST((same(fm[l], fused) || same(fm[l], split)));
            const T nfused = std::fma(-a[l], b[l], b[l]), nsplit = b[l] - a[l] * b[l];
            BOOST_TEST((same(fnm[l], nfused) || same(fnm[l], nsplit)));
        }
    });
}

BOOST_AUTO_TEST_CASE_TEMPLATE(min_max_match_x86_operand_order, T, Reals) {
    over_pairs<T>([](const auto& a, const auto& b, P<T> pa, P<T> pb) {
        const auto mn = lanes_of<T>(simd::min(pa, pb)), mx = lanes_of<T>(simd::max(pa, pb));
        for (std::size_t l = 0; l < W<T>; ++l) {
            BOOST_TEST(same(mn[l], a[l] < b[l] ? a[l] : b[l]));
            BOOST_TEST(same(mx[l], a[l] > b[l] ? a[l] : b[l]));
        }
    });
}

BOOST_AUTO_TEST_CASE_TEMPLATE(comparisons_masks_and_select, T, Reals) {
    over_pairs<T>([](const auto& a, const auto& b, P<T> pa, P<T> pb) {
        const auto lt = mask_lanes<T>(simd::cmp_lt(pa, pb)), le = mask_lanes<T>(simd::cmp_le(pa, pb)),
                   gt = mask_lanes<T>(simd::cmp_gt(pa, pb)), ge = mask_lanes<T>(simd::cmp_ge(pa, pb)),
                   eq = mask_lanes<T>(simd::cmp_eq(pa, pb)), ne = mask_lanes<T>(simd::cmp_ne(pa, pb)),
                   both = mask_lanes<T>(simd::cmp_lt(pa, pb) & simd::cmp_gt(pa, P<T>::zero())),
                   either = mask_lanes<T>(simd::cmp_lt(pa, pb) | simd::cmp_eq(pa, pb)),
                   inv = mask_lanes<T>(~simd::cmp_lt(pa, pb));
        const auto sel = lanes_of<T>(simd::select(simd::cmp_lt(pa, pb), pa, pb));
        bool any_lt = false;
        for (std::size_t l = 0; l < W<T>; ++l) {
            BOOST_TEST(lt[l] == (a[l] < b[l]));
            BOOST_TEST(le[l] == (a[l] <= b[l]));
            BOOST_TEST(gt[l] == (a[l] > b[l]));
            BOOST_TEST(ge[l] == (a[l] >= b[l]));
            BOOST_TEST(eq[l] == (a[l] == b[l]));
            BOOST_TEST(ne[l] == (a[l] != b[l]));
            BOOST_TEST(both[l] == (a[l] < b[l] && a[l] > 0));
            BOOST_TEST(either[l] == (a[l] < b[l] || a[l] == b[l]));
            BOOST_TEST(inv[l] == !(a[l] < b[l]));
            BOOST_TEST(same(sel[l], a[l] < b[l] ? a[l] : b[l]));
            any_lt = any_lt || a[l] < b[l];
        }
        BOOST_TEST(simd::any(simd::cmp_lt(pa, pb)) == any_lt);
    });
}

BOOST_AUTO_TEST_CASE_TEMPLATE(comparisons_with_nan_are_unordered, T, Reals) {
    const P<T> nan = P<T>::broadcast(std::numeric_limits<T>::quiet_NaN()), one = P<T>::broadcast(T(1));
    BOOST_TEST(!simd::any(simd::cmp_lt(nan, one) | simd::cmp_ge(nan, one) | simd::cmp_eq(nan, nan)));
    for (bool b : mask_lanes<T>(simd::cmp_ne(nan, nan))) BOOST_TEST(b);
}

BOOST_AUTO_TEST_CASE_TEMPLATE(first_lanes_for_every_count, T, Reals) {
    for (std::size_t n = 0; n <= W<T>; ++n) {
        const auto m = mask_lanes<T>(P<T>::first_lanes(n));
        for (std::size_t l = 0; l < W<T>; ++l) BOOST_TEST(m[l] == (l < n));
    }
}

BOOST_AUTO_TEST_CASE_TEMPLATE(reductions, T, Reals) {
    ctnet::Rng rng(3);
    for (int trial = 0; trial < 50; ++trial) {
        alignas(64) std::array<T, W<T>> a;
        for (auto& x : a) x = static_cast<T>(rng.uniform() * 200 - 100);
        const P<T> p = P<T>::load(a.data());
        double sum = 0, magnitude = 0;
        T mx = a[0], mn = a[0];
        for (T x : a) {
            sum += x;
            magnitude += std::fabs(x);
            mx = std::max(mx, x);
            mn = std::min(mn, x);
        }
        // Any summation order is within W eps sum|x| of the exact sum.
        BOOST_TEST(std::fabs(simd::reduce_add(p) - sum) <= W<T> * std::numeric_limits<T>::epsilon() * magnitude);
        BOOST_TEST(simd::reduce_max(p) == mx);
        BOOST_TEST(simd::reduce_min(p) == mn);
    }
}

BOOST_AUTO_TEST_CASE_TEMPLATE(exponent_bit_helpers, T, Reals) {
    const int lo = std::numeric_limits<T>::min_exponent - 1, hi = std::numeric_limits<T>::max_exponent - 1;
    for (int n = lo; n <= hi; ++n) {
        for (T x : lanes_of<T>(simd::exp2_integral(P<T>::broadcast(T(n))))) BOOST_TEST(x == std::ldexp(T(1), n));
        const T value = std::ldexp(T(1.375), n);
        P<T> e;
        const auto m = lanes_of<T>(simd::split_exponent(P<T>::broadcast(value), e));
        for (std::size_t l = 0; l < W<T>; ++l) {
            BOOST_TEST(m[l] == T(1.375));
            BOOST_TEST(lanes_of<T>(e)[l] == T(n));
        }
    }
}

BOOST_AUTO_TEST_CASE_TEMPLATE(keep_in_register_keeps_the_value, T, Reals) {
    P<T> p = P<T>::broadcast(T(2.5));
    simd::keep_in_register(p);
    for (T x : lanes_of<T>(p)) BOOST_TEST(x == T(2.5));
}

BOOST_AUTO_TEST_CASE(backend_has_its_packet_width) {
    BOOST_TEST_MESSAGE("backend " << simd::backend_name << ", " << simd::lanes<float> << " floats per packet");
#if CTNET_SIMD == CTNET_SIMD_SCALAR
    BOOST_TEST(simd::lanes<float> == 1u);
    BOOST_TEST(simd::lanes<double> == 1u);
#else
    constexpr std::size_t bytes = CTNET_SIMD == CTNET_SIMD_AVX512 ? 64 : CTNET_SIMD == CTNET_SIMD_AVX2 ? 32 : 16;
    BOOST_TEST(simd::lanes<float> * sizeof(float) == bytes);
    BOOST_TEST(simd::lanes<double> * sizeof(double) == bytes);
#endif
}

BOOST_AUTO_TEST_SUITE_END()
