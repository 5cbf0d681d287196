// Tests for matrix/reduce.hpp: every reduction against a loop in long double, padding ignored.
#include "ctnet/matrix/reduce.hpp"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>

#include "../support/reference.hpp"
#include "../support/shapes.hpp"

using ctnet::Matrix;
using ctnet::test::random_matrix;

namespace {
template <class T>
auto rel_tol(std::size_t n) {
    return boost::test_tools::tolerance(static_cast<T>(4 * std::sqrt(double(n)) * std::numeric_limits<T>::epsilon()));
}
}  // namespace

BOOST_AUTO_TEST_SUITE(reduce)

BOOST_AUTO_TEST_CASE_TEMPLATE(whole_matrix_reductions, S, ctnet::test::Shapes) {
    using T = typename S::type;
    constexpr std::size_t R = S::rows, C = S::cols;
    // Offset so the sums are far from zero and a relative tolerance is meaningful.
    const Matrix<T, R, C> a = random_matrix<T, R, C>(1) + T(3);
    long double s = 0;
    T mx = a(0, 0), mn = a(0, 0);
    for (std::size_t i = 0; i < R; ++i)
        for (std::size_t j = 0; j < C; ++j) {
            s += a(i, j);
            mx = std::max(mx, a(i, j));
            mn = std::min(mn, a(i, j));
        }
    BOOST_TEST(sum(a) == static_cast<T>(s), rel_tol<T>(R * C));
    BOOST_TEST(mean(a) == static_cast<T>(s / (R * C)), rel_tol<T>(R * C));
    BOOST_TEST(max_coeff(a) == mx);
    BOOST_TEST(min_coeff(a) == mn);
    // The padding (zero) never wins a max of negative numbers.
    BOOST_TEST(max_coeff(-a) == -mn);
    BOOST_TEST(sum(a * 2) == static_cast<T>(2 * s), rel_tol<T>(R * C));
}

BOOST_AUTO_TEST_CASE_TEMPLATE(all_finite_finds_nan_and_inf_anywhere, S, ctnet::test::Shapes) {
    using T = typename S::type;
    constexpr std::size_t R = S::rows, C = S::cols;
    auto a = random_matrix<T, R, C>(2);
    BOOST_TEST(all_finite(a));
    for (T bad : {std::numeric_limits<T>::quiet_NaN(), std::numeric_limits<T>::infinity(),
                  -std::numeric_limits<T>::infinity()}) {
        auto b = a;
        b(R - 1, C - 1) = bad;  // the last element sits in the tail packet
        BOOST_TEST(!all_finite(b));
        auto c = a;
        c(R / 2, 0) = bad;
        BOOST_TEST(!all_finite(c));
    }
}

BOOST_AUTO_TEST_CASE_TEMPLATE(per_column_and_per_row, S, ctnet::test::Shapes) {
    using T = typename S::type;
    constexpr std::size_t R = S::rows, C = S::cols;
    Matrix<T, R, C> a = random_matrix<T, R, C>(3) + T(2);
    a(0, C - 1) = T(9);  // a row maximum in the last column
    const Matrix<T, 1, C> cs = col_sum(a);
    const Matrix<T, R, 1> rs = row_sum(a);
    const Matrix<T, R, 1> rm = row_max(-a);
    const auto am = row_argmax(a);
    for (std::size_t j = 0; j < C; ++j) {
        long double s = 0;
        for (std::size_t i = 0; i < R; ++i) s += a(i, j);
        BOOST_TEST(cs(0, j) == static_cast<T>(s), rel_tol<T>(R));
    }
    for (std::size_t i = 0; i < R; ++i) {
        long double s = 0;
        T mx = -a(i, 0);
        std::size_t arg = 0;
        T best = a(i, 0);
        for (std::size_t j = 0; j < C; ++j) {
            s += a(i, j);
            mx = std::max(mx, -a(i, j));
            if (a(i, j) > best) {
                best = a(i, j);
                arg = j;
            }
        }
        BOOST_TEST(rs(i, 0) == static_cast<T>(s), rel_tol<T>(C));
        BOOST_TEST(rm(i, 0) == mx);
        BOOST_TEST(am[i] == arg);
    }
    BOOST_TEST(am[0] == C - 1);
    BOOST_TEST(ctnet::test::padding_is_zero(cs));
}

BOOST_AUTO_TEST_CASE(argmax_takes_the_first_of_ties_and_row_max_broadcasts) {
    const Matrix<float, 2, 4> a({{1, 3, 3, 0}, {-2, -1, -5, -1}});
    const auto am = row_argmax(a);
    BOOST_TEST(am[0] == 1u);
    BOOST_TEST(am[1] == 1u);
    const Matrix<float, 2, 4> shifted = a - row_max(a);  // the softmax shift
    BOOST_TEST(shifted(0, 1) == 0.0f);
    BOOST_TEST(shifted(1, 2) == -4.0f);
}

BOOST_AUTO_TEST_CASE(argmax_answers_the_first_nan_as_numpy) {
    // np.argmax([[nan, nan, nan], [1, nan, 7], [2, 9, nan], [nan, 5, 6]], axis=1) == [0, 1, 2, 0]
    const float nan = std::numeric_limits<float>::quiet_NaN();
    const Matrix<float, 4, 3> a({{nan, nan, nan}, {1, nan, 7}, {2, 9, nan}, {nan, 5, 6}});
    const auto am = row_argmax(a);
    BOOST_TEST(am[0] == 0u);
    BOOST_TEST(am[1] == 1u);
    BOOST_TEST(am[2] == 2u);
    BOOST_TEST(am[3] == 0u);
}

BOOST_AUTO_TEST_CASE(max_and_min_with_a_scalar_keep_x86_operand_order_for_nan) {
    const float nan = std::numeric_limits<float>::quiet_NaN();
    const Matrix<float, 1, 3> x({{nan, -2, 3}});
    const Matrix<float, 1, 3> keeps = max(0.0f, x), drops = max(x, 0.0f), low = min(1.0f, x);
    BOOST_TEST(std::isnan(keeps(0, 0)));
    BOOST_TEST(keeps(0, 1) == 0.0f);
    BOOST_TEST(keeps(0, 2) == 3.0f);
    BOOST_TEST(drops(0, 0) == 0.0f);
    BOOST_TEST(std::isnan(low(0, 0)));
    BOOST_TEST(low(0, 1) == -2.0f);
    BOOST_TEST(low(0, 2) == 1.0f);
}

BOOST_AUTO_TEST_SUITE_END()
