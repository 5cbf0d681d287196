// Tests for matrix/product.hpp and gemm.hpp: the three product forms against a triple loop in
// long double on odd and real shapes, with fused epilogues and accumulation.
#include "ctnet/matrix/product.hpp"

#include <boost/mpl/list.hpp>
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <functional>
#include <type_traits>
#include <limits>

#include "ctnet/matrix/matrix.hpp"
#include "../support/reference.hpp"

using ctnet::Matrix;
using ctnet::test::padding_is_zero;
using ctnet::test::random_matrix;

namespace {

template <class T, std::size_t M_, std::size_t K_, std::size_t N_>
struct Dims {
    using type = T;
    static constexpr std::size_t M = M_, K = K_, N = N_;
};

// Every remainder of the tile grid, the real 784-50-10 shapes at batch 100, 3 and 1, and rows
// 2 KiB apart (M = 512 floats, 256 doubles), whose transposed A gemm.hpp copies to another stride.
using Products = boost::mpl::list<Dims<float, 1, 1, 1>, Dims<double, 1, 1, 1>, Dims<float, 3, 7, 9>,
                                  Dims<double, 9, 5, 3>, Dims<float, 7, 1, 13>, Dims<double, 17, 33, 5>,
                                  Dims<float, 13, 17, 31>, Dims<float, 100, 784, 50>, Dims<double, 100, 784, 50>,
                                  Dims<float, 100, 50, 10>, Dims<double, 100, 10, 50>, Dims<float, 50, 100, 784>,
                                  Dims<float, 1, 784, 50>, Dims<double, 3, 784, 50>, Dims<float, 512, 40, 33>,
                                  Dims<double, 256, 7, 9>>;

using Epilogue = std::function<long double(std::size_t i, std::size_t j, long double product)>;

// |c - epilogue(exact)| <= 2 K eps sum_k |a_ik b_kj| for each element (the
// standard dot-product bound), where a and b are the logical operands.
template <class T, std::size_t M, std::size_t K, std::size_t N>
void expect_product(const std::type_identity_t<Matrix<T, M, N>>& c, const Matrix<T, M, K>& a,
                    const Matrix<T, K, N>& b, const Epilogue& epilogue = {}) {
    BOOST_TEST(padding_is_zero(c));
    int failures = 0;
    for (std::size_t i = 0; i < M; ++i)
        for (std::size_t j = 0; j < N; ++j) {
            long double exact = 0, magnitude = 0;
            for (std::size_t k = 0; k < K; ++k) {
                exact += static_cast<long double>(a(i, k)) * b(k, j);
                magnitude += std::fabs(static_cast<long double>(a(i, k)) * b(k, j));
            }
            const long double want = epilogue ? epilogue(i, j, exact) : exact;
            const long double bound = 2.0L * K * std::numeric_limits<T>::epsilon() * (magnitude + 1) + 1e-30L;
            if (std::fabs(c(i, j) - want) > bound && ++failures <= 3)
                BOOST_ERROR("c(" << i << ", " << j << ") = " << c(i, j) << ", expected " << static_cast<double>(want));
        }
    BOOST_TEST(failures == 0);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(product)

BOOST_AUTO_TEST_CASE_TEMPLATE(the_three_forms, D, Products) {
    using T = typename D::type;
    constexpr std::size_t M = D::M, K = D::K, N = D::N;
    const auto a = random_matrix<T, M, K>(1);
    const auto b = random_matrix<T, K, N>(2);
    const Matrix<T, K, M> at = transpose(a);
    const Matrix<T, N, K> bt = transpose(b);
    expect_product<T>(dot(a, b), a, b);
    expect_product<T>(dot(transpose(at), b), a, b);
    expect_product<T>(dot(a, transpose(bt)), a, b);
}

BOOST_AUTO_TEST_CASE_TEMPLATE(fused_bias_and_activation, D, Products) {
    using T = typename D::type;
    constexpr std::size_t M = D::M, K = D::K, N = D::N;
    const auto a = random_matrix<T, M, K>(7);
    const auto b = random_matrix<T, K, N>(8);
    const Matrix<T, N, K> bt = transpose(b);
    const auto bias = random_matrix<T, 1, N>(10);
    const Epilogue relu = [&](auto, auto j, long double v) { return std::max(v + bias(0, j), 0.0L); };
    expect_product<T>(max(dot(a, transpose(bt)) + bias, 0), a, b, relu);
    expect_product<T>(max(bias + dot(a, b), 0), a, b, relu);
    // A bias-shifted sigmoid: the sigmoid's own error (2 ulp) sits well inside the bound.
    expect_product<T>(sigmoid(dot(a, b) * 0.5 - bias), a, b,
                      [&](auto, auto j, long double v) { return 1 / (1 + std::exp(-(v * 0.5L - bias(0, j)))); });
}

BOOST_AUTO_TEST_CASE_TEMPLATE(accumulating_and_the_fused_sgd_step, D, Products) {
    using T = typename D::type;
    constexpr std::size_t M = D::M, K = D::K, N = D::N;
    const auto at = random_matrix<T, K, M>(11);
    const auto b = random_matrix<T, K, N>(12);
    const Matrix<T, M, K> a = transpose(at);
    const auto w0 = random_matrix<T, M, N>(13);
    Matrix<T, M, N> w = w0;
    w -= T(0.1) * dot(transpose(at), b);  // W -= lr * x^T dout, without storing the gradient
    expect_product<T>(w, a, b, [&](auto i, auto j, long double v) { return w0(i, j) - 0.1L * v; });
    Matrix<T, M, N> acc = w0;
    acc += dot(a, b) / 2;
    expect_product<T>(acc, a, b, [&](auto i, auto j, long double v) { return w0(i, j) + v / 2; });
}

BOOST_AUTO_TEST_SUITE_END()
