// Tests for simd/math.hpp: exp, log, tanh and sigmoid on the selected backend, swept over the
// whole range of float and double against the C library in long double, plus special values.
#include "ctnet/simd/math.hpp"

#include <boost/mpl/list.hpp>
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>

#include "ctnet/simd/packet.hpp"
#include "../support/reference.hpp"

namespace simd = ctnet::simd;
using Reals = boost::mpl::list<float, double>;

namespace {

template <class T>
using P = simd::packet_t<T>;

// Worst error in ulps of f against ref over n evenly spaced points of [lo, hi].
// Where the correctly rounded result is subnormal or zero, the error must stay
// under one subnormal step instead (the ulp there is absolute, not relative).
template <class T, class F, class R>
double worst_ulps(F f, R ref, long double lo, long double hi, long n) {
    constexpr std::size_t W = P<T>::size;
    alignas(64) T in[W], out[W];
    double worst = 0;
    for (long i = 0; i < n; i += static_cast<long>(W)) {
        for (std::size_t l = 0; l < W; ++l)
            in[l] = static_cast<T>(lo + (hi - lo) * static_cast<long double>(i + static_cast<long>(l)) / n);
        f(P<T>::load(in)).store(out);
        for (std::size_t l = 0; l < W; ++l) {
            const T expect = static_cast<T>(ref(static_cast<long double>(in[l])));
            if (expect == 0 || std::fpclassify(expect) == FP_SUBNORMAL) {
                if (std::fabs(out[l] - expect) > std::numeric_limits<T>::denorm_min()) return 1e9;
                continue;
            }
            worst = std::max(worst, ctnet::test::ulp_distance(out[l], expect));
        }
    }
    return worst;
}

template <class T, class F>
T at(F f, T x) {
    alignas(64) T out[P<T>::size];
    f(P<T>::broadcast(x)).store(out);
    return out[0];
}

constexpr long points = 1'000'000;
auto exp_f = [](auto p) { return simd::exp(p); };
auto log_f = [](auto p) { return simd::log(p); };
auto tanh_f = [](auto p) { return simd::tanh(p); };
auto sigmoid_f = [](auto p) { return simd::sigmoid(p); };

}  // namespace

BOOST_AUTO_TEST_SUITE(math)

BOOST_AUTO_TEST_CASE_TEMPLATE(exp_within_one_ulp, T, Reals) {
    auto ref = [](long double x) { return std::exp(x); };
    const long double lo = std::log(static_cast<long double>(std::numeric_limits<T>::denorm_min())) - 1;
    const long double hi = std::log(static_cast<long double>(std::numeric_limits<T>::max()));
    BOOST_TEST(worst_ulps<T>(exp_f, ref, lo, hi, points) <= 1.0);
    BOOST_TEST(worst_ulps<T>(exp_f, ref, -10.0L, 10.0L, points) <= 1.0);
    BOOST_TEST(worst_ulps<T>(exp_f, ref, -1e-3L, 1e-3L, points / 10) <= 1.0);
}

BOOST_AUTO_TEST_CASE_TEMPLATE(log_within_one_ulp, T, Reals) {
    auto ref = [](long double x) { return std::log(x); };
    BOOST_TEST(worst_ulps<T>(log_f, ref, 0.5L, 2.0L, points) <= 1.0);
    BOOST_TEST(worst_ulps<T>(log_f, ref, 1e-30L, 10.0L, points) <= 1.0);
    BOOST_TEST(worst_ulps<T>(log_f, ref, 1.0L, std::numeric_limits<T>::max(), points) <= 1.0);
    // Subnormal inputs.
    BOOST_TEST(worst_ulps<T>(log_f, ref, 0.0L, std::numeric_limits<T>::min(), points / 10) <= 1.0);
}

BOOST_AUTO_TEST_CASE_TEMPLATE(tanh_within_three_ulp, T, Reals) {
    auto ref = [](long double x) { return std::tanh(x); };
    BOOST_TEST(worst_ulps<T>(tanh_f, ref, -25.0L, 25.0L, points) <= 3.0);
    BOOST_TEST(worst_ulps<T>(tanh_f, ref, -0.01L, 0.01L, points / 10) <= 3.0);
}

BOOST_AUTO_TEST_CASE_TEMPLATE(sigmoid_within_two_ulp, T, Reals) {
    auto ref = [](long double x) { return 1.0L / (1.0L + std::exp(-x)); };
    // Down to where exp(-x) overflows, sigmoid is a normal number within 2 ulp...
    const long double overflow = std::log(static_cast<long double>(std::numeric_limits<T>::max()));
    BOOST_TEST(worst_ulps<T>(sigmoid_f, ref, -overflow + 0.01L, 50.0L, points) <= 2.0);
    // ...and below, where the exact value is subnormal, ours is 0: off by less than the smallest normal.
    for (long double x = -overflow; x > -overflow - 20; x -= 0.125L)
        BOOST_TEST(std::fabs(at(sigmoid_f, static_cast<T>(x)) - static_cast<T>(ref(x))) < std::numeric_limits<T>::min());
}

BOOST_AUTO_TEST_CASE_TEMPLATE(special_values, T, Reals) {
    const T inf = std::numeric_limits<T>::infinity(), nan = std::numeric_limits<T>::quiet_NaN();
    BOOST_TEST(at(exp_f, inf) == inf);
    BOOST_TEST(at(exp_f, -inf) == T(0));
    BOOST_TEST(at(exp_f, T(1000)) == inf);
    BOOST_TEST(at(exp_f, T(-1000)) == T(0));
    BOOST_TEST(at(exp_f, T(0)) == T(1));
    BOOST_TEST(std::isnan(at(exp_f, nan)));
    BOOST_TEST(at(log_f, T(0)) == -inf);
    BOOST_TEST(at(log_f, -T(0)) == -inf);
    BOOST_TEST(std::isnan(at(log_f, T(-1))));
    BOOST_TEST(at(log_f, inf) == inf);
    BOOST_TEST(at(log_f, T(1)) == T(0));
    BOOST_TEST(std::isnan(at(log_f, nan)));
    BOOST_TEST(at(tanh_f, T(100)) == T(1));
    BOOST_TEST(at(tanh_f, -inf) == T(-1));
    BOOST_TEST(at(tanh_f, T(0)) == T(0));
    BOOST_TEST(std::isnan(at(tanh_f, nan)));
    BOOST_TEST(at(sigmoid_f, T(0)) == T(0.5));
    BOOST_TEST(at(sigmoid_f, inf) == T(1));
    BOOST_TEST(at(sigmoid_f, -inf) == T(0));
    BOOST_TEST(std::isnan(at(sigmoid_f, nan)));
}

BOOST_AUTO_TEST_CASE_TEMPLATE(tanh_is_odd_and_sigmoid_symmetric, T, Reals) {
    for (T x : {T(0.001), T(0.3), T(1.7), T(6), T(12)}) {
        BOOST_TEST(at(tanh_f, -x) == -at(tanh_f, x));
        BOOST_TEST(at(sigmoid_f, x) + at(sigmoid_f, -x) == T(1), boost::test_tools::tolerance(std::numeric_limits<T>::epsilon() * 2));
    }
}

BOOST_AUTO_TEST_SUITE_END()
