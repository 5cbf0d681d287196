// Tests for layer/pooling.hpp: shapes, max and average pooling against loops, where backward sends
// the gradient (the first maximum of a tie, nothing for a maximum in the padding), finite differences.
#include "ctnet/layer/pooling.hpp"

#include <boost/test/unit_test.hpp>

#include <cmath>

#include "../support/layer_check.hpp"

using ctnet::Dims;
using ctnet::Matrix;
using ctnet::ShapeProblem;

static_assert(ctnet::Pooling<2, 2, 2>::output_shape({30, 24, 24}) == Dims{30, 12, 12});  // the book's SimpleConvNet
static_assert(ctnet::Pooling<2, 2>::output_shape({3, 5, 5}) == Dims{3, 4, 4});          // the book's default stride 1
static_assert(ctnet::AveragePooling<3, 3, 2, 1>::output_shape({2, 7, 9}) == Dims{2, 4, 5});
static_assert(ctnet::Pooling<2, 2, 2>::shape_problem({1, 5, 4}) == ShapeProblem::stride_does_not_divide);
static_assert(ctnet::Pooling<3, 3>::shape_problem({1, 2, 8}) == ShapeProblem::filter_larger_than_padded_input);

BOOST_AUTO_TEST_SUITE(pooling)

BOOST_AUTO_TEST_CASE(max_and_average_against_loops) {
    constexpr std::size_t B = 2;
    constexpr Dims In{3, 7, 9};
    using Max = ctnet::Pooling<3, 3, 2, 1>;
    using Avg = ctnet::AveragePooling<3, 3, 2, 1>;
    constexpr Dims Out = Max::output_shape(In);
    Max::Impl<double, B, In> max;
    Avg::Impl<double, B, In> avg;
    const auto x = ctnet::test::random_matrix<double, B, In.size()>(1);
    Matrix<double, B, Out.size()> ym, ya;
    max.forward(x, ym);
    avg.forward(x, ya);
    for (std::size_t n = 0; n < B; ++n)
        for (std::size_t c = 0; c < In.c; ++c)
            for (std::size_t oh = 0; oh < Out.h; ++oh)
                for (std::size_t ow = 0; ow < Out.w; ++ow) {
                    double best = -INFINITY, total = 0;
                    for (std::size_t i = 0; i < 3; ++i)
                        for (std::size_t j = 0; j < 3; ++j) {
                            const long ih = long(oh * 2 + i) - 1, iw = long(ow * 2 + j) - 1;
                            const bool inside = ih >= 0 && iw >= 0 && ih < long(In.h) && iw < long(In.w);
                            const double v = inside ? x(n, (c * In.h + std::size_t(ih)) * In.w + std::size_t(iw)) : 0.0;
                            best = std::max(best, v);
                            total += v;
                        }
                    const std::size_t o = (c * Out.h + oh) * Out.w + ow;
                    BOOST_TEST(ym(n, o) == best);
                    BOOST_TEST(std::fabs(ya(n, o) - total / 9) <= 1e-15);
                }
}

BOOST_AUTO_TEST_CASE(max_backward_goes_to_the_first_maximum_and_never_into_the_padding) {
    // One channel of 2 x 2 with padding 1 and 3 x 3 windows of stride 1: output 2 x 2, each window
    // holding all four values and five padding zeros.
    ctnet::Pooling<3, 3, 1, 1>::Impl<double, 1, Dims{1, 2, 2}> pool;
    Matrix<double, 1, 4> x({{5, 5, 1, 2}}), dx;  // a tie for the maximum: the first (row order) wins
    Matrix<double, 1, 4> y, dy({{1, 10, 100, 1000}});
    pool.forward(x, y);
    pool.backward<true>(x, y, dy, &dx);
    BOOST_TEST(dx(0, 0) == 1111.0);
    BOOST_TEST(dx(0, 1) == 0.0);
    // All negative: every window's maximum is a padding zero, and no gradient comes back.
    Matrix<double, 1, 4> negative({{-1, -2, -3, -4}});
    pool.forward(negative, y);
    BOOST_TEST(y(0, 0) == 0.0);
    pool.backward<true>(negative, y, dy, &dx);
    for (std::size_t v = 0; v < 4; ++v) BOOST_TEST(dx(0, v) == 0.0);
}

BOOST_AUTO_TEST_CASE(gradients_match_finite_differences_in_double) {
    // Random values have no ties, so max pooling is differentiable at them.
    BOOST_TEST((ctnet::test::layer_gradient_error<ctnet::Pooling<2, 2, 2>, 3, ctnet::Shape<2, 6, 8>{}>(1) <= 1e-8));
    BOOST_TEST((ctnet::test::layer_gradient_error<ctnet::Pooling<3, 3, 2, 1>, 2, ctnet::Shape<3, 7, 9>{}>(2) <= 1e-8));
    BOOST_TEST((ctnet::test::layer_gradient_error<ctnet::AveragePooling<3, 2, 1>, 2, ctnet::Shape<2, 5, 4>{}>(3) <= 1e-8));
}

BOOST_AUTO_TEST_SUITE_END()
