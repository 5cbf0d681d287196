// Tests for net/sequential.hpp: widths chain through the type list; the mistakes are compile errors
// (test/compile_fail/network_*.cpp).
#include "ctnet/net/sequential.hpp"

#include <boost/test/unit_test.hpp>

#include <boost/hana/length.hpp>

#include <type_traits>

#include "ctnet/net.hpp"

BOOST_AUTO_TEST_SUITE(sequential)

BOOST_AUTO_TEST_CASE(activations_take_the_width_before_them) {
    using Net = ctnet::Sequential<ctnet::Affine<784, 50>, ctnet::Relu, ctnet::Affine<50, 10>, ctnet::SoftmaxWithLoss>;
    static_assert(Net::valid && Net::has_loss && Net::size == 4);
    static_assert(Net::widths == std::array<std::size_t, 5>{784, 50, 50, 10, 10});
    static_assert(std::is_same_v<Net::layer<1>, ctnet::Relu>);
    static_assert(decltype(boost::hana::length(Net::layers))::value == 4);
}

BOOST_AUTO_TEST_CASE(deeper_networks_and_networks_without_a_loss) {
    using Deep = ctnet::Sequential<ctnet::Affine<ctnet::Shape<1, 28, 28>{}, 64>, ctnet::Tanh, ctnet::Affine<64, 32>,
                                   ctnet::Sigmoid, ctnet::Affine<32, 16>, ctnet::Relu, ctnet::Affine<16, 3>>;
    static_assert(Deep::valid && !Deep::has_loss);
    static_assert(Deep::widths.front() == 784 && Deep::widths.back() == 3);
}

BOOST_AUTO_TEST_CASE(repeat_expands_in_place) {
    using ctnet::Affine, ctnet::Relu, ctnet::Repeat, ctnet::Sigmoid;
    // The book's MultiLayerNet(784, [100] * 5, 10), written with and without Repeat.
    using Short = ctnet::Sequential<Affine<784, 100>, Relu, Repeat<4, Affine<100, 100>, Relu>, Affine<100, 10>,
                                    ctnet::SoftmaxWithLoss>;
    using Long = ctnet::Sequential<Affine<784, 100>, Relu, Affine<100, 100>, Relu, Affine<100, 100>, Relu,
                                   Affine<100, 100>, Relu, Affine<100, 100>, Relu, Affine<100, 10>, ctnet::SoftmaxWithLoss>;
    static_assert(Short::valid && Short::size == 12 && Short::has_loss);
    static_assert(Short::widths == Long::widths);
    static_assert(std::is_same_v<decltype(Short::layers), decltype(Long::layers)>);
    static_assert(std::is_same_v<Short::layer<9>, Relu> && std::is_same_v<Short::layer<10>, Affine<100, 10>>);
    // Repeats nest, and a Repeat of zero copies is nothing.
    using Nested = ctnet::Sequential<Affine<8, 8>, Repeat<2, Repeat<3, Sigmoid>, Affine<8, 8>>, Repeat<0, Relu>>;
    static_assert(Nested::size == 9);
    static_assert(std::is_same_v<Nested::layer<3>, Sigmoid> && std::is_same_v<Nested::layer<4>, Affine<8, 8>> &&
                  std::is_same_v<Nested::layer<8>, Affine<8, 8>>);
    // As a model: parameters W1..W6 in the book's names, and the same description as the long form.
    ctnet::Model<Short, double, 2> net;
    BOOST_TEST(net.param("W6").rows() == 100u);
    using LongModel = ctnet::Model<Long, double, 2>;
    BOOST_TEST(net.describe() == LongModel::describe());
}

BOOST_AUTO_TEST_CASE(diagnosis_finds_the_first_problem) {
    using ctnet::detail::NetworkProblem;
    constexpr auto d = ctnet::detail::diagnose_network<ctnet::Dims{0, 0, 0}, ctnet::Affine<4, 3>, ctnet::Relu, ctnet::Affine<5, 2>, ctnet::Affine<9, 9>>();
    static_assert(d.problem == NetworkProblem::width_mismatch && d.index == 2 && d.expects == 5 && d.receives == 3);
    static_assert(ctnet::detail::diagnose_network<ctnet::Dims{0, 0, 0}, ctnet::Affine<4, 3>, ctnet::SoftmaxWithLoss, ctnet::Relu>().problem ==
                  NetworkProblem::loss_not_last);
    static_assert(ctnet::detail::diagnose_network<ctnet::Dims{0, 0, 0}>().problem == NetworkProblem::empty);
    static_assert(ctnet::detail::diagnose_network<ctnet::Dims{0, 0, 0}, int>().problem == NetworkProblem::no_name);
}

BOOST_AUTO_TEST_SUITE_END()
