// Tests for layer/sigmoid.hpp: the seed's values, y(1 - y) against the full graph and finite differences.
#include "ctnet/layer/sigmoid.hpp"

#include <boost/test/unit_test.hpp>

#include <cmath>

#include "ctnet/graph/gradient.hpp"
#include "../support/layer_check.hpp"

BOOST_AUTO_TEST_SUITE(sigmoid_layer)

BOOST_AUTO_TEST_CASE(values_printed_in_the_study_notes) {
    // x = [0.5, 1.0, -0.5]: forward [0.62245933 0.73105858 0.37754067], backward [0.23500371 0.19661193 0.23500371].
    ctnet::Sigmoid::Impl<double, 1, 3> s;
    const ctnet::Matrix<double, 1, 3> x({{0.5, 1.0, -0.5}});
    ctnet::Matrix<double, 1, 3> y, dx;
    s.forward(x, y);
    s.backward<true>(x, y, ctnet::Matrix<double, 1, 3>({{1, 1, 1}}), &dx);
    const double ys[] = {0.62245933, 0.73105858, 0.37754067}, ds[] = {0.23500371, 0.19661193, 0.23500371};
    for (std::size_t j = 0; j < 3; ++j) {
        BOOST_TEST(y(0, j) == ys[j], boost::test_tools::tolerance(1e-8));
        BOOST_TEST(dx(0, j) == ds[j], boost::test_tools::tolerance(1e-7));
    }
}

BOOST_AUTO_TEST_CASE(short_form_equals_the_full_graph) {
    // backward's y(1 - y) against the book's four-node graph, differentiated by ctnet::graph.
    ctnet::Sigmoid::Impl<double, 1, 41> s;
    ctnet::Matrix<double, 1, 41> x, y, dx;
    for (std::size_t j = 0; j < 41; ++j) x(0, j) = -8.0 + 0.4 * double(j);
    s.forward(x, y);
    const ctnet::Matrix<double, 1, 41> dout = x * 0.5 + 1.0;  // any upstream gradient
    s.backward<true>(x, y, dout, &dx);
    for (std::size_t j = 0; j < 41; ++j) {
        auto [v] = ctnet::graph::variables(x(0, j));
        const auto [d] = ctnet::graph::gradient(1.0 / (1.0 + exp(-1.0 * v)), v);
        BOOST_TEST(std::fabs(dx(0, j) - dout(0, j) * d) <= 4 * std::numeric_limits<double>::epsilon());
    }
}

BOOST_AUTO_TEST_CASE(gradient_check_in_double) {
    BOOST_TEST((ctnet::test::layer_gradient_error<ctnet::Sigmoid, 3, 7>(1) <= 1e-6));
    BOOST_TEST((ctnet::test::layer_gradient_error<ctnet::Sigmoid, 100, 9>(2) <= 1e-6));
}

BOOST_AUTO_TEST_SUITE_END()
