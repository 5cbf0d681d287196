// Tests for net/gradient_check.hpp: whole networks in double (and float, differenced in double), backprop against central differences.
#include "ctnet/net/gradient_check.hpp"

#include <boost/test/unit_test.hpp>

#include <array>
#include <cstdlib>
#include <vector>

#include "ctnet/net.hpp"
#include "../support/reference.hpp"

namespace {

template <class Net, std::size_t B>
void check(ctnet::Init init, std::uint64_t seed, double h = 1e-4, double rel = 1e-6, double abs = 1e-8) {
    ctnet::Model<Net, double, B> net(init, seed);
    for (const auto& p : net.parameters())
        if (p.name[0] == 'b') {  // non-zero biases exercise db as well
            auto v = net.param(p.name);
            for (std::size_t j = 0; j < v.cols(); ++j) v(0, j) = 0.1 * std::sin(double(j) + double(seed));
        }
    const auto x = ctnet::test::random_matrix<double, B, Net::widths[0]>(seed + 100, 0, 1);
    std::vector<int> labels(B);
    for (std::size_t i = 0; i < B; ++i) labels[i] = static_cast<int>((i * 7 + seed) % Net::widths.back());
    for (const auto& d : ctnet::gradient_check(net, x, labels, h)) {
        BOOST_TEST_CONTEXT(net.describe() << " batch " << B << ", " << d.name) {
            BOOST_TEST(d.max_rel_error <= rel);
            BOOST_TEST(d.mean_abs_diff <= abs);
        }
    }
}

// A sigmoid whose backward forgets the (1 - y) factor.
struct BrokenSigmoid {
    static constexpr std::string_view name = "BrokenSigmoid";
    static constexpr std::size_t output_width(std::size_t in) { return in; }
    template <class T, std::size_t B, std::size_t In>
    struct Impl {
        void forward(const ctnet::Matrix<T, B, In>& x, ctnet::Matrix<T, B, In>& y) { y = sigmoid(x); }
        template <bool WantDx>
        void backward(const ctnet::Matrix<T, B, In>&, const ctnet::Matrix<T, B, In>& y,
                      const ctnet::Matrix<T, B, In>& dy, ctnet::Matrix<T, B, In>* dx) const {
            if constexpr (WantDx) *dx = dy * y;
        }
    };
};

}  // namespace

BOOST_AUTO_TEST_SUITE(whole_network_gradient_check)

BOOST_AUTO_TEST_CASE(the_book_two_layer_net_on_three_samples) {
    using TwoLayerNet = ctnet::Sequential<ctnet::Affine<784, 50>, ctnet::Relu, ctnet::Affine<50, 10>, ctnet::SoftmaxWithLoss>;
    check<TwoLayerNet, 3>(ctnet::Init::gaussian(0.01), 1);
}

// The book's ch07/gradient_check.py: SimpleConvNet on one 1 x 10 x 10 image, 10 filters of 3 x 3,
// hidden 10, std 0.01; then He weights on three images, and a deeper network with padding, a
// stride and both poolings.
BOOST_AUTO_TEST_CASE(convolutional_networks_as_the_book_checks_them) {
    using SimpleConvNet = ctnet::Sequential<ctnet::Input<ctnet::Shape<1, 10, 10>{}>, ctnet::Convolution<10, 3, 3>,
                                            ctnet::Relu, ctnet::Pooling<2, 2, 2>, ctnet::Affine<10 * 4 * 4, 10>,
                                            ctnet::Relu, ctnet::Affine<10, 10>, ctnet::SoftmaxWithLoss>;
    // With std 0.01 everywhere W1's gradient is about 1e-6, and a step of 1e-4 moves many of the
    // first layer's outputs across ReLU's kink (or a pooling window's maximum to another element):
    // h = 1e-6 stays clear of them, and the loss's rounding, 2e-16 * 2.3 / 2e-6, about 2e-10, is
    // then the error, 1e-4 of gradients that small.
    check<SimpleConvNet, 1>(ctnet::Init::gaussian(0.01), 1, 1e-6, 1e-3, 1e-9);
    check<SimpleConvNet, 3>(ctnet::Init::he(), 2);
    using Deeper = ctnet::Sequential<ctnet::Input<ctnet::Shape<2, 9, 8>{}>, ctnet::Convolution<4, 3, 3, 1, 1>,
                                     ctnet::Relu, ctnet::Convolution<3, 3, 2, 2, 2>, ctnet::Relu,
                                     ctnet::AveragePooling<2, 2, 1>, ctnet::Pooling<3, 3, 2, 1>, ctnet::Affine<3 * 3 * 3, 5>,
                                     ctnet::SoftmaxWithLoss>;
    check<Deeper, 2>(ctnet::Init::he(), 3);
}

// The book's DeepConvNet (ch08), its every kind of layer in its order, narrowed to a few filters
// on 12 x 12 images so that 1,000 numerical derivatives take a moment: 3 x 3 convolutions with
// padding 1 and 2 (the fourth), three max poolings, Affine - ReLU - Dropout - Affine - Dropout.
// Each Dropout drops at its ratio of 0.5 while the gradient is taken, and holds its mask still
// while the differences are (Mode::train_frozen).
BOOST_AUTO_TEST_CASE(the_books_deep_convnet_narrowed) {
    using ctnet::Convolution;
    using ctnet::Pooling;
    using ctnet::Relu;
    using DeepPattern =
        ctnet::Sequential<ctnet::Input<ctnet::Shape<1, 12, 12>{}>, Convolution<2, 3, 3, 1, 1>, Relu,
                          Convolution<2, 3, 3, 1, 1>, Relu, Pooling<2, 2, 2>, Convolution<3, 3, 3, 1, 1>, Relu,
                          Convolution<3, 3, 3, 1, 2>, Relu, Pooling<2, 2, 2>, Convolution<4, 3, 3, 1, 1>, Relu,
                          Convolution<4, 3, 3, 1, 1>, Relu, Pooling<2, 2, 2>, ctnet::Affine<4 * 2 * 2, 6>, Relu,
                          ctnet::Dropout, ctnet::Affine<6, 10>, ctnet::Dropout, ctnet::SoftmaxWithLoss>;
    static_assert(DeepPattern::shapes[8] == ctnet::Dims{3, 8, 8}, "the fourth convolution's padding of 2 grows 6 x 6 to 8 x 8");
    check<DeepPattern, 3>(ctnet::Init::he(), 4);
}

template <class Net>
void check_in_float() {
    ctnet::Model<Net, float, 3> net(ctnet::Init::gaussian(0.01), 1);
    const auto x = ctnet::test::random_matrix<float, 3, Net::widths[0]>(7, 0, 1);
    const std::array<int, 3> labels{3, 1, 4};
    for (const auto& d : ctnet::gradient_check(net, x, labels)) {
        BOOST_TEST_CONTEXT(net.describe() << ", " << d.name) {
            BOOST_TEST(d.max_rel_error <= 1e-3);
            BOOST_TEST(d.mean_abs_diff <= 1e-7);
        }
    }
    // One-hot targets take the same way.
    ctnet::Matrix<float, 3, 10> one_hot;
    for (std::size_t i = 0; i < 3; ++i) one_hot(i, static_cast<std::size_t>(labels[i])) = 1.0f;
    for (const auto& d : ctnet::gradient_check(net, x, one_hot)) BOOST_TEST(d.max_rel_error <= 1e-3, d.name);
}

BOOST_AUTO_TEST_CASE(a_float_network_is_checked_against_differences_taken_in_double) {
    // In float, central differences with the book's h = 1e-4 erred by a
    // relative 1.0 and more (the loss's rounding over 2h), and no other step
    // works either; the float model's numerical gradient is taken on a double
    // copy of it, so only float's own rounding of backprop remains. The book's
    // network takes 80,000 forward passes: emulated (qemu, 300x slower), a
    // narrower one stands in.
    using Narrow = ctnet::Sequential<ctnet::Affine<64, 20>, ctnet::Relu, ctnet::Affine<20, 10>, ctnet::SoftmaxWithLoss>;
    check_in_float<Narrow>();
    using TwoLayerNet = ctnet::Sequential<ctnet::Affine<784, 50>, ctnet::Relu, ctnet::Affine<50, 10>, ctnet::SoftmaxWithLoss>;
    if (std::getenv("CTNET_EMULATED") == nullptr) check_in_float<TwoLayerNet>();
}

BOOST_AUTO_TEST_CASE(weight_decay_is_differentiated_like_the_rest_of_the_loss) {
    using Net = ctnet::Sequential<ctnet::Affine<12, 10>, ctnet::Relu, ctnet::Affine<10, 8>, ctnet::Tanh,
                                  ctnet::Affine<8, 4>, ctnet::SoftmaxWithLoss>;
    for (const double lambda : {0.1, 2.0}) {
        ctnet::Model<Net, double, 3> net(ctnet::Init::he(), 5);
        net.set_weight_decay(lambda);
        const auto x = ctnet::test::random_matrix<double, 3, 12>(6, 0, 1);
        const std::array<int, 3> labels{1, 0, 3};
        for (const auto& d : ctnet::gradient_check(net, x, labels)) BOOST_TEST(d.max_rel_error <= 1e-6, d.name << " lambda " << lambda);
    }
    // In float too, through the double twin, which takes the decay along.
    ctnet::Model<Net, float, 3> net(ctnet::Init::he(), 5);
    net.set_weight_decay(0.5f);
    const auto x = ctnet::test::random_matrix<float, 3, 12>(6, 0, 1);
    for (const auto& d : ctnet::gradient_check(net, x, std::array<int, 3>{1, 0, 3})) BOOST_TEST(d.max_rel_error <= 1e-3, d.name);
}

BOOST_AUTO_TEST_CASE(one_to_four_hidden_layers_of_each_activation) {
    using ctnet::Affine;
    using R1 = ctnet::Sequential<Affine<12, 10>, ctnet::Relu, Affine<10, 4>, ctnet::SoftmaxWithLoss>;
    using S2 = ctnet::Sequential<Affine<12, 10>, ctnet::Sigmoid, Affine<10, 8>, ctnet::Sigmoid, Affine<8, 4>,
                                 ctnet::SoftmaxWithLoss>;
    using T3 = ctnet::Sequential<Affine<12, 10>, ctnet::Tanh, Affine<10, 8>, ctnet::Tanh, Affine<8, 6>, ctnet::Tanh,
                                 Affine<6, 4>, ctnet::SoftmaxWithLoss>;
    using M4 = ctnet::Sequential<Affine<12, 10>, ctnet::Relu, Affine<10, 9>, ctnet::Sigmoid, Affine<9, 8>, ctnet::Tanh,
                                 Affine<8, 6>, ctnet::Relu, Affine<6, 4>, ctnet::SoftmaxWithLoss>;
    check<R1, 1>(ctnet::Init::he(), 2);
    check<R1, 3>(ctnet::Init::he(), 3);
    check<R1, 100>(ctnet::Init::he(), 4);
    check<S2, 1>(ctnet::Init::xavier(), 5);
    check<S2, 3>(ctnet::Init::xavier(), 6);
    check<S2, 100>(ctnet::Init::xavier(), 7);
    check<T3, 3>(ctnet::Init::xavier(), 8);
    check<T3, 100>(ctnet::Init::xavier(), 9);
    check<M4, 1>(ctnet::Init::he(), 10);
    check<M4, 3>(ctnet::Init::he(), 11);
    check<M4, 100>(ctnet::Init::he(), 12);
}

BOOST_AUTO_TEST_CASE(regression_with_the_squared_error) {
    using Net = ctnet::Sequential<ctnet::Affine<5, 8>, ctnet::Tanh, ctnet::Affine<8, 2>, ctnet::IdentityWithMse>;
    ctnet::Model<Net, double, 7> net(ctnet::Init::xavier(), 13);
    const auto x = ctnet::test::random_matrix<double, 7, 5>(14);
    const auto t = ctnet::test::random_matrix<double, 7, 2>(15);
    for (const auto& d : ctnet::gradient_check(net, x, t)) BOOST_TEST(d.max_rel_error <= 1e-6);
}

BOOST_AUTO_TEST_CASE(a_wrong_backward_is_caught) {
    // The check must be able to fail: BrokenSigmoid forgets the (1 - y) factor.
    using Net = ctnet::Sequential<ctnet::Affine<4, 3>, BrokenSigmoid, ctnet::Affine<3, 2>, ctnet::SoftmaxWithLoss>;
    ctnet::Model<Net, double, 2> net(ctnet::Init::he(), 16);
    const auto x = ctnet::test::random_matrix<double, 2, 4>(17);
    const std::array<int, 2> t{0, 1};
    const auto diffs = ctnet::gradient_check(net, x, t);
    BOOST_TEST(diffs[0].name == "W1");
    BOOST_TEST(diffs[0].max_rel_error > 0.1);  // the layers below the broken one are wrong
    BOOST_TEST(diffs[2].max_rel_error <= 1e-6);  // the one above it is not
}

BOOST_AUTO_TEST_SUITE_END()
