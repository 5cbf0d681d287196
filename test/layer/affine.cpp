// Tests for layer/affine.hpp: x W + b and the three gradients against loops and finite differences.
#include "ctnet/layer/affine.hpp"

#include <boost/test/unit_test.hpp>

#include "../support/layer_check.hpp"

using ctnet::Matrix;

BOOST_AUTO_TEST_SUITE(affine)

BOOST_AUTO_TEST_CASE(forward_and_backward_against_the_book_formulas) {
    // y = x W + b, dx = dout W^T, dW = x^T dout, db = sum over the batch, with W in the book's In x Out.
    constexpr std::size_t B = 5, I = 9, O = 7;
    ctnet::Affine<I, O>::Impl<double, B, I> a;
    ctnet::Rng rng(4);
    a.initialize(ctnet::Init::he(), rng);
    ctnet::fill_uniform(a.b, rng, -1.0, 1.0);
    const auto x = ctnet::test::random_matrix<double, B, I>(5);
    const auto dout = ctnet::test::random_matrix<double, B, O>(6);
    Matrix<double, B, O> y;
    Matrix<double, B, I> dx;
    a.forward(x, y);
    a.backward<true>(x, y, dout, &dx);
    auto W = [&](std::size_t i, std::size_t o) { return a.W(o, i); };  // the book's W[i][o]
    // Each sum within a few ulps of its terms' magnitude (a relative check would
    // measure cancellation, not correctness).
    for (std::size_t n = 0; n < B; ++n)
        for (std::size_t o = 0; o < O; ++o) {
            double s = a.b(0, o), m = std::fabs(a.b(0, o));
            for (std::size_t i = 0; i < I; ++i) {
                s += x(n, i) * W(i, o);
                m += std::fabs(x(n, i) * W(i, o));
            }
            BOOST_TEST(std::fabs(y(n, o) - s) <= 1e-15 * m);
        }
    for (std::size_t n = 0; n < B; ++n)
        for (std::size_t i = 0; i < I; ++i) {
            double s = 0;
            for (std::size_t o = 0; o < O; ++o) s += dout(n, o) * W(i, o);
            BOOST_TEST(dx(n, i) == s, boost::test_tools::tolerance(1e-13));
        }
    for (std::size_t i = 0; i < I; ++i)
        for (std::size_t o = 0; o < O; ++o) {
            double s = 0;
            for (std::size_t n = 0; n < B; ++n) s += x(n, i) * dout(n, o);
            BOOST_TEST(a.dW(o, i) == s, boost::test_tools::tolerance(1e-13));
        }
    for (std::size_t o = 0; o < O; ++o) {
        double s = 0;
        for (std::size_t n = 0; n < B; ++n) s += dout(n, o);
        BOOST_TEST(a.db(0, o) == s, boost::test_tools::tolerance(1e-13));
    }
}

BOOST_AUTO_TEST_CASE(fused_sgd_equals_gradient_then_update) {
    constexpr std::size_t B = 3, I = 17, O = 5;
    ctnet::Affine<I, O>::Impl<double, B, I> a, b;
    ctnet::Rng r1(7), r2(7);
    a.initialize(ctnet::Init::he(), r1);
    b.initialize(ctnet::Init::he(), r2);
    const auto x = ctnet::test::random_matrix<double, B, I>(8);
    const auto dout = ctnet::test::random_matrix<double, B, O>(9);
    Matrix<double, B, O> y;
    Matrix<double, B, I> dxa, dxb;
    a.backward<true>(x, y, dout, &dxa);
    a.W -= 0.1 * a.dW;
    a.b -= 0.1 * a.db;
    b.backward_sgd<true>(x, dout, &dxb, 0.1);
    for (std::size_t i = 0; i < I; ++i)
        for (std::size_t o = 0; o < O; ++o) BOOST_TEST(b.W(o, i) == a.W(o, i), boost::test_tools::tolerance(1e-14));
    BOOST_TEST((dxb == dxa));  // dx comes from W before the update
}

BOOST_AUTO_TEST_CASE(image_shaped_input_is_flattened) {
    using A = ctnet::Affine<ctnet::Shape<1, 28, 28>{}, 10>;
    static_assert(A::input_width == 784);
    static_assert(ctnet::FixedInputLayer<A> && ctnet::Layer<A>);
}

BOOST_AUTO_TEST_CASE(gradient_check_in_double) {
    BOOST_TEST((ctnet::test::layer_gradient_error<ctnet::Affine<7, 5>, 3, 7>(1) <= 1e-6));
    BOOST_TEST((ctnet::test::layer_gradient_error<ctnet::Affine<50, 10>, 1, 50>(2) <= 1e-6));
    BOOST_TEST((ctnet::test::layer_gradient_error<ctnet::Affine<9, 17>, 100, 9>(3) <= 1e-6));
}

BOOST_AUTO_TEST_CASE(initialisation_follows_init) {
    ctnet::Affine<784, 50>::Impl<double, 1, 784> a;
    for (const auto& [init, expected] : {std::pair{ctnet::Init::gaussian(0.01), 0.01},
                                         std::pair{ctnet::Init::xavier(), 1 / std::sqrt(784.0)},
                                         std::pair{ctnet::Init::he(), std::sqrt(2 / 784.0)}}) {
        ctnet::Rng rng(11);
        a.initialize(init, rng);
        const double s = std::sqrt(sum(a.W * a.W) / (784.0 * 50));
        BOOST_TEST(s == expected, boost::test_tools::tolerance(0.02));
        BOOST_TEST(sum(abs(a.b)) == 0.0);
    }
}

BOOST_AUTO_TEST_SUITE_END()
