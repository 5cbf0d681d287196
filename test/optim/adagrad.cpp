// Tests for optim/adagrad.hpp: h += dp^2; p -= lr dp / (sqrt(h) + 1e-7).
#include "ctnet/optim/adagrad.hpp"

#include <boost/test/unit_test.hpp>

#include "../support/optimizer_check.hpp"

BOOST_AUTO_TEST_CASE(adagrad_follows_its_formula) {
    ctnet::test::check_optimizer(ctnet::AdaGrad{0.05}, [](int, const std::string&, auto& p, const auto& g, auto& s) {
        if (s.empty()) s.assign(1, std::vector<double>(p.size()));
        auto& h = s[0];
        for (std::size_t i = 0; i < p.size(); ++i) {
            h[i] += g[i] * g[i];
            p[i] -= 0.05 * g[i] / (std::sqrt(h[i]) + 1e-7);
        }
    });
}
