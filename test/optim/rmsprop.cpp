// Tests for optim/rmsprop.hpp: the book's h = d h + (1 - d) dp^2; p -= lr dp / (sqrt(h) + 1e-7).
#include "ctnet/optim/rmsprop.hpp"

#include <boost/test/unit_test.hpp>

#include <cmath>

#include "../support/optimizer_check.hpp"

BOOST_AUTO_TEST_CASE(rmsprop_follows_the_books_formula) {
    ctnet::test::check_optimizer(ctnet::RmsProp{0.01, 0.99}, [](int, const std::string&, auto& p, const auto& g, auto& s) {
        if (s.empty()) s.assign(1, std::vector<double>(p.size()));
        auto& h = s[0];
        for (std::size_t i = 0; i < p.size(); ++i) {
            h[i] *= 0.99;
            h[i] += (1 - 0.99) * g[i] * g[i];
            p[i] -= 0.01 * g[i] / (std::sqrt(h[i]) + 1e-7);
        }
    });
}
