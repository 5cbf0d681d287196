// Tests for graph/add_layer.hpp: pass-through gradients, the book's apple-and-orange network.
#include "ctnet/graph/add_layer.hpp"

#include <boost/test/unit_test.hpp>

#include "ctnet/graph/mul_layer.hpp"
#include "ctnet/matrix/matrix.hpp"
#include "../support/reference.hpp"

BOOST_AUTO_TEST_SUITE(add_layer)

BOOST_AUTO_TEST_CASE(backward_passes_dout_to_both_inputs) {
    ctnet::AddLayer<double> add;
    BOOST_TEST(add.forward(200.0, 450.0) == 650.0);
    const auto [dx, dy] = add.backward(1.1);
    BOOST_TEST(dx == 1.1);
    BOOST_TEST(dy == 1.1);
    BOOST_TEST(dx == 1.1 * ctnet::test::central_difference([](double t) { return t + 450.0; }, 200.0),
               boost::test_tools::tolerance(1e-8));
}

BOOST_AUTO_TEST_CASE(book_apple_and_orange_example) {
    // Book 5.4.2: 2 apples at 100, 3 oranges at 150, 10% tax.
    ctnet::MulLayer<double> mul_apple, mul_orange, mul_tax;
    ctnet::AddLayer<double> add_apple_orange;
    const double apple_price = mul_apple.forward(100.0, 2.0);
    const double orange_price = mul_orange.forward(150.0, 3.0);
    const double all_price = add_apple_orange.forward(apple_price, orange_price);
    const double price = mul_tax.forward(all_price, 1.1);

    const auto [dall_price, dtax] = mul_tax.backward(1.0);
    const auto [dapple_price, dorange_price] = add_apple_orange.backward(dall_price);
    const auto [dorange, dorange_num] = mul_orange.backward(dorange_price);
    const auto [dapple, dapple_num] = mul_apple.backward(dapple_price);

    BOOST_TEST(price == 715.0000000000001);
    BOOST_TEST(dapple_num == 110.00000000000001);
    BOOST_TEST(dapple == 2.2);
    BOOST_TEST(dorange == 3.3000000000000003);
    BOOST_TEST(dorange_num == 165.0);
    BOOST_TEST(dtax == 650.0);
}

BOOST_AUTO_TEST_CASE(works_on_matrices) {
    using M = ctnet::Matrix<float, 3, 9>;
    const M x = ctnet::test::random_matrix<float, 3, 9>(1), y = ctnet::test::random_matrix<float, 3, 9>(2);
    const M dout = ctnet::test::random_matrix<float, 3, 9>(3);
    ctnet::AddLayer<M> add;
    const M z = add.forward(x, y);
    const auto [dx, dy] = add.backward(dout);
    for (std::size_t i = 0; i < 3; ++i)
        for (std::size_t j = 0; j < 9; ++j) BOOST_TEST(z(i, j) == x(i, j) + y(i, j));
    BOOST_TEST((dx == dout));
    BOOST_TEST((dy == dout));
}

BOOST_AUTO_TEST_SUITE_END()
