// Tests for graph/mul_layer.hpp: the book's numbers, finite differences, element-wise matrices.
#include "ctnet/graph/mul_layer.hpp"

#include <boost/test/unit_test.hpp>

#include "ctnet/matrix/matrix.hpp"
#include "../support/reference.hpp"

BOOST_AUTO_TEST_SUITE(mul_layer)

BOOST_AUTO_TEST_CASE(book_apple_example) {
    // Book 5.4.1: 2 apples at 100 with 10% tax.
    ctnet::MulLayer<double> mul_apple, mul_tax;
    const double apple_price = mul_apple.forward(100.0, 2.0);
    const double price = mul_tax.forward(apple_price, 1.1);
    BOOST_TEST(price == 220.00000000000003);
    const auto [dapple_price, dtax] = mul_tax.backward(1.0);
    const auto [dapple, dapple_num] = mul_apple.backward(dapple_price);
    BOOST_TEST(dapple_price == 1.1);
    BOOST_TEST(dtax == 200.0);
    BOOST_TEST(dapple == 2.2);
    BOOST_TEST(dapple_num == 110.00000000000001);
}

BOOST_AUTO_TEST_CASE(backward_swaps_inputs_and_scales_by_dout) {
    ctnet::MulLayer<float> mul;
    BOOST_TEST(mul.forward(3.0f, -4.0f) == -12.0f);
    const auto [dx, dy] = mul.backward(0.5f);
    BOOST_TEST(dx == -2.0f);  // dout * y
    BOOST_TEST(dy == 1.5f);   // dout * x
}

BOOST_AUTO_TEST_CASE(matches_central_differences) {
    for (const double x : {-2.5, -0.3, 0.7, 4.0}) {
        for (const double y : {-1.5, 0.2, 3.0}) {
            ctnet::MulLayer<double> mul;
            mul.forward(x, y);
            const auto [dx, dy] = mul.backward(1.0);
            BOOST_TEST(dx == ctnet::test::central_difference([&](double t) { return t * y; }, x),
                       boost::test_tools::tolerance(1e-8));
            BOOST_TEST(dy == ctnet::test::central_difference([&](double t) { return x * t; }, y),
                       boost::test_tools::tolerance(1e-8));
        }
    }
}

BOOST_AUTO_TEST_CASE(works_element_wise_on_matrices) {
    using M = ctnet::Matrix<double, 2, 3>;
    const M x({{1, 2, 3}, {4, 5, 6}});
    const M y({{-1, 0.5, 2}, {3, -2, 0}});
    const M dout({{1, 1, 2}, {0.5, 1, -1}});
    ctnet::MulLayer<M> mul;
    const M z = mul.forward(x, y);
    const auto [dx, dy] = mul.backward(dout);
    for (std::size_t i = 0; i < 2; ++i)
        for (std::size_t j = 0; j < 3; ++j) {
            BOOST_TEST(z(i, j) == x(i, j) * y(i, j));
            BOOST_TEST(dx(i, j) == dout(i, j) * y(i, j));
            BOOST_TEST(dy(i, j) == dout(i, j) * x(i, j));
        }
}

BOOST_AUTO_TEST_SUITE_END()
