// Tests for optim/nesterov.hpp: the book's v = m v - lr dp; p += m^2 v; p -= (1 + m) lr dp.
#include "ctnet/optim/nesterov.hpp"

#include <boost/test/unit_test.hpp>

#include "../support/optimizer_check.hpp"

BOOST_AUTO_TEST_CASE(nesterov_follows_the_books_formula) {
    ctnet::test::check_optimizer(ctnet::Nesterov{0.1, 0.9}, [](int, const std::string&, auto& p, const auto& g, auto& s) {
        if (s.empty()) s.assign(1, std::vector<double>(p.size()));
        auto& v = s[0];
        for (std::size_t i = 0; i < p.size(); ++i) {
            v[i] *= 0.9;
            v[i] -= 0.1 * g[i];
            p[i] += 0.9 * 0.9 * v[i];
            p[i] -= (1 + 0.9) * 0.1 * g[i];
        }
    });
}
