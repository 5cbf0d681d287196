// Tests for layer/mode.hpp through net/model.hpp: which calls train and which infer, Dropout and
// BatchNorm inside networks, their gradient checks (masks frozen), seeding, names and weight decay.
#include "ctnet/layer/mode.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ctnet/net.hpp"
#include "ctnet/optim.hpp"
#include "../support/allocations.hpp"
#include "../support/reference.hpp"

using ctnet::Affine;
using ctnet::Mode;
using BnNet = ctnet::Sequential<Affine<12, 10>, ctnet::BatchNorm, ctnet::Relu, ctnet::Dropout, Affine<10, 4>,
                                ctnet::SoftmaxWithLoss>;
using InvertedNet = ctnet::Sequential<Affine<12, 10>, ctnet::BatchNorm, ctnet::Tanh, ctnet::InvertedDropout,
                                      Affine<10, 8>, ctnet::BatchNorm, ctnet::Relu, Affine<8, 4>, ctnet::SoftmaxWithLoss>;

namespace {

template <std::size_t B, std::size_t Classes = 4>
std::array<int, B> labels_for(std::uint64_t seed) {
    std::array<int, B> t{};
    for (std::size_t i = 0; i < B; ++i) t[i] = static_cast<int>((i * 7 + seed) % Classes);
    return t;
}

// Every piece of the layers' state, read through the protocol.
struct FlatState {
    std::vector<double> values;
    std::vector<ctnet::Rng::State> rngs;
    void scalar(std::string_view, double& v) { values.push_back(v); }
    template <class M>
    void matrix(std::string_view, M& m) {
        for (std::size_t i = 0; i < M::rows; ++i)
            for (std::size_t j = 0; j < M::cols; ++j) values.push_back(m(i, j));
    }
    void rng(std::string_view, ctnet::Rng& r) { rngs.push_back(r.state()); }
};

template <class Model>
bool same_layer_state(Model& a, Model& b) {
    FlatState fa, fb;
    a.visit_layer_state(fa);
    b.visit_layer_state(fb);
    return !fa.values.empty() && fa.values == fb.values && fa.rngs == fb.rngs;
}

// `cancelled`: the biases that feed a BatchNorm, which subtracts every
// column's mean: the loss does not depend on them at all, both gradients are
// rounding noise, and a relative error between two noises means nothing.
template <class Net, std::size_t B>
void check_in_double(std::uint64_t seed, double ratio, const std::vector<std::string>& cancelled) {
    ctnet::Model<Net, double, B> net(ctnet::Init::he(), seed);
    net.set_dropout(ratio);
    for (const auto& p : net.parameters())
        if (p.name[0] == 'b' || p.name[0] == 'g') {  // biases, betas and gammas away from 0 and 1
            auto v = net.param(p.name);
            for (std::size_t j = 0; j < v.cols(); ++j) v(0, j) += 0.1 * std::sin(double(j) + double(seed));
        }
    const auto x = ctnet::test::random_matrix<double, B, 12>(seed + 100, 0, 1);
    const auto t = labels_for<B>(seed);
    const auto diffs = ctnet::gradient_check(net, x, t, 1e-5);
    BOOST_TEST(diffs.size() == net.parameters().size());
    for (const auto& d : diffs) {
        BOOST_TEST_CONTEXT(net.describe() << " batch " << B << ", " << d.name) {
            BOOST_TEST(d.mean_abs_diff <= 1e-8);
            if (std::find(cancelled.begin(), cancelled.end(), d.name) == cancelled.end())
                BOOST_TEST(d.max_rel_error <= 1e-6);
        }
    }
    const auto grads = net.gradients();
    for (const std::string& b : cancelled)
        for (const double g : grads[b].values) BOOST_TEST(std::fabs(g) <= 1e-12, b);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(mode)

BOOST_AUTO_TEST_CASE(gradient_check_with_batch_norm_and_a_frozen_dropout_mask) {
    check_in_double<BnNet, 5>(1, 0.3, {"b1"});
    check_in_double<BnNet, 20>(2, 0.5, {"b1"});
    check_in_double<InvertedNet, 7>(3, 0.2, {"b1", "b2"});
}

BOOST_AUTO_TEST_CASE(the_mask_of_the_check_drops_something_and_is_the_one_gradient_draws) {
    // The check above means something only if the mask it froze drops part
    // of the signal, and is the very mask gradient() then used.
    ctnet::Model<BnNet, double, 5> a(ctnet::Init::he(), 4), b(ctnet::Init::he(), 4);
    const auto x = ctnet::test::random_matrix<double, 5, 12>(5, 0, 1);
    const auto t = labels_for<5>(1);
    (void)a.numerical_gradient(x, t);
    const auto mask_seen = a.layer<3>().mask;  // the numerical pass's
    a.gradient(x, t);
    b.gradient(x, t);  // a model that never took the numerical gradient
    BOOST_TEST((a.layer<3>().mask == mask_seen));
    BOOST_TEST((a.layer<3>().mask == b.layer<3>().mask));
    double kept = 0;
    for (std::size_t i = 0; i < 5; ++i)
        for (std::size_t j = 0; j < 10; ++j) kept += mask_seen(i, j);
    BOOST_TEST(kept > 0.0);
    BOOST_TEST(kept < 50.0);
    for (const auto& g : a.gradients()) BOOST_TEST(g.values == b.gradients()[g.name].values, g.name);
}

BOOST_AUTO_TEST_CASE(numerical_gradient_leaves_the_model_as_it_was) {
    ctnet::Model<InvertedNet, double, 6> net(ctnet::Init::he(), 6);
    const auto x = ctnet::test::random_matrix<double, 6, 12>(7, 0, 1);
    const auto t = labels_for<6>(2);
    net.gradient(x, t);  // running statistics away from zero
    auto before = std::make_unique<ctnet::Model<InvertedNet, double, 6>>(net);
    (void)net.numerical_gradient(x, t);
    BOOST_TEST(same_layer_state(net, *before));
    for (const auto& p : net.parameters()) BOOST_TEST(p.values == before->parameters()[p.name].values, p.name);
    // Unfrozen, every evaluation would see another mask: the loss of two
    // training passes differs, which is why the differences must freeze it.
    BOOST_TEST(net.loss(x, t, Mode::train) != net.loss(x, t, Mode::train));
    BOOST_TEST(net.loss(x, t, Mode::train_frozen) == net.loss(x, t, Mode::train_frozen));
}

BOOST_AUTO_TEST_CASE(a_float_network_is_checked_through_its_double_twin) {
    // The twin takes the generators, ratios and running statistics along, so
    // it freezes the mask the float model's next step draws.
    ctnet::Model<BnNet, float, 5> net(ctnet::Init::he(), 8);
    net.set_dropout(0.4);
    net.set_weight_decay(0.1f);
    const auto x = ctnet::test::random_matrix<float, 5, 12>(9, 0, 1);
    const auto t = labels_for<5>(3);
    for (const auto& d : ctnet::gradient_check(net, x, t)) {
        BOOST_TEST_CONTEXT(net.describe() << ", " << d.name) {
            BOOST_TEST(d.mean_abs_diff <= 1e-7);
            if (d.name != "b1") BOOST_TEST(d.max_rel_error <= 1e-3);
        }
    }
}

BOOST_AUTO_TEST_CASE(prediction_infers_and_training_trains) {
    // Affine then Dropout, no loss: predict is the affine output times (1 - ratio).
    using Net = ctnet::Sequential<Affine<6, 5>, ctnet::Dropout>;
    using Plain = ctnet::Sequential<Affine<6, 5>>;
    ctnet::Model<Net, double, 4> net(ctnet::Init::he(), 1);
    ctnet::Model<Plain, double, 4> plain(ctnet::Init::he(), 1);  // the same weights: Dropout draws from its own stream
    net.set_dropout(0.25);
    const auto x = ctnet::test::random_matrix<double, 4, 6>(2);
    const auto affine = plain.predict(x);
    const auto inferred = net.predict(x);
    for (std::size_t i = 0; i < 4; ++i)
        for (std::size_t j = 0; j < 5; ++j) BOOST_TEST(inferred(i, j) == affine(i, j) * 0.75);
    BOOST_TEST((net.predict(x) == inferred));  // no randomness in inference
    const auto trained = net.predict(x, Mode::train);
    for (std::size_t i = 0; i < 4; ++i)
        for (std::size_t j = 0; j < 5; ++j) BOOST_TEST((trained(i, j) == 0.0 || trained(i, j) == affine(i, j)));
}

BOOST_AUTO_TEST_CASE(loss_infers_as_the_book_and_gradient_updates_the_running_statistics) {
    ctnet::Model<BnNet, double, 5> net(ctnet::Init::he(), 10);
    const auto x = ctnet::test::random_matrix<double, 5, 12>(11, 0, 1);
    const auto t = labels_for<5>(4);
    const auto zero = net.layer<1>().running_mean;
    // loss(x, t), predict, accuracy: inference, which records nothing.
    BOOST_TEST(net.loss(x, t) == net.loss(x, t, Mode::infer));
    (void)net.predict(x);
    (void)net.accuracy(x, t);
    BOOST_TEST((net.layer<1>().running_mean == zero));
    // A training step records the batch's statistics: mean 0.1 * mu after one step.
    const ctnet::Matrix<double, 5, 10> h = [&] {
        ctnet::Model<ctnet::Sequential<Affine<12, 10>>, double, 5> first(ctnet::Init::he(), 10);
        return first.predict(x);
    }();
    net.gradient(x, t);
    for (std::size_t j = 0; j < 10; ++j) {
        double mu = 0;
        for (std::size_t i = 0; i < 5; ++i) mu += h(i, j);
        BOOST_TEST(net.layer<1>().running_mean(0, j) == 0.1 * mu / 5, boost::test_tools::tolerance(1e-12));
    }
    // loss(x, t, Mode::train) is the loss gradient() reports (the same first mask from the same seed).
    ctnet::Model<BnNet, double, 5> a(ctnet::Init::he(), 10), b(ctnet::Init::he(), 10);
    BOOST_TEST(a.loss(x, t, Mode::train) == b.gradient(x, t));
    BOOST_TEST(a.loss(x, t) != b.gradient(x, t));
}

BOOST_AUTO_TEST_CASE(set_dropout_reaches_every_dropout_and_refuses_nonsense) {
    using Two = ctnet::Sequential<Affine<4, 4>, ctnet::Dropout, Affine<4, 4>, ctnet::InvertedDropout, Affine<4, 2>,
                                  ctnet::SoftmaxWithLoss>;
    ctnet::Model<Two, float, 2> net;
    BOOST_TEST(net.layer<1>().ratio == 0.5);  // the book's default
    net.set_dropout(0.15);
    BOOST_TEST(net.layer<1>().ratio == 0.15);
    BOOST_TEST(net.layer<3>().ratio == 0.15);
    for (const double bad : {1.0, -0.1, 2.0, std::numeric_limits<double>::quiet_NaN()})
        BOOST_CHECK_EXCEPTION(net.set_dropout(bad), ctnet::Error, [](const ctnet::Error& e) {
            return std::string(e.what()).find("outside [0, 1)") != std::string::npos;
        });
    BOOST_TEST(net.layer<3>().ratio == 0.15);
}

BOOST_AUTO_TEST_CASE(dropout_generators_are_seeded_by_the_model_seed_and_the_layer_index) {
    using Two = ctnet::Sequential<Affine<8, 8>, ctnet::Dropout, Affine<8, 8>, ctnet::Dropout, Affine<8, 2>,
                                  ctnet::SoftmaxWithLoss>;
    using None = ctnet::Sequential<Affine<8, 8>, Affine<8, 8>, Affine<8, 2>, ctnet::SoftmaxWithLoss>;
    ctnet::Model<Two, double, 16> a(ctnet::Init::he(), 3), b(ctnet::Init::he(), 3), c(ctnet::Init::he(), 4);
    ctnet::Model<None, double, 16> none(ctnet::Init::he(), 3);
    // Dropout's draws leave the weights' stream alone.
    for (const auto& p : none.parameters()) BOOST_TEST(p.values == a.parameters()[p.name].values, p.name);
    const auto x = ctnet::test::random_matrix<double, 16, 8>(5);
    const auto t = labels_for<16, 2>(0);
    a.gradient(x, t);
    b.gradient(x, t);
    c.gradient(x, t);
    BOOST_TEST((a.layer<1>().mask == b.layer<1>().mask));
    BOOST_TEST((a.layer<3>().mask == b.layer<3>().mask));
    BOOST_TEST(!(a.layer<1>().mask == c.layer<1>().mask));
    // Two layers, two streams.
    BOOST_TEST((a.layer<1>().rng.state() != a.layer<3>().rng.state()));
    // The layer's stream is the documented one: Rng(layer_seed(seed, index)).
    ctnet::Rng expected(ctnet::detail::layer_seed(3, 1));
    for (std::size_t i = 0; i < 16; ++i)
        for (std::size_t j = 0; j < 8; ++j) BOOST_TEST(a.layer<1>().mask(i, j) == (expected.uniform() > 0.5 ? 1.0 : 0.0));
    // initialize() restarts them.
    a.initialize(ctnet::Init::he(), 3);
    BOOST_TEST((a.layer<1>().rng.state() == ctnet::Rng(ctnet::detail::layer_seed(3, 1)).state()));
}

BOOST_AUTO_TEST_CASE(batch_norm_parameters_are_named_as_the_book_and_take_no_weight_decay) {
    using Net = ctnet::Sequential<Affine<6, 5>, ctnet::BatchNorm, ctnet::Relu, Affine<5, 4>, ctnet::BatchNorm,
                                  ctnet::Relu, Affine<4, 3>, ctnet::SoftmaxWithLoss>;
    ctnet::Model<Net, double, 4> a(ctnet::Init::he(), 1), b(ctnet::Init::he(), 1);
    std::vector<std::string> names;
    a.for_each_param([&](const std::string& n, auto, auto) { names.push_back(n); });
    BOOST_TEST((names == std::vector<std::string>{"W1", "b1", "gamma1", "beta1", "W2", "b2", "gamma2", "beta2", "W3", "b3"}));
    BOOST_TEST(a.param("gamma2").cols() == 4u);
    BOOST_TEST(a.param("gamma2")(0, 3) == 1.0);

    const double lambda = 0.5;
    b.set_weight_decay(lambda);
    const auto x = ctnet::test::random_matrix<double, 4, 6>(2, 0, 1);
    const std::array<int, 4> t{0, 1, 2, 1};
    // The penalty: 0.5 lambda sum W^2 over W1..W3 only (gamma, 1 everywhere, would add 0.5 lambda * 9).
    double w2 = 0;
    for (const char* w : {"W1", "W2", "W3"}) {
        auto v = a.param(w);
        for (std::size_t i = 0; i < v.rows(); ++i)
            for (std::size_t j = 0; j < v.cols(); ++j) w2 += v(i, j) * v(i, j);
    }
    BOOST_TEST(b.gradient(x, t) - a.gradient(x, t) == 0.5 * lambda * w2, boost::test_tools::tolerance(1e-12));
    for (const char* p : {"gamma1", "beta1", "gamma2", "beta2", "b1", "b3"})
        BOOST_TEST(b.gradients()[p].values == a.gradients()[p].values, p);
    const std::vector<double> wa = a.gradients()["W3"].values, wb = b.gradients()["W3"].values,
                              w3 = a.parameters()["W3"].values;
    for (std::size_t k = 0; k < w3.size(); ++k) BOOST_TEST(wb[k] - wa[k] == lambda * w3[k], boost::test_tools::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(sgd_step_updates_gamma_and_beta_as_gradient_then_update) {
    ctnet::Model<InvertedNet, double, 6> a(ctnet::Init::he(), 12), b(ctnet::Init::he(), 12);
    const auto x = ctnet::test::random_matrix<double, 6, 12>(13, 0, 1);
    const auto t = labels_for<6>(5);
    ctnet::Sgd sgd{0.1};
    for (int step = 0; step < 3; ++step) {
        BOOST_TEST(a.gradient(x, t) == b.sgd_step(x, t, 0.1), boost::test_tools::tolerance(1e-12));
        sgd.update(a);
    }
    for (const auto& p : a.parameters())
        for (std::size_t k = 0; k < p.values.size(); ++k)
            BOOST_TEST(b.parameters()[p.name].values[k] == p.values[k], boost::test_tools::tolerance(1e-12));
    BOOST_TEST(a.parameters()["gamma1"].values != std::vector<double>(10, 1.0));  // gamma did move
    BOOST_TEST(same_layer_state(a, b));
}

BOOST_AUTO_TEST_CASE(a_training_step_allocates_nothing) {
    using Wide = ctnet::Sequential<Affine<784, 100>, ctnet::BatchNorm, ctnet::Relu, ctnet::Dropout, Affine<100, 10>,
                                   ctnet::SoftmaxWithLoss>;
    auto net = std::make_unique<ctnet::Model<Wide, float, 100>>(ctnet::Init::he(), 1);  // 100 x 100 buffers on the heap
    auto x = std::make_unique<ctnet::Matrix<float, 100, 784>>(ctnet::test::random_matrix<float, 100, 784>(2, 0, 1));
    std::array<int, 100> t{};
    for (std::size_t i = 0; i < 100; ++i) t[i] = static_cast<int>(i % 10);
    ctnet::Adam adam;
    net->gradient(*x, t);
    adam.update(*net);  // the optimizer's buffers, once
    ctnet::test::allocations::Counter counter;
    net->gradient(*x, t);
    adam.update(*net);
    (void)net->sgd_step(*x, t, 0.1f);
    const auto& scores = net->predict(*x);
    BOOST_TEST(counter.allocations() == 0);
    BOOST_TEST(std::isfinite(scores(0, 0)));
}

BOOST_AUTO_TEST_SUITE_END()
