// Tests for layer/batch_norm.hpp: forward and the running statistics against scalar loops, backward against differences.
#include "ctnet/layer/batch_norm.hpp"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstddef>
#include <vector>

#include "../support/layer_check.hpp"
#include "../support/reference.hpp"

using ctnet::Matrix;
using ctnet::Mode;

namespace {

constexpr double eps = 1e-6;  // the book's 10e-7

// Per-column mean and (biased, ddof = 0) variance by plain loops, as np.mean(axis=0) and np.var(axis=0).
template <class T, std::size_t B, std::size_t N>
void column_stats(const Matrix<T, B, N>& x, std::vector<double>& mean, std::vector<double>& var) {
    mean.assign(N, 0.0);
    var.assign(N, 0.0);
    for (std::size_t j = 0; j < N; ++j) {
        for (std::size_t i = 0; i < B; ++i) mean[j] += x(i, j);
        mean[j] /= B;
        for (std::size_t i = 0; i < B; ++i) var[j] += (x(i, j) - mean[j]) * (x(i, j) - mean[j]);
        var[j] /= B;
    }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(batch_norm)

BOOST_AUTO_TEST_CASE(training_normalises_each_column_to_mean_0_and_variance_1) {
    constexpr std::size_t B = 8, N = 13;
    ctnet::BatchNorm::Impl<double, B, N> bn;
    // Columns of other means and spreads, so a mix-up of rows and columns shows.
    auto x = ctnet::test::random_matrix<double, B, N>(1);
    for (std::size_t i = 0; i < B; ++i)
        for (std::size_t j = 0; j < N; ++j) x(i, j) = 3.0 * double(j) + (1.0 + double(j)) * x(i, j);
    Matrix<double, B, N> y;
    bn.forward(x, y, Mode::train);  // gamma 1, beta 0: y is xn
    std::vector<double> mx, vx, my, vy;
    column_stats(x, mx, vx);
    column_stats(y, my, vy);
    for (std::size_t j = 0; j < N; ++j) {
        BOOST_TEST(std::fabs(my[j]) <= 1e-14);
        BOOST_TEST(vy[j] == vx[j] / (vx[j] + eps), boost::test_tools::tolerance(1e-13));
        BOOST_TEST(std::fabs(vy[j] - 1.0) <= 1e-5);
        for (std::size_t i = 0; i < B; ++i)
            BOOST_TEST(y(i, j) == (x(i, j) - mx[j]) / std::sqrt(vx[j] + eps), boost::test_tools::tolerance(1e-13));
    }
    BOOST_TEST(ctnet::test::padding_is_zero(y));

    // Then gamma scales and beta shifts, column by column.
    ctnet::Rng rng(2);
    ctnet::fill_uniform(bn.gamma, rng, 0.5, 2.0);
    ctnet::fill_uniform(bn.beta, rng, -1.0, 1.0);
    bn.forward(x, y, Mode::train);
    for (std::size_t i = 0; i < B; ++i)
        for (std::size_t j = 0; j < N; ++j)
            BOOST_TEST(y(i, j) == bn.gamma(0, j) * (x(i, j) - mx[j]) / std::sqrt(vx[j] + eps) + bn.beta(0, j),
                       boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(running_statistics_blend_with_momentum_and_inference_uses_them) {
    constexpr std::size_t B = 6, N = 5;
    ctnet::BatchNorm::Impl<double, B, N> bn;
    const auto x1 = ctnet::test::random_matrix<double, B, N>(3, -1, 3);
    const auto x2 = ctnet::test::random_matrix<double, B, N>(4, 0, 1);
    Matrix<double, B, N> y;
    bn.forward(x1, y, Mode::train);
    bn.forward(x2, y, Mode::train);
    std::vector<double> m1, v1, m2, v2;
    column_stats(x1, m1, v1);
    column_stats(x2, m2, v2);
    std::vector<double> rm(N), rv(N);
    for (std::size_t j = 0; j < N; ++j) {
        // From zero, as the book's running_mean = np.zeros(D).
        rm[j] = 0.9 * (0.9 * 0.0 + 0.1 * m1[j]) + 0.1 * m2[j];
        rv[j] = 0.9 * (0.9 * 0.0 + 0.1 * v1[j]) + 0.1 * v2[j];
        BOOST_TEST(bn.running_mean(0, j) == rm[j], boost::test_tools::tolerance(1e-13));
        BOOST_TEST(bn.running_var(0, j) == rv[j], boost::test_tools::tolerance(1e-13));
    }

    // Inference normalises by the running statistics, changes none of them,
    // and leaves backward's cache from the training pass alone.
    ctnet::Rng rng(5);
    ctnet::fill_uniform(bn.gamma, rng, 0.5, 2.0);
    ctnet::fill_uniform(bn.beta, rng, -1.0, 1.0);
    const auto cache = bn.xn;
    const auto x3 = ctnet::test::random_matrix<double, B, N>(6);
    bn.forward(x3, y, Mode::infer);
    for (std::size_t i = 0; i < B; ++i)
        for (std::size_t j = 0; j < N; ++j)
            BOOST_TEST(y(i, j) == bn.gamma(0, j) * (x3(i, j) - rm[j]) / std::sqrt(rv[j] + eps) + bn.beta(0, j),
                       boost::test_tools::tolerance(1e-12));
    BOOST_TEST(bn.running_mean(0, 0) == rm[0], boost::test_tools::tolerance(1e-13));
    BOOST_TEST((bn.xn == cache));

    // A frozen training pass normalises by the batch but records nothing.
    const auto mean_before = bn.running_mean, var_before = bn.running_var;
    bn.forward(x3, y, Mode::train_frozen);
    BOOST_TEST((bn.running_mean == mean_before));
    BOOST_TEST((bn.running_var == var_before));
    std::vector<double> m3, v3;
    column_stats(x3, m3, v3);
    BOOST_TEST(bn.xn(2, 3) == (x3(2, 3) - m3[3]) / std::sqrt(v3[3] + eps), boost::test_tools::tolerance(1e-13));
}

BOOST_AUTO_TEST_CASE(backward_against_the_book_formulas_in_loops) {
    // The book's backward written out per column, in double, independently of the expressions.
    constexpr std::size_t B = 5, N = 7;
    ctnet::BatchNorm::Impl<double, B, N> bn;
    ctnet::Rng rng(7);
    ctnet::fill_uniform(bn.gamma, rng, 0.5, 2.0);
    const auto x = ctnet::test::random_matrix<double, B, N>(8);
    const auto dout = ctnet::test::random_matrix<double, B, N>(9);
    Matrix<double, B, N> y, dx;
    bn.forward(x, y, Mode::train);
    bn.backward<true>(x, y, dout, &dx);
    std::vector<double> mean, var;
    column_stats(x, mean, var);
    for (std::size_t j = 0; j < N; ++j) {
        const double sd = std::sqrt(var[j] + eps), g = bn.gamma(0, j);
        double dbeta = 0, dgamma = 0, dstd = 0;
        for (std::size_t i = 0; i < B; ++i) {
            const double xc = x(i, j) - mean[j];
            dbeta += dout(i, j);
            dgamma += xc / sd * dout(i, j);
            dstd -= g * dout(i, j) * xc / (sd * sd);
        }
        const double dvar = 0.5 * dstd / sd;
        std::vector<double> dxc(B);
        double dmu = 0;
        for (std::size_t i = 0; i < B; ++i) {
            dxc[i] = g * dout(i, j) / sd + 2.0 / B * (x(i, j) - mean[j]) * dvar;
            dmu += dxc[i];
        }
        BOOST_TEST(bn.dbeta(0, j) == dbeta, boost::test_tools::tolerance(1e-12));
        BOOST_TEST(bn.dgamma(0, j) == dgamma, boost::test_tools::tolerance(1e-12));
        for (std::size_t i = 0; i < B; ++i)
            BOOST_TEST(std::fabs(dx(i, j) - (dxc[i] - dmu / B)) <= 1e-12 * (std::fabs(dxc[i]) + std::fabs(dmu)));
    }
}

BOOST_AUTO_TEST_CASE(gradient_check_in_double) {
    BOOST_TEST((ctnet::test::layer_gradient_error<ctnet::BatchNorm, 4, 7>(1) <= 1e-6));
    BOOST_TEST((ctnet::test::layer_gradient_error<ctnet::BatchNorm, 16, 33>(2) <= 1e-6));
}

BOOST_AUTO_TEST_CASE(float_forward_within_float_precision_of_double_loops) {
    constexpr std::size_t B = 10, N = 19;
    ctnet::BatchNorm::Impl<float, B, N> bn;
    const auto x = ctnet::test::random_matrix<float, B, N>(10);
    Matrix<float, B, N> y;
    bn.forward(x, y, Mode::train);
    std::vector<double> mean, var;
    column_stats(x, mean, var);
    for (std::size_t i = 0; i < B; ++i)
        for (std::size_t j = 0; j < N; ++j)
            BOOST_TEST(std::fabs(y(i, j) - (x(i, j) - mean[j]) / std::sqrt(var[j] + eps)) <= 1e-5);
    BOOST_TEST(bn.running_var(0, 4) == 0.1 * var[4], boost::test_tools::tolerance(1e-5));
}

BOOST_AUTO_TEST_CASE(initialize_restores_the_book_starting_point) {
    ctnet::BatchNorm::Impl<double, 3, 4> bn;
    bn.gamma.fill(2.0);
    bn.beta.fill(1.0);
    bn.running_mean.fill(0.5);
    bn.running_var.fill(0.7);
    ctnet::Rng rng(1);
    const auto state = rng.state();
    bn.initialize(ctnet::Init::he(), rng);
    Matrix<double, 1, 4> ones;
    ones.fill(1.0);
    BOOST_TEST((bn.gamma == ones));
    BOOST_TEST((bn.beta == Matrix<double, 1, 4>()));
    BOOST_TEST((bn.running_mean == Matrix<double, 1, 4>()));
    BOOST_TEST((bn.running_var == Matrix<double, 1, 4>()));
    BOOST_TEST((rng.state() == state));  // draws nothing: the weights after it stay as they were
}

BOOST_AUTO_TEST_SUITE_END()
