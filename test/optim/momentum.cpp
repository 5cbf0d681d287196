// Tests for optim/momentum.hpp: v = m v - lr dp; p += v.
#include "ctnet/optim/momentum.hpp"

#include <boost/test/unit_test.hpp>

#include "../support/optimizer_check.hpp"

BOOST_AUTO_TEST_CASE(momentum_follows_its_formula) {
    ctnet::test::check_optimizer(ctnet::Momentum{0.1, 0.9}, [](int, const std::string&, auto& p, const auto& g, auto& s) {
        if (s.empty()) s.assign(1, std::vector<double>(p.size()));
        auto& v = s[0];
        for (std::size_t i = 0; i < p.size(); ++i) {
            v[i] = 0.9 * v[i] - 0.1 * g[i];
            p[i] += v[i];
        }
    });
}
