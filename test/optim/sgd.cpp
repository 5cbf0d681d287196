// Tests for optim/sgd.hpp: p -= lr * dp.
#include "ctnet/optim/sgd.hpp"

#include <boost/test/unit_test.hpp>

#include "../support/optimizer_check.hpp"

BOOST_AUTO_TEST_CASE(sgd_follows_its_formula) {
    ctnet::test::check_optimizer(ctnet::Sgd{0.3}, [](int, const std::string&, auto& p, const auto& g, auto&) {
        for (std::size_t i = 0; i < p.size(); ++i) p[i] -= 0.3 * g[i];
    });
}
