// Tests for layer/identity_with_mse.hpp: 0.5 * mean squared error and its gradient.
#include "ctnet/layer/identity_with_mse.hpp"

#include <boost/test/unit_test.hpp>

#include "../support/loss_check.hpp"

BOOST_AUTO_TEST_SUITE(identity_with_mse)

BOOST_AUTO_TEST_CASE(loss_against_a_loop) {
    const auto x = ctnet::test::random_matrix<double, 6, 3>(1), t = ctnet::test::random_matrix<double, 6, 3>(2);
    ctnet::IdentityWithMse::Impl<double, 6, 3> l;
    double s = 0;
    for (std::size_t i = 0; i < 6; ++i)
        for (std::size_t j = 0; j < 3; ++j) s += (x(i, j) - t(i, j)) * (x(i, j) - t(i, j));
    BOOST_TEST(l.forward(x, t) == 0.5 * s / 6, boost::test_tools::tolerance(1e-14));
}

BOOST_AUTO_TEST_CASE(gradient_check_in_double) {
    const auto t = ctnet::test::random_matrix<double, 5, 4>(3);
    BOOST_TEST((ctnet::test::loss_gradient_error<ctnet::IdentityWithMse>(ctnet::test::random_matrix<double, 5, 4>(4), t) <= 1e-6));
    BOOST_TEST((ctnet::test::loss_gradient_error<ctnet::IdentityWithMse>(ctnet::test::random_matrix<double, 5, 4>(5), t, 2) <= 1e-6));
}

BOOST_AUTO_TEST_SUITE_END()
