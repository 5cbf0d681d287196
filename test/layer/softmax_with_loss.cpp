// Tests for layer/softmax_with_loss.hpp: loss against -log(softmax), dx = (y - t)/n, finite differences.
#include "ctnet/layer/softmax_with_loss.hpp"

#include <boost/test/unit_test.hpp>

#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

#include "../support/loss_check.hpp"

using ctnet::Matrix;

BOOST_AUTO_TEST_SUITE(softmax_with_loss)

BOOST_AUTO_TEST_CASE(loss_and_gradient_for_labels_and_one_hot) {
    const auto x = ctnet::test::random_matrix<double, 5, 10>(1, -4, 4);
    const std::array<std::uint8_t, 5> labels{7, 2, 1, 0, 4};
    Matrix<double, 5, 10> one_hot;
    for (std::size_t i = 0; i < 5; ++i) one_hot(i, labels[i]) = 1;
    ctnet::SoftmaxWithLoss::Impl<double, 5, 10> a, b;
    const double la = a.forward(x, labels), lb = b.forward(x, one_hot);
    const auto y = ctnet::softmax(x);
    double expected = 0;
    for (std::size_t i = 0; i < 5; ++i) expected -= std::log(y(i, labels[i]));
    BOOST_TEST(la == expected / 5, boost::test_tools::tolerance(1e-13));
    BOOST_TEST(lb == la, boost::test_tools::tolerance(1e-13));
    Matrix<double, 5, 10> da, db;
    a.backward(x, labels, 5, da);
    b.backward(x, one_hot, 5, db);
    for (std::size_t i = 0; i < 5; ++i)
        for (std::size_t j = 0; j < 10; ++j) {
            BOOST_TEST(da(i, j) == (y(i, j) - one_hot(i, j)) / 5, boost::test_tools::tolerance(1e-13));
            BOOST_TEST(db(i, j) == da(i, j), boost::test_tools::tolerance(1e-13));
        }
}

BOOST_AUTO_TEST_CASE(huge_logits_and_vanishing_probabilities_stay_finite) {
    // The right class's probability underflows to 0: the book's form would take log(1e-7);
    // log-sum-exp gives the exact loss, 1000.
    const Matrix<float, 1, 3> x({{1000, 0, -5}});
    const std::array<int, 1> label{1};
    ctnet::SoftmaxWithLoss::Impl<float, 1, 3> l;
    BOOST_TEST(l.forward(x, label) == 1000.0f, boost::test_tools::tolerance(1e-6f));
}

BOOST_AUTO_TEST_CASE(a_partial_batch_averages_over_its_samples_only) {
    const auto x = ctnet::test::random_matrix<double, 4, 3>(2);
    const std::array<int, 2> labels{2, 0};  // only rows 0 and 1 count
    ctnet::SoftmaxWithLoss::Impl<double, 4, 3> l;
    const double loss = l.forward(x, labels, 2);
    const auto y = ctnet::softmax(x);
    BOOST_TEST(loss == -(std::log(y(0, 2)) + std::log(y(1, 0))) / 2, boost::test_tools::tolerance(1e-13));
    Matrix<double, 4, 3> dx;
    l.backward(x, labels, 2, dx);
    for (double v : dx.row(2)) BOOST_TEST(v == 0.0);
    for (double v : dx.row(3)) BOOST_TEST(v == 0.0);
    BOOST_TEST(dx(0, 2) == (y(0, 2) - 1) / 2, boost::test_tools::tolerance(1e-13));
}

BOOST_AUTO_TEST_CASE(bad_labels_throw_naming_the_value) {
    ctnet::SoftmaxWithLoss::Impl<float, 2, 10> l;
    const Matrix<float, 2, 10> x;
    BOOST_CHECK_EXCEPTION(l.forward(x, std::vector<int>{3, 10}), ctnet::Error, [](const ctnet::Error& e) {
        return std::string(e.what()).find("label 10 at position 1") != std::string::npos;
    });
    BOOST_CHECK_THROW(l.forward(x, std::vector<int>{-1, 0}), ctnet::Error);
}

BOOST_AUTO_TEST_CASE(gradient_check_in_double) {
    const std::array<int, 3> labels{1, 9, 4};
    BOOST_TEST((ctnet::test::loss_gradient_error<ctnet::SoftmaxWithLoss>(
                    ctnet::test::random_matrix<double, 3, 10>(3, -3, 3), labels) <= 1e-6));
    Matrix<double, 3, 10> soft = ctnet::softmax(ctnet::test::random_matrix<double, 3, 10>(4));  // soft targets
    BOOST_TEST((ctnet::test::loss_gradient_error<ctnet::SoftmaxWithLoss>(
                    ctnet::test::random_matrix<double, 3, 10>(5, -3, 3), soft) <= 1e-6));
    const std::array<int, 1> one{6};
    BOOST_TEST((ctnet::test::loss_gradient_error<ctnet::SoftmaxWithLoss>(
                    ctnet::test::random_matrix<double, 4, 10>(6, -3, 3), one, 1) <= 1e-6));
}

BOOST_AUTO_TEST_SUITE_END()
