// Tests for optim/step.hpp: train_step fuses SGD and is the plain sequence for the others.
#include "ctnet/optim/step.hpp"

#include <boost/test/unit_test.hpp>

#include "ctnet/optim.hpp"
#include "../support/optimizer_check.hpp"

BOOST_AUTO_TEST_CASE(train_step_equals_gradient_then_update) {
    using Net = ctnet::test::OptNet;
    const auto x = ctnet::test::random_matrix<double, 4, 6>(1);
    const std::array<int, 4> t{2, 1, 0, 2};
    ctnet::Model<Net, double, 4> fused(ctnet::Init::xavier(), 2), plain(ctnet::Init::xavier(), 2), adam_a(ctnet::Init::xavier(), 2),
        adam_b(ctnet::Init::xavier(), 2);
    ctnet::Sgd sgd{0.2};
    ctnet::Adam adam1, adam2;
    for (int i = 0; i < 3; ++i) {
        const double lf = ctnet::train_step(fused, x, t, sgd);
        const double lp = plain.gradient(x, t);
        sgd.update(plain);
        BOOST_TEST(lf == lp, boost::test_tools::tolerance(1e-13));
        ctnet::train_step(adam_a, x, t, adam1);
        adam_b.gradient(x, t);
        adam2.update(adam_b);
    }
    const auto plain_params = plain.parameters();
    for (const auto& p : fused.parameters()) {
        const auto& q = plain_params[p.name];
        for (std::size_t i = 0; i < p.values.size(); ++i) BOOST_TEST(p.values[i] == q.values[i], boost::test_tools::tolerance(1e-13));
    }
    BOOST_TEST((adam_a.parameters()["W1"].values == adam_b.parameters()["W1"].values));
}
