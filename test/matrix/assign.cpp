// Tests for matrix/assign.hpp: assignment modes, one pass per assignment, no temporaries.
#include "ctnet/matrix/assign.hpp"

#include <boost/test/unit_test.hpp>


#include "ctnet/matrix/matrix.hpp"
#include "../support/allocations.hpp"
#include "../support/reference.hpp"
#include "../support/shapes.hpp"

using ctnet::Matrix;
using ctnet::test::padding_is_zero;
using ctnet::test::random_matrix;

namespace {

// A leaf that forwards to a matrix and counts how often each packet is read.
template <class M>
struct CountingLeaf : ctnet::detail::ExprTag {
    using value_type = typename M::value_type;
    static constexpr std::size_t rows = M::rows, cols = M::cols;
    static constexpr bool is_leaf = true, broadcastable = true, product_rooted = false;
    static constexpr int product_count = 0;
    const M& m;
    mutable long packets = 0;
    auto coeff(std::size_t i, std::size_t j) const { return m.coeff(i, j); }
    auto packet(std::size_t i, std::size_t j) const {
        ++packets;
        return m.packet(i, j);
    }
    bool reads(const void* p) const { return m.reads(p); }
    bool reads_across(const void*) const { return false; }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(assign)

BOOST_AUTO_TEST_CASE_TEMPLATE(compound_modes_with_expressions_and_scalars, S, ctnet::test::Shapes) {
    using T = typename S::type;
    constexpr std::size_t R = S::rows, C = S::cols;
    const auto a = random_matrix<T, R, C>(1), b = random_matrix<T, R, C>(2, 0.5, 2.0);
    Matrix<T, R, C> m = a;
    m += b * 2;
    m -= a;
    m *= b;
    m /= b + 1;
    m += T(0.25);
    m *= T(-2);
    for (std::size_t i = 0; i < R; ++i)
        for (std::size_t j = 0; j < C; ++j) {
            T x = a(i, j);
            x += b(i, j) * 2;
            x -= a(i, j);
            x *= b(i, j);
            x /= b(i, j) + 1;
            x += T(0.25);
            x *= T(-2);
            BOOST_TEST(m(i, j) == x);
        }
    BOOST_TEST(padding_is_zero(m));
}

BOOST_AUTO_TEST_CASE(an_expression_is_one_pass_without_allocation) {
    using M = Matrix<float, 100, 784>;  // heap-backed: a temporary would show as an allocation
    const M a = random_matrix<float, 100, 784>(3), b = random_matrix<float, 100, 784>(4), c = random_matrix<float, 100, 784>(5);
    M out;
    const CountingLeaf<M> la{{}, a}, lb{{}, b}, lc{{}, c};

    long allocations = 0;
    {
        ctnet::test::allocations::Counter counter;
        out = exp(la) * lb + 2.0f * lc - max(lb, 0.0f) / (abs(la) + 1.0f);
        allocations = counter.allocations();
    }
    BOOST_TEST(allocations == 0);
    constexpr long packets_per_matrix = 100 * M::stride / M::lanes;
    BOOST_TEST(la.packets == 2 * packets_per_matrix);  // la appears twice in the expression
    BOOST_TEST(lb.packets == 2 * packets_per_matrix);
    BOOST_TEST(lc.packets == packets_per_matrix);
    const float expect = std::exp(a(7, 9)) * b(7, 9) + 2 * c(7, 9) - std::max(b(7, 9), 0.0f) / (std::fabs(a(7, 9)) + 1);
    BOOST_TEST(out(7, 9) == expect, boost::test_tools::tolerance(1e-6f));
}

BOOST_AUTO_TEST_CASE(self_reference_is_element_wise_and_safe) {
    auto m = random_matrix<double, 9, 5>(6);
    const auto before = m;
    m = m * m + m;
    for (std::size_t i = 0; i < 9; ++i)
        for (std::size_t j = 0; j < 5; ++j) BOOST_TEST(m(i, j) == before(i, j) * before(i, j) + before(i, j));
}

BOOST_AUTO_TEST_SUITE_END()
