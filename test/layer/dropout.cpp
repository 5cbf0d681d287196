// Tests for layer/dropout.hpp: masks against the generator's own draws, both scalings, backward, reproducibility.
#include "ctnet/layer/dropout.hpp"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstddef>

#include "../support/layer_check.hpp"
#include "../support/reference.hpp"

using ctnet::Matrix;
using ctnet::Mode;

namespace {

// The book's mask, drawn independently: np.random.rand(*x.shape) > ratio,
// element by element in row-major order from a generator of the same seed.
template <class T, std::size_t B, std::size_t N>
Matrix<T, B, N> expected_mask(std::uint64_t seed, double ratio) {
    ctnet::Rng rng(seed);
    Matrix<T, B, N> m;
    for (std::size_t i = 0; i < B; ++i)
        for (std::size_t j = 0; j < N; ++j) m(i, j) = rng.uniform() > ratio ? T(1) : T(0);
    return m;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(dropout)

BOOST_AUTO_TEST_CASE(training_keeps_x_where_the_book_mask_survives) {
    constexpr std::size_t B = 7, N = 13;  // 13: a row that ends inside a packet
    ctnet::Dropout::Impl<float, B, N> d;
    d.ratio = 0.3;
    d.seed(42);
    const auto x = ctnet::test::random_matrix<float, B, N>(1);
    Matrix<float, B, N> y;
    d.forward(x, y, Mode::train);
    const auto mask = expected_mask<float, B, N>(42, 0.3);
    BOOST_TEST((d.mask == mask));
    for (std::size_t i = 0; i < B; ++i)
        for (std::size_t j = 0; j < N; ++j) BOOST_TEST(y(i, j) == (mask(i, j) != 0 ? x(i, j) : 0.0f));
    BOOST_TEST(ctnet::test::padding_is_zero(d.mask));
    BOOST_TEST(ctnet::test::padding_is_zero(y));
}

BOOST_AUTO_TEST_CASE(inference_scales_by_the_kept_share_or_not_at_all) {
    constexpr std::size_t B = 3, N = 9;
    const auto x = ctnet::test::random_matrix<double, B, N>(2);
    Matrix<double, B, N> y;
    ctnet::Dropout::Impl<double, B, N> book;
    book.ratio = 0.15;
    book.forward(x, y, Mode::infer);
    for (std::size_t i = 0; i < B; ++i)
        for (std::size_t j = 0; j < N; ++j) BOOST_TEST(y(i, j) == x(i, j) * (1.0 - 0.15));
    ctnet::InvertedDropout::Impl<double, B, N> inverted;
    inverted.ratio = 0.15;
    inverted.forward(x, y, Mode::infer);
    BOOST_TEST((y == x));
    // Inference draws nothing: the generator stands where it stood.
    BOOST_TEST((book.rng.state() == ctnet::Rng(0).state()));
}

BOOST_AUTO_TEST_CASE(inverted_training_scales_the_survivors_up) {
    constexpr std::size_t B = 5, N = 11;
    ctnet::InvertedDropout::Impl<double, B, N> d;
    d.ratio = 0.4;
    d.seed(9);
    const auto x = ctnet::test::random_matrix<double, B, N>(3);
    const auto dout = ctnet::test::random_matrix<double, B, N>(4);
    Matrix<double, B, N> y, dx;
    d.forward(x, y, Mode::train);
    d.backward<true>(x, y, dout, &dx);
    const auto mask = expected_mask<double, B, N>(9, 0.4);
    const double scale = 1.0 / (1.0 - 0.4);
    for (std::size_t i = 0; i < B; ++i)
        for (std::size_t j = 0; j < N; ++j) {
            BOOST_TEST(y(i, j) == x(i, j) * mask(i, j) * scale);
            BOOST_TEST(dx(i, j) == dout(i, j) * mask(i, j) * scale);
        }
}

BOOST_AUTO_TEST_CASE(the_kept_share_is_one_minus_the_ratio) {
    // 60,000 draws: the kept share's standard deviation is about 0.002.
    constexpr std::size_t B = 200, N = 300;
    for (const double ratio : {0.0, 0.15, 0.5, 0.9}) {
        ctnet::Dropout::Impl<float, B, N> d;
        d.ratio = ratio;
        d.seed(7);
        Matrix<float, B, N> x, y;
        x.fill(1.0f);
        d.forward(x, y, Mode::train);
        double kept = 0;
        for (std::size_t i = 0; i < B; ++i)
            for (std::size_t j = 0; j < N; ++j) {
                BOOST_TEST((d.mask(i, j) == 0.0f || d.mask(i, j) == 1.0f));
                kept += d.mask(i, j);
            }
        BOOST_TEST(std::abs(kept / double(B * N) - (1.0 - ratio)) <= 0.01, "ratio " << ratio);
    }
}

BOOST_AUTO_TEST_CASE(backward_passes_the_gradient_only_where_the_mask_is_set) {
    constexpr std::size_t B = 6, N = 17;
    ctnet::Dropout::Impl<double, B, N> d;
    d.seed(5);
    const auto x = ctnet::test::random_matrix<double, B, N>(6);
    const auto dout = ctnet::test::random_matrix<double, B, N>(7);
    Matrix<double, B, N> y, dx;
    d.forward(x, y, Mode::train);
    d.backward<true>(x, y, dout, &dx);
    std::size_t dropped = 0;
    for (std::size_t i = 0; i < B; ++i)
        for (std::size_t j = 0; j < N; ++j) {
            dropped += y(i, j) == 0.0;
            BOOST_TEST(dx(i, j) == (y(i, j) != 0.0 ? dout(i, j) : 0.0));
        }
    BOOST_TEST(dropped > 0u);
    BOOST_TEST(dropped < B * N);
}

BOOST_AUTO_TEST_CASE(the_same_seed_draws_the_same_masks_and_frozen_passes_draw_none) {
    constexpr std::size_t B = 4, N = 10;
    ctnet::Dropout::Impl<float, B, N> a, b, c;
    a.seed(11);
    b.seed(11);
    c.seed(12);
    const auto x = ctnet::test::random_matrix<float, B, N>(8);
    Matrix<float, B, N> ya, yb, yc;
    a.forward(x, ya, Mode::train);
    b.forward(x, yb, Mode::train);
    c.forward(x, yc, Mode::train);
    BOOST_TEST((a.mask == b.mask));
    BOOST_TEST(!(a.mask == c.mask));
    const auto first = a.mask;
    // A frozen pass reuses the mask and leaves the generator alone...
    const auto state = a.rng.state();
    a.forward(x, ya, Mode::train_frozen);
    BOOST_TEST((a.mask == first));
    BOOST_TEST((a.rng.state() == state));
    // ...a training pass draws the next one, as a generator continuing the same stream does.
    a.forward(x, ya, Mode::train);
    BOOST_TEST(!(a.mask == first));
    ctnet::Rng stream(11);
    for (std::size_t k = 0; k < B * N; ++k) (void)stream.uniform();
    Matrix<float, B, N> second;
    for (std::size_t i = 0; i < B; ++i)
        for (std::size_t j = 0; j < N; ++j) second(i, j) = stream.uniform() > 0.5 ? 1.0f : 0.0f;
    BOOST_TEST((a.mask == second));
}

BOOST_AUTO_TEST_CASE(a_float_and_a_double_layer_draw_the_same_mask) {
    // The ratio is a double in both, so the comparison with each draw is the same one.
    ctnet::Dropout::Impl<float, 8, 9> f;
    ctnet::Dropout::Impl<double, 8, 9> d;
    f.ratio = d.ratio = 0.3;
    f.seed(3);
    d.seed(3);
    Matrix<float, 8, 9> xf, yf;
    Matrix<double, 8, 9> xd, yd;
    f.forward(xf, yf, Mode::train);
    d.forward(xd, yd, Mode::train);
    for (std::size_t i = 0; i < 8; ++i)
        for (std::size_t j = 0; j < 9; ++j) BOOST_TEST(double(f.mask(i, j)) == d.mask(i, j));
}

BOOST_AUTO_TEST_CASE(gradient_check_in_double) {
    BOOST_TEST((ctnet::test::layer_gradient_error<ctnet::Dropout, 3, 7>(1) <= 1e-9));
    BOOST_TEST((ctnet::test::layer_gradient_error<ctnet::InvertedDropout, 5, 20>(2) <= 1e-9));
}

BOOST_AUTO_TEST_SUITE_END()
