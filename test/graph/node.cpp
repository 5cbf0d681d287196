// Tests for graph/node.hpp: building graphs as types and evaluating them.
#include "ctnet/graph/node.hpp"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <type_traits>

namespace g = ctnet::graph;

BOOST_AUTO_TEST_SUITE(graph_node)

BOOST_AUTO_TEST_CASE(variables_are_numbered_leaves) {
    auto [x, y, z] = g::variables(1.0, 2.0f, 3.0);
    static_assert(std::is_same_v<decltype(x), g::Var<double, 0>>);
    static_assert(std::is_same_v<decltype(z), g::Var<double, 2>>);
    BOOST_TEST(y.value() == 2.0);
}

BOOST_AUTO_TEST_CASE(an_expression_is_a_type_and_evaluates_forward) {
    auto [apple, apple_num, tax] = g::variables(100.0, 2.0, 1.1);
    auto price = apple * apple_num * tax;
    static_assert(std::is_same_v<decltype(price),
                                 g::Binary<g::op::Mul, g::Binary<g::op::Mul, g::Var<double, 0>, g::Var<double, 1>>,
                                           g::Var<double, 2>>>);
    BOOST_TEST(price.value() == 220.00000000000003);
    static_assert(decltype(price)::max_index == 2);
}

BOOST_AUTO_TEST_CASE(constants_and_every_operation) {
    auto [x, y] = g::variables(0.75, -2.0);
    BOOST_TEST((x + 1.0).value() == 1.75);
    BOOST_TEST((2.0 - x).value() == 1.25);
    BOOST_TEST((x / y).value() == -0.375);
    BOOST_TEST((-y).value() == 2.0);
    BOOST_TEST(exp(x).value() == std::exp(0.75));
    BOOST_TEST(log(x).value() == std::log(0.75));
    BOOST_TEST(pow(x, 3.0).value() == std::pow(0.75, 3.0));
    BOOST_TEST((1.0 / (1.0 + exp(-x))).value() == 1.0 / (1.0 + std::exp(-0.75)));
}

BOOST_AUTO_TEST_SUITE_END()
