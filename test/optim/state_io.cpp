// Tests for optim/state_io.hpp: 2N steps equal N, a checkpoint, a fresh model and optimizer, and N more, bit for bit.
#include "ctnet/optim/state_io.hpp"

#include <boost/test/unit_test.hpp>

#include <array>
#include <string>
#include <vector>

#include "ctnet/optim.hpp"
#include "../support/files.hpp"
#include "../support/optimizer_check.hpp"

using ctnet::test::OptNet;
using ctnet::test::TempDir;

namespace {

using Net = ctnet::Model<OptNet, double, 4>;

std::vector<std::vector<double>> values(Net& net) {
    std::vector<std::vector<double>> out;
    for (const auto& p : net.parameters()) out.push_back(p.values);
    return out;
}

template <class Optimizer>
void steps(Net& net, Optimizer& opt, int n, int first) {
    for (int s = first; s < first + n; ++s) {
        // A different batch each step, so the state matters.
        const auto x = ctnet::test::random_matrix<double, 4, 6>(static_cast<std::uint64_t>(100 + s));
        const std::array<int, 4> t{s % 3, (s + 1) % 3, (s + 2) % 3, s % 3};
        ctnet::train_step(net, x, t, opt);
    }
}

template <class Optimizer>
void resumes_exactly(Optimizer fresh) {
    TempDir dir;
    Net straight(ctnet::Init::xavier(), 3);
    Optimizer a = fresh;
    steps(straight, a, 10, 0);

    Net first(ctnet::Init::xavier(), 3);
    Optimizer b = fresh;
    steps(first, b, 5, 0);
    ctnet::save_checkpoint(first, dir.path / "half.ckpt", {ctnet::optimizer_section(b, first)});

    Net second(ctnet::Init::xavier(), 99);  // other weights: all must come from the file
    Optimizer c = fresh;
    const auto sections = ctnet::load_checkpoint(second, dir.path / "half.ckpt");
    ctnet::restore_optimizer(c, second, sections);
    steps(second, c, 5, 5);
    BOOST_TEST((values(second) == values(straight)), std::string(Optimizer::name) << " resumed differs");

    // Without the state the same continuation differs (the test can fail).
    if constexpr (!std::is_same_v<Optimizer, ctnet::Sgd>) {
        Net forgetful(ctnet::Init::xavier(), 99);
        Optimizer d = fresh;
        ctnet::load_checkpoint(forgetful, dir.path / "half.ckpt");
        steps(forgetful, d, 5, 5);
        BOOST_TEST((values(forgetful) != values(straight)));
    }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(optimizer_state)

BOOST_AUTO_TEST_CASE(every_optimizer_resumes_bit_for_bit) {
    resumes_exactly(ctnet::Sgd{0.1});
    resumes_exactly(ctnet::Momentum{0.1, 0.9});
    resumes_exactly(ctnet::Nesterov{0.1, 0.9});
    resumes_exactly(ctnet::AdaGrad{0.1});
    resumes_exactly(ctnet::RmsProp{0.01, 0.99});
    resumes_exactly(ctnet::Adam{0.01});
}

BOOST_AUTO_TEST_CASE(a_mismatched_state_is_refused_and_changes_nothing) {
    Net net(ctnet::Init::xavier(), 3);
    ctnet::Adam adam{0.01};
    steps(net, adam, 3, 0);
    const auto adam_state = ctnet::optimizer_section(adam, net);

    BOOST_TEST(ctnet::saved_optimizer_name({adam_state}) == "Adam");
    BOOST_TEST(ctnet::saved_optimizer_name({}) == "");

    ctnet::Momentum momentum{0.1};
    steps(net, momentum, 2, 0);
    const std::string before = ctnet::optimizer_section(momentum, net).bytes;
    auto refused = [&](auto& opt, auto& model, const ctnet::CheckpointSection& s, const char* text) {
        BOOST_CHECK_EXCEPTION(ctnet::restore_optimizer(opt, model, {s}), ctnet::Error, [&](const ctnet::Error& e) {
            BOOST_TEST_MESSAGE(e.what());
            return std::string(e.what()).find(text) != std::string::npos;
        });
    };
    refused(momentum, net, adam_state, "saved for Adam, this optimizer is Momentum");
    ctnet::CheckpointSection truncated = ctnet::optimizer_section(momentum, net);
    truncated.bytes.resize(truncated.bytes.size() - 3);
    refused(momentum, net, truncated, "truncated");
    BOOST_TEST(ctnet::optimizer_section(momentum, net).bytes == before);

    // Another network's shapes.
    using Wider = ctnet::Sequential<ctnet::Affine<6, 7>, ctnet::Tanh, ctnet::Affine<7, 3>, ctnet::SoftmaxWithLoss>;
    ctnet::Model<Wider, double, 4> wider;
    ctnet::Momentum other{0.1};
    refused(other, wider, ctnet::optimizer_section(momentum, net), "is 5x6, this model's is 7x6");
    BOOST_CHECK_EXCEPTION(ctnet::restore_optimizer(other, wider, {}), ctnet::Error, [](const ctnet::Error& e) {
        return std::string(e.what()).find("holds no optimizer state") != std::string::npos;
    });
}

BOOST_AUTO_TEST_SUITE_END()
