// Tests for net/model.hpp: the book's TwoLayerNet interface, parameters by name, batches of any
// size, reproducible initialisation, and no allocation inside a step.
#include "ctnet/net/model.hpp"

#include <boost/test/unit_test.hpp>

#include <array>
#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

#include "ctnet/net.hpp"
#include "ctnet/optim.hpp"
#include "../support/allocations.hpp"
#include "../support/reference.hpp"

using TwoLayerNet = ctnet::Sequential<ctnet::Affine<784, 50>, ctnet::Relu, ctnet::Affine<50, 10>, ctnet::SoftmaxWithLoss>;
using Small = ctnet::Sequential<ctnet::Affine<6, 5>, ctnet::Sigmoid, ctnet::Affine<5, 3>, ctnet::SoftmaxWithLoss>;

namespace {

// The book's predict in plain loops from the book-shaped parameter views.
template <class Model>
std::vector<double> reference_scores(Model& net, const auto& x, std::size_t row) {
    auto W1 = net.param("W1"), b1 = net.param("b1"), W2 = net.param("W2"), b2 = net.param("b2");
    std::vector<double> h(W1.cols()), s(W2.cols());
    for (std::size_t j = 0; j < W1.cols(); ++j) {
        double a = b1(0, j);
        for (std::size_t i = 0; i < W1.rows(); ++i) a += x(row, i) * W1(i, j);
        h[j] = a > 0 ? a : 0;
    }
    for (std::size_t k = 0; k < W2.cols(); ++k) {
        double a = b2(0, k);
        for (std::size_t j = 0; j < W2.rows(); ++j) a += h[j] * W2(j, k);
        s[k] = a;
    }
    return s;
}

// A first layer that records whether it was asked for dx.
struct Spy {
    static constexpr std::string_view name = "Spy";
    static constexpr std::size_t input_width = 4;
    static constexpr std::size_t output_width(std::size_t) { return 4; }
    static inline int asked_for_dx = -1;
    template <class T, std::size_t B, std::size_t In>
    struct Impl {
        void forward(const ctnet::Matrix<T, B, In>& x, ctnet::Matrix<T, B, In>& y) { y = x; }
        template <bool WantDx>
        void backward(const ctnet::Matrix<T, B, In>&, const ctnet::Matrix<T, B, In>&, const ctnet::Matrix<T, B, In>& dy,
                      ctnet::Matrix<T, B, In>* dx) {
            asked_for_dx = WantDx;
            if constexpr (WantDx) *dx = dy;
        }
    };
};

}  // namespace

BOOST_AUTO_TEST_SUITE(model)

BOOST_AUTO_TEST_CASE(predict_matches_the_book_formula_through_the_book_view) {
    ctnet::Model<TwoLayerNet, double, 3> net(ctnet::Init::he(), 1);
    BOOST_TEST(net.param("W1").rows() == 784u);
    BOOST_TEST(net.param("W1").cols() == 50u);
    BOOST_TEST(net.param("b2").cols() == 10u);
    const auto x = ctnet::test::random_matrix<double, 3, 784>(2, 0, 1);
    const auto& scores = net.predict(x);
    for (std::size_t r = 0; r < 3; ++r) {
        const auto ref = reference_scores(net, x, r);
        for (std::size_t k = 0; k < 10; ++k) BOOST_TEST(scores(r, k) == ref[k], boost::test_tools::tolerance(1e-12));
    }
    BOOST_TEST(net.describe() == "Affine(784 -> 50) > Relu(50) > Affine(50 -> 10) > SoftmaxWithLoss(10) [double]");
}

BOOST_AUTO_TEST_CASE(parameters_by_name_are_live_views) {
    ctnet::Model<Small, float, 2> net;
    net.param("W1")(2, 4) = 7.0f;
    BOOST_TEST(net.layer<0>().W(4, 2) == 7.0f);  // stored Out x In
    std::vector<std::string> names;
    net.for_each_param([&](const std::string& n, auto, auto) { names.push_back(n); });
    BOOST_TEST((names == std::vector<std::string>{"W1", "b1", "W2", "b2"}));
    BOOST_CHECK_EXCEPTION(net.param("W3"), ctnet::Error, [](const ctnet::Error& e) {
        return std::string(e.what()).find("W1, b1, W2, b2") != std::string::npos;
    });
}

BOOST_AUTO_TEST_CASE(initialisation_is_seeded_and_follows_the_book) {
    ctnet::Model<TwoLayerNet, float, 1> a, b, c(ctnet::Init::gaussian(0.01), 1);
    BOOST_TEST(a.param("W1")(100, 7) == b.param("W1")(100, 7));
    BOOST_TEST(a.param("W1")(100, 7) != c.param("W1")(100, 7));
    double s2 = 0;
    auto w = a.param("W1");
    for (std::size_t i = 0; i < w.rows(); ++i)
        for (std::size_t j = 0; j < w.cols(); ++j) s2 += double(w(i, j)) * w(i, j);
    BOOST_TEST(std::sqrt(s2 / double(w.size())) == 0.01, boost::test_tools::tolerance(0.02));
    BOOST_TEST(a.param("b1")(0, 3) == 0.0f);
}

BOOST_AUTO_TEST_CASE(loss_accuracy_and_targets) {
    ctnet::Model<Small, double, 4> net(ctnet::Init::xavier(), 3);
    const auto x = ctnet::test::random_matrix<double, 4, 6>(4);
    const std::array<int, 4> labels{0, 2, 1, 2};
    ctnet::Matrix<double, 4, 3> one_hot;
    for (std::size_t i = 0; i < 4; ++i) one_hot(i, static_cast<std::size_t>(labels[i])) = 1;
    BOOST_TEST(net.loss(x, labels) == net.loss(x, one_hot), boost::test_tools::tolerance(1e-14));
    const auto predicted = ctnet::row_argmax(net.predict(x));
    double right = 0;
    for (std::size_t i = 0; i < 4; ++i) right += predicted[i] == static_cast<std::uint32_t>(labels[i]);
    BOOST_TEST(net.accuracy(x, labels) == right / 4);
    BOOST_TEST(net.accuracy(x, one_hot) == right / 4);
}

BOOST_AUTO_TEST_CASE(labels_in_any_sized_range_and_their_count_checked_at_run_time) {
    // A fixed-size range of the wrong length is a compile error (compile_fail/label_count_mismatch.cpp);
    // one whose length only its value knows is checked when the call runs.
    ctnet::Model<Small, double, 4> net(ctnet::Init::xavier(), 3);
    const auto x = ctnet::test::random_matrix<double, 4, 6>(4);
    const std::array<int, 4> labels{0, 2, 1, 2};
    const int c_array[4] = {0, 2, 1, 2};
    const std::vector<std::uint8_t> bytes{0, 2, 1, 2};
    const double expected = net.loss(x, labels);
    BOOST_TEST(net.loss(x, c_array) == expected);
    BOOST_TEST(net.loss(x, std::span<const int, 4>(labels)) == expected);
    BOOST_TEST(net.loss(x, bytes) == expected);
    BOOST_TEST(net.accuracy(x, c_array) == net.accuracy(x, labels));
    BOOST_CHECK_THROW(net.loss(x, std::vector<int>{0, 2, 1}), ctnet::Error);
    BOOST_CHECK_THROW(net.gradient(x, std::span<const int>(labels).first(3)), ctnet::Error);
    BOOST_CHECK_THROW(net.accuracy(x, std::vector<int>{0, 2, 1, 2, 0}), ctnet::Error);
}

BOOST_AUTO_TEST_CASE(any_number_of_samples_in_batches_with_a_partial_last_one) {
    // 10 samples through a batch-4 model (4 + 4 + 2) equal one batch-10 pass.
    ctnet::Model<Small, double, 4> net(ctnet::Init::xavier(), 5);
    ctnet::Model<Small, double, 10> whole(ctnet::Init::xavier(), 5);
    const auto x = ctnet::test::random_matrix<double, 10, 6>(6);
    std::vector<double> flat;
    for (std::size_t i = 0; i < 10; ++i) flat.insert(flat.end(), x.row(i).begin(), x.row(i).end());
    const std::vector<int> labels{0, 1, 2, 0, 1, 2, 2, 1, 0, 0};
    const auto e = net.evaluate(std::span<const double>(flat), labels);
    BOOST_TEST(e.loss == whole.loss(x, labels), boost::test_tools::tolerance(1e-13));
    BOOST_TEST(e.accuracy == whole.accuracy(x, labels));
    BOOST_TEST(net.accuracy(std::span<const double>(flat), labels) == e.accuracy);
    BOOST_CHECK_THROW(net.accuracy(std::span<const double>(flat).first(54), labels), ctnet::Error);
}

BOOST_AUTO_TEST_CASE(the_first_layer_is_not_asked_for_dx) {
    using Net = ctnet::Sequential<Spy, Spy, ctnet::Affine<4, 2>, ctnet::SoftmaxWithLoss>;
    ctnet::Model<Net, float, 2> net;
    net.gradient(ctnet::Matrix<float, 2, 4>(), std::array<int, 2>{0, 1});
    BOOST_TEST(Spy::asked_for_dx == 0);  // the last Spy to run backward is layer 0
}

BOOST_AUTO_TEST_CASE(a_training_step_allocates_nothing) {
    auto net = std::make_unique<ctnet::Model<TwoLayerNet, float, 100>>();
    const auto x = ctnet::test::random_matrix<float, 100, 784>(7, 0, 1);
    std::array<std::uint8_t, 100> t{};
    for (std::size_t i = 0; i < 100; ++i) t[i] = static_cast<std::uint8_t>(i % 10);
    net->gradient(x, t);  // warm: nothing here should allocate either, but measure the steady state
    ctnet::test::allocations::Counter counter;
    const float l1 = net->gradient(x, t);
    const float l2 = net->sgd_step(x, t, 0.1f);
    const auto& scores = net->predict(x);
    BOOST_TEST(counter.allocations() == 0);
    BOOST_TEST(l1 == l2);
    BOOST_TEST(std::isfinite(scores(0, 0)));
}

BOOST_AUTO_TEST_CASE(fused_sgd_step_equals_gradient_then_update) {
    ctnet::Model<TwoLayerNet, double, 5> a(ctnet::Init::he(), 9), b(ctnet::Init::he(), 9);
    const auto x = ctnet::test::random_matrix<double, 5, 784>(8, 0, 1);
    const std::array<int, 5> t{1, 3, 5, 7, 9};
    ctnet::Sgd sgd{0.1};
    for (int step = 0; step < 3; ++step) {
        BOOST_TEST(a.gradient(x, t) == b.sgd_step(x, t, 0.1), boost::test_tools::tolerance(1e-12));
        sgd.update(a);
    }
    for (const auto& name : {"W1", "b1", "W2", "b2"}) {
        auto pa = a.param(name), pb = b.param(name);
        for (std::size_t i = 0; i < pa.rows(); ++i)
            for (std::size_t j = 0; j < pa.cols(); ++j) BOOST_TEST(pa(i, j) == pb(i, j), boost::test_tools::tolerance(1e-12));
    }
}

BOOST_AUTO_TEST_CASE(weight_decay_adds_the_books_penalty_to_loss_and_weight_gradients) {
    // The book's MultiLayerNet: loss + 0.5 lambda sum W^2 over every W, and
    // dW + lambda W; biases exempt. The penalty is summed here in plain loops.
    constexpr double lambda = 0.3;
    ctnet::Model<TwoLayerNet, double, 5> plain(ctnet::Init::he(), 4), decayed(ctnet::Init::he(), 4);
    decayed.set_weight_decay(lambda);
    BOOST_TEST(decayed.weight_decay() == lambda);
    const auto x = ctnet::test::random_matrix<double, 5, 784>(8, 0, 1);
    const std::array<int, 5> t{0, 2, 4, 6, 8};
    double penalty = 0;
    for (const char* w : {"W1", "W2"}) {
        auto p = plain.param(w);
        for (std::size_t i = 0; i < p.rows(); ++i)
            for (std::size_t j = 0; j < p.cols(); ++j) penalty += 0.5 * lambda * p(i, j) * p(i, j);
    }
    BOOST_TEST(decayed.loss(x, t) == plain.loss(x, t) + penalty, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(decayed.gradient(x, t) == plain.gradient(x, t) + penalty, boost::test_tools::tolerance(1e-12));
    for (const char* name : {"W1", "b1", "W2", "b2"}) {
        auto g0 = plain.grad(name), g1 = decayed.grad(name), p = plain.param(name);
        const double l = name[0] == 'W' ? lambda : 0.0;
        for (std::size_t i = 0; i < p.rows(); ++i)
            for (std::size_t j = 0; j < p.cols(); ++j)
                BOOST_TEST(g1(i, j) == g0(i, j) + l * p(i, j), boost::test_tools::tolerance(1e-12));
    }
    // Fused into the SGD step, it moves the weights as gradient-then-update does.
    ctnet::Model<TwoLayerNet, double, 5> fused(ctnet::Init::he(), 4);
    fused.set_weight_decay(lambda);
    ctnet::Sgd sgd{0.1};
    for (int step = 0; step < 3; ++step) {
        BOOST_TEST(decayed.gradient(x, t) == fused.sgd_step(x, t, 0.1), boost::test_tools::tolerance(1e-12));
        sgd.update(decayed);
    }
    for (const char* name : {"W1", "b1", "W2", "b2"}) {
        auto pa = decayed.param(name), pb = fused.param(name);
        for (std::size_t i = 0; i < pa.rows(); ++i)
            for (std::size_t j = 0; j < pa.cols(); ++j) BOOST_TEST(pa(i, j) == pb(i, j), boost::test_tools::tolerance(1e-12));
    }
}

// gradient(x, t, n): the first n samples alone, the other rows padding; the
// same gradients as a model whose batch is n (a distributed rank's share).
BOOST_AUTO_TEST_CASE(gradient_of_the_first_n_samples) {
    ctnet::Model<Small, double, 5> padded(ctnet::Init::gaussian(0.5), 4);
    ctnet::Model<Small, double, 3> exact(ctnet::Init::gaussian(0.5), 4);
    ctnet::Matrix<double, 5, 6> x5;
    ctnet::Matrix<double, 3, 6> x3;
    for (std::size_t i = 0; i < 5; ++i)
        for (std::size_t j = 0; j < 6; ++j) {
            x5(i, j) = i < 3 ? std::sin(double(7 * i + j)) : 0.0;
            if (i < 3) x3(i, j) = x5(i, j);
        }
    const std::array<int, 3> t{2, 0, 1};
    const double lp = padded.gradient(x5, std::span<const int>(t), 3), le = exact.gradient(x3, t);
    BOOST_TEST(lp == le, boost::test_tools::tolerance(1e-14));
    const auto gp = padded.gradients(), ge = exact.gradients();
    for (const auto& g : gp)
        for (std::size_t i = 0; i < g.values.size(); ++i)
            BOOST_TEST(g.values[i] == ge[g.name].values[i], boost::test_tools::tolerance(1e-14));
    BOOST_CHECK_THROW(padded.gradient(x5, std::span<const int>(t.data(), 0), 0), ctnet::Error);
    BOOST_CHECK_THROW(exact.gradient(x3, t, 4), ctnet::Error);
}

BOOST_AUTO_TEST_SUITE_END()
