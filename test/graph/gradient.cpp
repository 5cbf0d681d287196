// Tests for graph/gradient.hpp: reverse mode against the layer-by-layer book network,
// finite differences, and the sigmoid graph against y(1 - y).
#include "ctnet/graph/gradient.hpp"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>

#include "ctnet/graph/add_layer.hpp"
#include "ctnet/graph/mul_layer.hpp"
#include "../support/reference.hpp"

namespace g = ctnet::graph;

BOOST_AUTO_TEST_SUITE(graph_gradient)

BOOST_AUTO_TEST_CASE(apple_and_orange_as_one_expression) {
    auto [apple, apple_num, orange, orange_num, tax] = g::variables(100.0, 2.0, 150.0, 3.0, 1.1);
    auto price = (apple * apple_num + orange * orange_num) * tax;
    BOOST_TEST(price.value() == 715.0000000000001);
    const auto [dapple, dapple_num, dorange, dorange_num, dtax] =
        g::gradient(price, apple, apple_num, orange, orange_num, tax);
    BOOST_TEST(dapple == 2.2);
    BOOST_TEST(dapple_num == 110.00000000000001);
    BOOST_TEST(dorange == 3.3000000000000003);
    BOOST_TEST(dorange_num == 165.0);
    BOOST_TEST(dtax == 650.0);

    // The same five numbers, to the bit, as the book's layer-by-layer backward pass.
    ctnet::MulLayer<double> ma, mo, mt;
    ctnet::AddLayer<double> add;
    mt.forward(add.forward(ma.forward(100.0, 2.0), mo.forward(150.0, 3.0)), 1.1);
    const auto [dall, ltax] = mt.backward(1.0);
    const auto [dap, dop] = add.backward(dall);
    const auto [la, lan] = ma.backward(dap);
    const auto [lo, lon] = mo.backward(dop);
    BOOST_TEST(dapple == la);
    BOOST_TEST(dapple_num == lan);
    BOOST_TEST(dorange == lo);
    BOOST_TEST(dorange_num == lon);
    BOOST_TEST(dtax == ltax);
}

BOOST_AUTO_TEST_CASE(forward_keeps_every_intermediate_value) {
    auto [apple, apple_num, tax] = g::variables(100.0, 2.0, 1.1);
    const auto f = g::forward(apple * apple_num * tax);
    BOOST_TEST(f.a.value == 200.0);  // the apple_price node
    BOOST_TEST(f.value == 220.00000000000003);
}

BOOST_AUTO_TEST_CASE(sigmoid_graph_equals_y_times_one_minus_y) {
    // The book's graph: x -> *(-1) -> exp -> +1 -> 1/x -> y.
    for (int k = -400; k <= 400; ++k) {
        const double x0 = k * 0.025;
        auto [x] = g::variables(x0);
        auto y = 1.0 / (1.0 + exp(-1.0 * x));
        const auto [dx] = g::gradient(y, x);
        const double yv = y.value();
        BOOST_TEST_CONTEXT("x = " << x0) {
            BOOST_TEST(yv == 1.0 / (1.0 + std::exp(-x0)), boost::test_tools::tolerance(1e-15));
            // Absolute, two ulps of 1: 1 - y cancels for large x, so a relative comparison
            // would only measure rounding.
            BOOST_TEST(std::fabs(dx - yv * (1.0 - yv)) <= 2 * std::numeric_limits<double>::epsilon());
        }
    }
}

BOOST_AUTO_TEST_CASE(chain_rule_matches_finite_differences) {
    // z = (x + y)^2 from book 5.2.2 and a longer chain mixing every operation.
    for (const double x0 : {-1.3, 0.4, 2.2}) {
        for (const double y0 : {0.6, 1.9}) {
            auto [x, y] = g::variables(x0, y0);
            auto z = pow(x + y, 2.0);
            const auto [dx, dy] = g::gradient(z, x, y);
            BOOST_TEST(dx == 2 * (x0 + y0), boost::test_tools::tolerance(1e-12));
            BOOST_TEST(dy == 2 * (x0 + y0), boost::test_tools::tolerance(1e-12));

            auto w = log(exp(x * y) + 2.0) / (y - x * 0.5) - pow(y, 1.5) * -x;
            auto f = [](double a, double b) {
                return std::log(std::exp(a * b) + 2.0) / (b - a * 0.5) - std::pow(b, 1.5) * -a;
            };
            const auto [wx, wy] = g::gradient(w, x, y);
            using ctnet::test::central_difference;
            BOOST_TEST(wx == central_difference([&](double t) { return f(t, y0); }, x0),
                       boost::test_tools::tolerance(1e-7));
            BOOST_TEST(wy == central_difference([&](double t) { return f(x0, t); }, y0),
                       boost::test_tools::tolerance(1e-7));
        }
    }
}

BOOST_AUTO_TEST_CASE(shared_leaves_accumulate_and_unused_ones_are_zero) {
    auto [x, y, unused] = g::variables(3.0f, 5.0f, 7.0f);
    auto z = x * x * y + x;  // dz/dx = 2xy + 1, dz/dy = x^2
    const auto [dx, dy, du] = g::gradient(z, x, y, unused);
    BOOST_TEST(dx == 31.0f);
    BOOST_TEST(dy == 9.0f);
    BOOST_TEST(du == 0.0f);
}

BOOST_AUTO_TEST_SUITE_END()
