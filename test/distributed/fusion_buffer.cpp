// Tests for distributed/fusion_buffer.hpp: every gradient in one buffer and back, scaled; the parameters likewise.
#include "ctnet/distributed/fusion_buffer.hpp"

#include <boost/test/unit_test.hpp>

#include "ctnet/net.hpp"
#include "ctnet/optim/sgd.hpp"

using Net = ctnet::Sequential<ctnet::Affine<7, 5>, ctnet::Relu, ctnet::Affine<5, 3>, ctnet::SoftmaxWithLoss>;

BOOST_AUTO_TEST_SUITE(fusion_buffer)

BOOST_AUTO_TEST_CASE(gradients_travel_in_one_buffer_in_the_models_order) {
    ctnet::Model<Net, double, 3> net(ctnet::Init::gaussian(1.0), 2);
    ctnet::Matrix<double, 3, 7> x;
    for (std::size_t i = 0; i < 3; ++i)
        for (std::size_t j = 0; j < 7; ++j) x(i, j) = 0.1 * double(i + 1) - 0.05 * double(j);
    const std::array<int, 3> t{0, 2, 1};
    net.gradient(x, t);
    const auto grads = net.gradients();

    ctnet::FusionBuffer<double> buffer(net, 2);
    BOOST_TEST(buffer.params().size() == 7u * 5 + 5 + 5 * 3 + 3);
    BOOST_TEST(buffer.all().size() == buffer.params().size() + 2);
    buffer.pack_gradients(net, 0.5);
    std::size_t values = 0;
    for (const auto& g : grads) values += g.values.size();
    BOOST_TEST(values == buffer.params().size());
    // Scaled on the way in; unpacked, the model's gradients are half what they were.
    buffer.unpack_gradients(net);
    const auto halved = net.gradients();
    for (const auto& g : grads)
        for (std::size_t i = 0; i < g.values.size(); ++i) BOOST_TEST(halved[g.name].values[i] == 0.5 * g.values[i]);
    // The buffer holds each value once: its sum is the gradients' sum, halved.
    double sum = 0, expected = 0;
    for (const double v : buffer.params()) sum += v;
    for (const auto& g : grads)
        for (const double v : g.values) expected += 0.5 * v;
    BOOST_TEST(sum == expected, boost::test_tools::tolerance(1e-12));
}

// sgd_update from the buffer is Sgd::update after unpack_gradients, bit for bit.
BOOST_AUTO_TEST_CASE(sgd_from_the_buffer_is_sgd_from_the_gradients) {
    ctnet::Model<Net, float, 3> a(ctnet::Init::gaussian(1.0), 5), b(ctnet::Init::gaussian(1.0), 5);
    ctnet::Matrix<float, 3, 7> x;
    for (std::size_t i = 0; i < 3; ++i)
        for (std::size_t j = 0; j < 7; ++j) x(i, j) = 0.3f * float(i) - 0.1f * float(j);
    const std::array<int, 3> t{1, 0, 2};
    a.gradient(x, t);
    b.gradient(x, t);
    ctnet::FusionBuffer<float> fa(a, 0), fb(b, 0);
    fa.pack_gradients(a, 0.25f);
    fb.pack_gradients(b, 0.25f);
    fa.sgd_update(a, 0.1f);
    fb.unpack_gradients(b);
    ctnet::Sgd{0.1}.update(b);
    for (const auto& p : a.parameters()) BOOST_TEST(p.values == b.parameters()[p.name].values);
}

BOOST_AUTO_TEST_CASE(parameters_round_trip_and_checksum) {
    ctnet::Model<Net, float, 2> a(ctnet::Init::gaussian(1.0), 1), b(ctnet::Init::gaussian(1.0), 9);
    ctnet::FusionBuffer<float> from_a(a, 0), from_b(b, 0);
    from_a.pack_params(a);
    from_b.pack_params(b);
    BOOST_TEST(from_a.checksum() != from_b.checksum());
    from_a.unpack_params(b);  // b takes a's weights
    BOOST_TEST(a.parameters()["W1"].values == b.parameters()["W1"].values);
    BOOST_TEST(a.parameters()["b2"].values == b.parameters()["b2"].values);
    from_b.pack_params(b);
    BOOST_TEST(from_a.checksum() == from_b.checksum());
}

BOOST_AUTO_TEST_SUITE_END()
