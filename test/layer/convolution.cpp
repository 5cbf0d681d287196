// Tests for layer/convolution.hpp: shapes, forward against a direct convolution, backward against
// scatter loops and finite differences, on odd shapes with strides and padding.
#include "ctnet/layer/convolution.hpp"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <type_traits>
#include <vector>

#include "../support/layer_check.hpp"

using ctnet::Dims;
using ctnet::Matrix;
using ctnet::ShapeProblem;

// The book's shapes (7.4.3): a 1 x 28 x 28 image under 30 filters of 5 x 5 gives 30 x 24 x 24; the
// DeepConvNet's padded 3 x 3 layers keep their size; stride 2 halves it.
static_assert(ctnet::Convolution<30, 5, 5>::output_shape({1, 28, 28}) == Dims{30, 24, 24});
static_assert(ctnet::Convolution<16, 3, 3, 1, 1>::output_shape({1, 28, 28}) == Dims{16, 28, 28});
static_assert(ctnet::Convolution<32, 3, 3, 1, 2>::output_shape({16, 14, 14}) == Dims{32, 16, 16});
static_assert(ctnet::Convolution<4, 3, 3, 2, 1>::output_shape({2, 7, 9}) == Dims{4, 4, 5});
static_assert(ctnet::Convolution<1, 7, 7>::shape_problem({3, 6, 9}) == ShapeProblem::filter_larger_than_padded_input);
static_assert(ctnet::Convolution<1, 7, 7, 1, 1>::shape_problem({3, 6, 9}) == ShapeProblem::none);
static_assert(ctnet::Convolution<1, 2, 2, 2>::shape_problem({3, 5, 6}) == ShapeProblem::stride_does_not_divide);

namespace {

// y[n][f][oh][ow] = b[f] + sum over c, i, j of W[f][c][i][j] x[n][c][oh s + i - pad][ow s + j - pad],
// summed in long double straight from the definition (book 7.2), outside values 0.
// In float the bounds are those of float rounding: a misplaced term is off by ~0.1.
template <std::size_t FN, std::size_t FH, std::size_t FW, std::size_t S, std::size_t Pad, std::size_t B, Dims In,
          class T = double>
void check_forward_and_backward(std::uint64_t seed) {
    using Conv = ctnet::Convolution<FN, FH, FW, S, Pad>;
    constexpr double rel = std::is_same_v<T, float> ? 1e-5 : 1e-13, grad = std::is_same_v<T, float> ? 1e-4 : 1e-11;
    typename Conv::template Impl<T, B, In> conv;
    constexpr Dims Out = Conv::output_shape(In);
    ctnet::Rng rng(seed);
    conv.initialize(ctnet::Init::he(), rng);
    ctnet::fill_uniform(conv.b, rng, T(-1), T(1));
    const auto x = ctnet::test::random_matrix<T, B, In.size()>(seed + 1);
    const auto dy = ctnet::test::random_matrix<T, B, Out.size()>(seed + 2);
    Matrix<T, B, Out.size()> y;
    Matrix<T, B, In.size()> dx;
    conv.forward(x, y);
    conv.template backward<true>(x, y, dy, &dx);

    auto input = [&](std::size_t n, std::size_t c, long ih, long iw) -> long double {
        if (ih < 0 || iw < 0 || ih >= long(In.h) || iw >= long(In.w)) return 0;
        return x(n, (c * In.h + std::size_t(ih)) * In.w + std::size_t(iw));
    };
    auto weight = [&](std::size_t f, std::size_t c, std::size_t i, std::size_t j) {
        return conv.W(f, (c * FH + i) * FW + j);
    };
    std::vector<long double> dW(FN * In.c * FH * FW, 0), db(FN, 0), dX(B * In.size(), 0);
    for (std::size_t n = 0; n < B; ++n)
        for (std::size_t f = 0; f < FN; ++f)
            for (std::size_t oh = 0; oh < Out.h; ++oh)
                for (std::size_t ow = 0; ow < Out.w; ++ow) {
                    long double s = conv.b(0, f), mag = std::fabs(conv.b(0, f));
                    const double g = dy(n, (f * Out.h + oh) * Out.w + ow);
                    db[f] += g;
                    for (std::size_t c = 0; c < In.c; ++c)
                        for (std::size_t i = 0; i < FH; ++i)
                            for (std::size_t j = 0; j < FW; ++j) {
                                const long ih = long(oh * S + i) - long(Pad), iw = long(ow * S + j) - long(Pad);
                                const long double v = input(n, c, ih, iw);
                                s += weight(f, c, i, j) * v;
                                mag += std::fabs(weight(f, c, i, j) * v);
                                dW[((f * In.c + c) * FH + i) * FW + j] += g * v;
                                if (ih >= 0 && iw >= 0 && ih < long(In.h) && iw < long(In.w))
                                    dX[n * In.size() + (c * In.h + std::size_t(ih)) * In.w + std::size_t(iw)] +=
                                        g * weight(f, c, i, j);
                            }
                    const double got = y(n, (f * Out.h + oh) * Out.w + ow);
                    BOOST_TEST(std::fabs(got - double(s)) <= rel * double(mag) + 1e-300);
                }
    double worst = 0;
    for (std::size_t f = 0; f < FN; ++f) {
        worst = std::max(worst, std::fabs(conv.db(0, f) - double(db[f])));
        for (std::size_t k = 0; k < In.c * FH * FW; ++k)
            worst = std::max(worst, std::fabs(conv.dW(f, k) - double(dW[f * In.c * FH * FW + k])));
    }
    for (std::size_t n = 0; n < B; ++n)
        for (std::size_t v = 0; v < In.size(); ++v) worst = std::max(worst, std::fabs(dx(n, v) - double(dX[n * In.size() + v])));
    BOOST_TEST(worst <= grad);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(convolution)

BOOST_AUTO_TEST_CASE(forward_and_backward_against_the_definition) {
    check_forward_and_backward<3, 5, 5, 1, 0, 2, Dims{1, 12, 11}>(1);  // the book's 5 x 5, odd sizes
    check_forward_and_backward<4, 3, 3, 2, 1, 3, Dims{2, 7, 9}>(2);    // stride 2, padding 1
    check_forward_and_backward<2, 3, 3, 1, 2, 1, Dims{3, 5, 5}>(3);    // padding 2 (DeepConvNet's fourth)
    check_forward_and_backward<5, 1, 1, 1, 0, 2, Dims{3, 4, 3}>(4);    // 1 x 1: a per-pixel Affine
    check_forward_and_backward<1, 4, 2, 2, 0, 1, Dims{1, 6, 6}>(5);    // a filter wider than tall
    // Stride 1 runs from padded images (direct_convolution.hpp) in register tiles of a few
    // filters by a few packets of positions: 13 filters and 115 positions leave a part tile of
    // each, in float and double, forward and in dx (where the 3 channels are the outputs).
    check_forward_and_backward<13, 3, 3, 1, 1, 2, Dims{3, 9, 11}>(7);
    check_forward_and_backward<13, 3, 3, 1, 1, 2, Dims{3, 9, 11}, float>(7);
    check_forward_and_backward<7, 2, 2, 1, 1, 3, Dims{2, 7, 9}, float>(8);  // an even filter, padded
    check_forward_and_backward<30, 5, 5, 1, 0, 2, Dims{1, 28, 28}, float>(9);  // SimpleConvNet's layer
    // Images go through the products in groups of G (as many panels as fill half the L2 cache):
    // one more image than a group leaves a last group of one, with buffers of its own.
    constexpr std::size_t G = ctnet::Convolution<2, 5, 5, 2>::Impl<double, 64, Dims{1, 37, 37}>::G;
    static_assert(G >= 1);
    check_forward_and_backward<2, 5, 5, 2, 0, G + 1, Dims{1, 37, 37}>(6);
    BOOST_TEST_MESSAGE("groups of " << G << " images of 1 x 37 x 37 at stride 2");
    // At stride 1 dW sums over groups of GD padded images: the same with a last group of one.
    constexpr std::size_t GD = ctnet::Convolution<2, 5, 5>::Impl<double, 64, Dims{1, 36, 36}>::GD;
    static_assert(GD >= 1 && GD < 64);
    check_forward_and_backward<2, 5, 5, 1, 0, GD + 1, Dims{1, 36, 36}>(10);
    BOOST_TEST_MESSAGE("weight gradients in groups of " << GD << " images of 1 x 36 x 36");
}

BOOST_AUTO_TEST_CASE(gradients_match_finite_differences_in_double) {
    BOOST_TEST((ctnet::test::layer_gradient_error<ctnet::Convolution<3, 3, 3, 2, 1>, 2, ctnet::Shape<2, 7, 9>{}>(1) <= 1e-7));
    BOOST_TEST((ctnet::test::layer_gradient_error<ctnet::Convolution<2, 5, 5>, 1, ctnet::Shape<1, 9, 9>{}>(2) <= 1e-7));
    BOOST_TEST((ctnet::test::layer_gradient_error<ctnet::Convolution<4, 3, 3, 1, 2>, 3, ctnet::Shape<2, 4, 5>{}>(3) <= 1e-7));
}

BOOST_AUTO_TEST_CASE(weight_decay_adds_lambda_w_to_the_gradient) {
    using Conv = ctnet::Convolution<2, 3, 3>;
    Conv::Impl<double, 2, Dims{1, 5, 5}> plain, decayed;
    ctnet::Rng r1(9), r2(9);
    plain.initialize(ctnet::Init::he(), r1);
    decayed.initialize(ctnet::Init::he(), r2);
    decayed.weight_decay = 0.1;
    const auto x = ctnet::test::random_matrix<double, 2, 25>(10);
    const auto dy = ctnet::test::random_matrix<double, 2, 18>(11);
    Matrix<double, 2, 18> y;
    plain.forward(x, y);
    plain.backward<false>(x, y, dy, nullptr);
    decayed.forward(x, y);
    decayed.backward<false>(x, y, dy, nullptr);
    for (std::size_t k = 0; k < 9; ++k) BOOST_TEST(decayed.dW(1, k) == plain.dW(1, k) + 0.1 * plain.W(1, k));
    BOOST_TEST(std::fabs(decayed.decay_loss() - 0.05 * ctnet::sum(plain.W * plain.W)) <= 1e-15);
}

BOOST_AUTO_TEST_SUITE_END()
