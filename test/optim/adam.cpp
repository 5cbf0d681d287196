// Tests for optim/adam.hpp: the book's bias-corrected Adam.
#include "ctnet/optim/adam.hpp"

#include <boost/test/unit_test.hpp>

#include "../support/optimizer_check.hpp"

BOOST_AUTO_TEST_CASE(adam_follows_its_formula) {
    ctnet::test::check_optimizer(ctnet::Adam{0.01, 0.9, 0.999}, [](int t, const std::string&, auto& p, const auto& g, auto& s) {
        if (s.empty()) s.assign(2, std::vector<double>(p.size()));
        auto &m = s[0], &v = s[1];
        const double lr_t = 0.01 * std::sqrt(1 - std::pow(0.999, t)) / (1 - std::pow(0.9, t));
        for (std::size_t i = 0; i < p.size(); ++i) {
            m[i] += (1 - 0.9) * (g[i] - m[i]);
            v[i] += (1 - 0.999) * (g[i] * g[i] - v[i]);
            p[i] -= lr_t * m[i] / (std::sqrt(v[i]) + 1e-7);
        }
    });
}
