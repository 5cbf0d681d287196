// Tests for layer/relu.hpp: forward and mask against a loop, backward against finite differences.
#include "ctnet/layer/relu.hpp"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>

#include "../support/layer_check.hpp"

BOOST_AUTO_TEST_SUITE(relu)

BOOST_AUTO_TEST_CASE(book_example_mask) {
    // The book's x = [[1.0, -0.5], [-2.0, 3.0]]: the signal passes at (0,0) and (1,1).
    ctnet::Relu::Impl<double, 2, 2> relu;
    const ctnet::Matrix<double, 2, 2> x({{1.0, -0.5}, {-2.0, 3.0}});
    ctnet::Matrix<double, 2, 2> y, dx;
    relu.forward(x, y);
    BOOST_TEST((y == ctnet::Matrix<double, 2, 2>({{1.0, 0.0}, {0.0, 3.0}})));
    BOOST_TEST((relu.mask == ctnet::Matrix<double, 2, 2>({{1, 0}, {0, 1}})));
    relu.backward<true>(x, y, ctnet::Matrix<double, 2, 2>({{5, 6}, {7, 8}}), &dx);
    BOOST_TEST((dx == ctnet::Matrix<double, 2, 2>({{5, 0}, {0, 8}})));
}

BOOST_AUTO_TEST_CASE(zero_is_masked_as_in_the_book) {
    // The book masks x <= 0, so exactly 0 passes no gradient.
    ctnet::Relu::Impl<float, 1, 3> relu;
    const ctnet::Matrix<float, 1, 3> x({{0.0f, -0.0f, 1e-30f}});
    ctnet::Matrix<float, 1, 3> y, dx;
    relu.forward(x, y);
    relu.backward<true>(x, y, ctnet::Matrix<float, 1, 3>({{1, 1, 1}}), &dx);
    BOOST_TEST(dx(0, 0) == 0.0f);
    BOOST_TEST(dx(0, 1) == 0.0f);
    BOOST_TEST(dx(0, 2) == 1.0f);
}

BOOST_AUTO_TEST_CASE(a_nan_input_stays_nan_and_passes_no_gradient) {
    // max(x, 0) would give 0 here, a finite loss, and NaN weights after the update.
    ctnet::Relu::Impl<float, 1, 3> relu;
    const ctnet::Matrix<float, 1, 3> x({{std::numeric_limits<float>::quiet_NaN(), -1.0f, 2.0f}});
    ctnet::Matrix<float, 1, 3> y, dx;
    relu.forward(x, y);
    BOOST_TEST(std::isnan(y(0, 0)));
    BOOST_TEST(y(0, 1) == 0.0f);
    BOOST_TEST(y(0, 2) == 2.0f);
    relu.backward<true>(x, y, ctnet::Matrix<float, 1, 3>({{1, 1, 1}}), &dx);
    BOOST_TEST(dx(0, 0) == 0.0f);
    BOOST_TEST(dx(0, 2) == 1.0f);
}

BOOST_AUTO_TEST_CASE(gradient_check_in_double) {
    // Away from the kink (|x| >= 0.05), where the derivative exists.
    auto away_from_zero = [](auto& x) {
        for (std::size_t i = 0; i < x.rows; ++i)
            for (double& v : x.row(i)) v = v >= 0 ? v + 0.05 : v - 0.05;
    };
    BOOST_TEST((ctnet::test::layer_gradient_error<ctnet::Relu, 3, 7>(1, away_from_zero) <= 1e-6));
    BOOST_TEST((ctnet::test::layer_gradient_error<ctnet::Relu, 1, 50>(2, away_from_zero) <= 1e-6));
}

BOOST_AUTO_TEST_SUITE_END()
