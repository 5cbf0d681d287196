// optimizer_check.hpp — an optimizer against its formula written as a plain loop over parameter copies.
#pragma once

#include <boost/test/unit_test.hpp>

#include <array>
#include <cmath>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "ctnet/net.hpp"
#include "reference.hpp"

namespace ctnet::test {

using OptNet = Sequential<Affine<6, 5>, Tanh, Affine<5, 3>, SoftmaxWithLoss>;

// reference(step, name, p, g, state) updates one parameter's values p in place
// from its gradient g, keeping whatever it needs in `state` (per parameter).
using Reference = std::function<void(int step, const std::string& name, std::vector<double>& p,
                                     const std::vector<double>& g, std::vector<std::vector<double>>& state)>;

template <class Optimizer>
void check_optimizer(Optimizer opt, const Reference& reference, int steps = 4) {
    Model<OptNet, double, 4> net(Init::xavier(), 3);
    const auto x = random_matrix<double, 4, 6>(4);
    const std::array<int, 4> t{0, 1, 2, 1};
    std::map<std::string, std::vector<std::vector<double>>> state;
    for (int step = 1; step <= steps; ++step) {
        net.gradient(x, t);
        const ParamSet<double> p0 = net.parameters(), g = net.gradients();
        opt.update(net);
        const ParamSet<double> p1 = net.parameters();
        for (const Tensor<double>& p : p0) {
            std::vector<double> expected = p.values;
            reference(step, p.name, expected, g[p.name].values, state[p.name]);
            const auto& got = p1[p.name].values;
            for (std::size_t i = 0; i < expected.size(); ++i)
                BOOST_TEST(got[i] == expected[i], boost::test_tools::tolerance(1e-12));
        }
    }
}

}  // namespace ctnet::test
