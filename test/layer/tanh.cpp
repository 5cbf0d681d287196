// Tests for layer/tanh.hpp: forward against std::tanh, backward against finite differences.
#include "ctnet/layer/tanh.hpp"

#include <boost/test/unit_test.hpp>

#include <cmath>

#include "../support/layer_check.hpp"

BOOST_AUTO_TEST_SUITE(tanh_layer)

BOOST_AUTO_TEST_CASE(forward_is_tanh) {
    ctnet::Tanh::Impl<double, 2, 5> t;
    const auto x = ctnet::test::random_matrix<double, 2, 5>(3, -4, 4);
    ctnet::Matrix<double, 2, 5> y;
    t.forward(x, y);
    for (std::size_t i = 0; i < 2; ++i)
        for (std::size_t j = 0; j < 5; ++j) BOOST_TEST(y(i, j) == std::tanh(x(i, j)), boost::test_tools::tolerance(1e-15));
}

BOOST_AUTO_TEST_CASE(gradient_check_in_double) {
    BOOST_TEST((ctnet::test::layer_gradient_error<ctnet::Tanh, 3, 7>(1) <= 1e-6));
    BOOST_TEST((ctnet::test::layer_gradient_error<ctnet::Tanh, 1, 33>(2) <= 1e-6));
}

BOOST_AUTO_TEST_SUITE_END()
