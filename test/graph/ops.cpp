// Tests for graph/ops.hpp: every local derivative against a central finite difference of its forward.
#include "ctnet/graph/ops.hpp"

#include <boost/test/unit_test.hpp>

#include "../support/reference.hpp"

namespace op = ctnet::graph::op;
using ctnet::test::central_difference;

namespace {

template <class Op>
void check_binary(double x, double y) {
    const double out = Op::forward(x, y);
    const auto [dx, dy] = Op::local(x, y, out);
    BOOST_TEST_CONTEXT(Op::symbol << " at (" << x << ", " << y << ")") {
        BOOST_TEST(dx == central_difference([&](double t) { return Op::forward(t, y); }, x),
                   boost::test_tools::tolerance(1e-7));
        BOOST_TEST(dy == central_difference([&](double t) { return Op::forward(x, t); }, y),
                   boost::test_tools::tolerance(1e-7));
    }
}

template <class Op>
void check_unary(const Op& o, double x) {
    const double out = o.forward(x);
    BOOST_TEST_CONTEXT(Op::symbol << " at " << x) {
        BOOST_TEST(o.local(x, out) == central_difference([&](double t) { return o.forward(t); }, x),
                   boost::test_tools::tolerance(1e-7));
    }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(graph_ops)

BOOST_AUTO_TEST_CASE(binary_local_derivatives) {
    for (const double x : {-3.0, -0.4, 0.9, 2.5})
        for (const double y : {-2.0, 0.3, 1.7}) {
            check_binary<op::Add>(x, y);
            check_binary<op::Sub>(x, y);
            check_binary<op::Mul>(x, y);
            check_binary<op::Div>(x, y);
        }
}

BOOST_AUTO_TEST_CASE(unary_local_derivatives) {
    for (const double x : {-3.0, -0.4, 0.9, 2.5}) {
        check_unary(op::Neg{}, x);
        check_unary(op::Exp{}, x);
    }
    for (const double x : {0.05, 0.9, 2.5, 40.0}) {
        check_unary(op::Log{}, x);
        check_unary(op::Pow{2.0}, x);
        check_unary(op::Pow{-1.5}, x);
        check_unary(op::Pow{0.5}, x);
    }
}

BOOST_AUTO_TEST_CASE(reciprocal_derivative_is_minus_output_squared) {
    // The book's "/" node y = 1/x: dy/dx = -1/x^2 = -y^2.
    for (const double x : {0.5, 1.0, 3.0}) {
        const double y = op::Div::forward(1.0, x);
        BOOST_TEST(op::Div::local(1.0, x, y).second == -y * y, boost::test_tools::tolerance(1e-15));
    }
}

BOOST_AUTO_TEST_SUITE_END()
