// Tests for matrix/operators.hpp and expr.hpp: every element-wise operation against a scalar loop,
// on every shape and both element types, with broadcasting, masks, select and transpose.
#include "ctnet/matrix/operators.hpp"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <type_traits>

#include "ctnet/matrix/matrix.hpp"
#include "../support/reference.hpp"
#include "../support/shapes.hpp"

using ctnet::Matrix;
using ctnet::test::padding_is_zero;
using ctnet::test::random_matrix;

namespace {

// The worst distance in ulps between result and ref, and whether the padding stayed zero.
// ref is a plain function of the operands' elements (a function pointer, so each
// shape instantiates these comparisons once, not once per operation).
template <class T, std::size_t R, std::size_t C>
double worst_unary(const std::type_identity_t<Matrix<T, R, C>>& result, const Matrix<T, R, C>& a, long double (*ref)(long double)) {
    BOOST_TEST(padding_is_zero(result));
    double worst = 0;
    for (std::size_t i = 0; i < R; ++i)
        for (std::size_t j = 0; j < C; ++j)
            worst = std::max(worst, ctnet::test::ulp_distance(result(i, j), static_cast<T>(ref(a(i, j)))));
    return worst;
}

template <class T, std::size_t R, std::size_t C, std::size_t BR, std::size_t BC>
double worst_binary(const std::type_identity_t<Matrix<T, R, C>>& result, const Matrix<T, R, C>& a, const Matrix<T, BR, BC>& b,
                    T (*ref)(T, T)) {
    BOOST_TEST(padding_is_zero(result));
    double worst = 0;
    for (std::size_t i = 0; i < R; ++i)
        for (std::size_t j = 0; j < C; ++j)
            worst = std::max(worst, ctnet::test::ulp_distance(result(i, j), ref(a(i, j), b(BR == 1 ? 0 : i, BC == 1 ? 0 : j))));
    return worst;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(operators)

BOOST_AUTO_TEST_CASE_TEMPLATE(arithmetic_with_matrices_and_scalars, S, ctnet::test::Shapes) {
    using T = typename S::type;
    using M = Matrix<T, S::rows, S::cols>;
    const M a = random_matrix<T, S::rows, S::cols>(1), b = random_matrix<T, S::rows, S::cols>(2, 0.5, 2.0);
    BOOST_TEST(worst_binary<T>(a + b, a, b, [](T x, T y) { return x + y; }) == 0);
    BOOST_TEST(worst_binary<T>(a - b, a, b, [](T x, T y) { return x - y; }) == 0);
    BOOST_TEST(worst_binary<T>(a * b, a, b, [](T x, T y) { return x * y; }) == 0);
    BOOST_TEST(worst_binary<T>(a / b, a, b, [](T x, T y) { return x / y; }) == 0);
    BOOST_TEST(worst_binary<T>(-a, a, b, [](T x, T) { return -x; }) == 0);
    BOOST_TEST(worst_binary<T>(a * 3 - 0.5, a, b, [](T x, T) { return x * T(3) - T(0.5); }) == 0);
    BOOST_TEST(worst_binary<T>(2.0f / b + a, a, b, [](T x, T y) { return T(2) / y + x; }) == 0);
    // A deeper tree: every node evaluated in the same single pass.
    BOOST_TEST(worst_binary<T>((a + b) * (a - b) / (b * 2), a, b,
                               [](T x, T y) { return (x + y) * (x - y) / (y * T(2)); }) == 0);
}

BOOST_AUTO_TEST_CASE_TEMPLATE(math_functions, S, ctnet::test::Shapes) {
    using T = typename S::type;
    using M = Matrix<T, S::rows, S::cols>;
    const M a = random_matrix<T, S::rows, S::cols>(3, -8, 8), b = random_matrix<T, S::rows, S::cols>(4, -8, 8);
    using L = long double;
    BOOST_TEST(worst_unary<T>(abs(a), a, [](L x) { return std::fabs(x); }) == 0);
    BOOST_TEST(worst_binary<T>(sqrt(abs(a)), a, b, [](T x, T) { return std::sqrt(std::fabs(x)); }) == 0);  // IEEE: exact
    BOOST_TEST(worst_unary<T>(exp(a), a, [](L x) { return std::exp(x); }) <= 1);
    BOOST_TEST(worst_unary<T>(log(abs(a)), a, [](L x) { return std::log(std::fabs(x)); }) <= 1);
    BOOST_TEST(worst_unary<T>(tanh(a), a, [](L x) { return std::tanh(x); }) <= 3);
    BOOST_TEST(worst_unary<T>(sigmoid(a), a, [](L x) { return 1 / (1 + std::exp(-x)); }) <= 2);
    BOOST_TEST(worst_unary<T>(max(a, 0), a, [](L x) { return x > 0 ? x : 0.0L; }) == 0);
    BOOST_TEST(worst_unary<T>(min(a, 1.5), a, [](L x) { return x < 1.5L ? x : 1.5L; }) == 0);
    BOOST_TEST(worst_binary<T>(max(a, b), a, b, [](T x, T y) { return std::max(x, y); }) == 0);
    BOOST_TEST(worst_binary<T>(min(a, b), a, b, [](T x, T y) { return std::min(x, y); }) == 0);
}

BOOST_AUTO_TEST_CASE_TEMPLATE(masks_and_select, S, ctnet::test::Shapes) {
    using T = typename S::type;
    using M = Matrix<T, S::rows, S::cols>;
    M a = random_matrix<T, S::rows, S::cols>(5), b = random_matrix<T, S::rows, S::cols>(6);
    b(0, 0) = a(0, 0);  // one tie for the equality masks
    BOOST_TEST(worst_binary<T>(a < b, a, b, [](T x, T y) { return T(x < y); }) == 0);
    BOOST_TEST(worst_binary<T>(a <= b, a, b, [](T x, T y) { return T(x <= y); }) == 0);
    BOOST_TEST(worst_binary<T>(a > 0, a, b, [](T x, T) { return T(x > 0); }) == 0);
    BOOST_TEST(worst_binary<T>(a >= b, a, b, [](T x, T y) { return T(x >= y); }) == 0);
    BOOST_TEST(worst_binary<T>(equal(a, b), a, b, [](T x, T y) { return T(x == y); }) == 0);
    BOOST_TEST(worst_binary<T>(not_equal(a, b), a, b, [](T x, T y) { return T(x != y); }) == 0);
    BOOST_TEST(worst_binary<T>(select(a > b, a, b), a, b, [](T x, T y) { return x > y ? x : y; }) == 0);
    BOOST_TEST(worst_binary<T>(select(a > 0, 1, -2), a, b, [](T x, T) { return x > 0 ? T(1) : T(-2); }) == 0);
    // A stored 0/1 mask (as ReLU keeps one) selects like the comparison it came from.
    const M mask = a > 0;
    const M picked = select(mask, b, 0);
    for (std::size_t i = 0; i < S::rows; ++i)
        for (std::size_t j = 0; j < S::cols; ++j) BOOST_TEST(picked(i, j) == (a(i, j) > 0 ? b(i, j) : T(0)));
}

BOOST_AUTO_TEST_CASE_TEMPLATE(numpy_broadcasting, S, ctnet::test::Shapes) {
    using T = typename S::type;
    constexpr std::size_t R = S::rows, C = S::cols;
    using M = Matrix<T, R, C>;
    const M a = random_matrix<T, R, C>(7);
    const auto bias = random_matrix<T, 1, C>(8);
    const auto column = random_matrix<T, R, 1>(9);
    const auto single = random_matrix<T, 1, 1>(10);
    BOOST_TEST(worst_binary<T>(a + bias, a, bias, [](T x, T y) { return x + y; }) == 0);
    BOOST_TEST(worst_binary<T>(bias - a, a, bias, [](T x, T y) { return y - x; }) == 0);
    BOOST_TEST(worst_binary<T>(a * column, a, column, [](T x, T y) { return x * y; }) == 0);
    BOOST_TEST(worst_binary<T>(a / single, a, single, [](T x, T y) { return x / y; }) == 0);
    const M outer = bias + column;
    for (std::size_t i = 0; i < R; ++i)
        for (std::size_t j = 0; j < C; ++j) BOOST_TEST(outer(i, j) == bias(0, j) + column(i, 0));
}

BOOST_AUTO_TEST_CASE_TEMPLATE(transpose_element_wise, S, ctnet::test::Shapes) {
    using T = typename S::type;
    constexpr std::size_t R = S::rows, C = S::cols;
    const auto a = random_matrix<T, C, R>(11);
    const Matrix<T, R, C> b = random_matrix<T, R, C>(12);
    const Matrix<T, R, C> t = transpose(a), u = transpose(a) * 2 + b, v = transpose(transpose(b));
    BOOST_TEST(ctnet::test::padding_is_zero(t));
    for (std::size_t i = 0; i < R; ++i)
        for (std::size_t j = 0; j < C; ++j) {
            BOOST_TEST(t(i, j) == a(j, i));
            BOOST_TEST(u(i, j) == a(j, i) * T(2) + b(i, j));
            BOOST_TEST(v(i, j) == b(i, j));
        }
}

BOOST_AUTO_TEST_SUITE_END()
