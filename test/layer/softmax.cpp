// Tests for layer/softmax.hpp: softmax rows, large logits, the cross-entropy functions, the Softmax layer.
#include "ctnet/layer/softmax.hpp"

#include <boost/test/unit_test.hpp>

#include <array>
#include <cmath>
#include <vector>

#include "../support/layer_check.hpp"

using ctnet::Matrix;

BOOST_AUTO_TEST_SUITE(softmax_functions)

BOOST_AUTO_TEST_CASE(rows_match_the_definition_and_sum_to_one) {
    const auto x = ctnet::test::random_matrix<double, 7, 10>(1, -5, 5);
    const auto y = ctnet::softmax(x);
    for (std::size_t i = 0; i < 7; ++i) {
        long double z = 0;
        for (std::size_t j = 0; j < 10; ++j) z += std::exp(static_cast<long double>(x(i, j)));
        double total = 0;
        for (std::size_t j = 0; j < 10; ++j) {
            BOOST_TEST(y(i, j) == static_cast<double>(std::exp(static_cast<long double>(x(i, j))) / z),
                       boost::test_tools::tolerance(1e-14));
            total += y(i, j);
        }
        BOOST_TEST(total == 1.0, boost::test_tools::tolerance(1e-15));
    }
}

BOOST_AUTO_TEST_CASE(large_logits_do_not_overflow) {
    // The book's example: softmax([1010, 1000, 990]) overflows without the shift.
    const Matrix<float, 1, 3> x({{1010, 1000, 990}});
    const auto y = ctnet::softmax(x);
    BOOST_TEST(y(0, 0) == 9.99954600e-01f, boost::test_tools::tolerance(1e-6f));
    BOOST_TEST(y(0, 1) == 4.53978686e-05f, boost::test_tools::tolerance(1e-5f));
    BOOST_TEST(y(0, 2) == 2.06106005e-09f, boost::test_tools::tolerance(1e-5f));
}

BOOST_AUTO_TEST_CASE(cross_entropy_one_hot_and_labels_agree) {
    const auto y = ctnet::softmax(ctnet::test::random_matrix<double, 4, 10>(2, -3, 3));
    const std::array<int, 4> labels{3, 0, 9, 5};
    Matrix<double, 4, 10> one_hot;
    for (std::size_t i = 0; i < 4; ++i) one_hot(i, static_cast<std::size_t>(labels[i])) = 1;
    double expected = 0;
    for (std::size_t i = 0; i < 4; ++i) expected -= std::log(y(i, static_cast<std::size_t>(labels[i])));
    expected /= 4;
    BOOST_TEST(ctnet::cross_entropy_error(y, one_hot) == expected, boost::test_tools::tolerance(1e-14));
    BOOST_TEST(ctnet::cross_entropy_error(y, labels) == expected, boost::test_tools::tolerance(1e-14));
}

BOOST_AUTO_TEST_CASE(cross_entropy_of_a_zero_probability_is_finite) {
    // The book adds 1e-7 inside the log; ctnet clamps at the smallest normal number.
    const Matrix<double, 1, 2> y({{1.0, 0.0}});
    const std::array<int, 1> wrong{1};
    const double e = ctnet::cross_entropy_error(y, wrong);
    BOOST_TEST(std::isfinite(e));
    BOOST_TEST(e == -std::log(std::numeric_limits<double>::min()), boost::test_tools::tolerance(1e-12));
    // Where y is not tiny, the book's guard differs by at most 1e-7 / y.
    const Matrix<double, 1, 2> p({{0.25, 0.75}});
    const std::array<int, 1> first{0};
    BOOST_TEST(std::fabs(ctnet::cross_entropy_error(p, first) - -std::log(0.25 + 1e-7)) <= 1e-7 / 0.25);
}

BOOST_AUTO_TEST_CASE(labels_are_checked) {
    const Matrix<float, 2, 10> y;
    BOOST_CHECK_EXCEPTION(ctnet::cross_entropy_error(y, std::array<int, 2>{1, 11}), ctnet::Error,
                          [](const ctnet::Error& e) { return std::string(e.what()).find("label 11") != std::string::npos; });
    BOOST_CHECK_THROW(ctnet::cross_entropy_error(y, std::vector<int>{1}), ctnet::Error);
}

BOOST_AUTO_TEST_CASE(softmax_layer_backward_is_the_jacobian_product) {
    BOOST_TEST((ctnet::test::layer_gradient_error<ctnet::Softmax, 3, 10>(4) <= 1e-6));
}

BOOST_AUTO_TEST_SUITE_END()
