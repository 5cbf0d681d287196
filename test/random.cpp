// Tests for random.hpp: reproducibility and the distributions' moments.
#include "ctnet/random.hpp"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <vector>

BOOST_AUTO_TEST_SUITE(rng)

BOOST_AUTO_TEST_CASE(same_seed_same_sequence_other_seed_other_sequence) {
    ctnet::Rng a(42), b(42), c(43);
    bool differs = false;
    for (int i = 0; i < 100; ++i) {
        const auto x = a.next();
        BOOST_TEST(x == b.next());
        differs = differs || x != c.next();
    }
    BOOST_TEST(differs);
}

BOOST_AUTO_TEST_CASE(uniform_and_normal_moments) {
    ctnet::Rng rng(1);
    constexpr int n = 200000;
    double su = 0, su2 = 0, sn = 0, sn2 = 0;
    for (int i = 0; i < n; ++i) {
        const double u = rng.uniform(), g = rng.normal();
        BOOST_TEST_REQUIRE((u >= 0.0 && u < 1.0));
        su += u;
        su2 += u * u;
        sn += g;
        sn2 += g * g;
    }
    // Five standard errors: a failure here is a bug, not bad luck.
    BOOST_TEST(std::fabs(su / n - 0.5) < 5 * std::sqrt(1.0 / 12 / n));
    BOOST_TEST(std::fabs(su2 / n - 1.0 / 3) < 5 * std::sqrt(4.0 / 45 / n));
    BOOST_TEST(std::fabs(sn / n) < 5 * std::sqrt(1.0 / n));
    BOOST_TEST(std::fabs(sn2 / n - 1.0) < 5 * std::sqrt(2.0 / n));
}

BOOST_AUTO_TEST_CASE(below_is_in_range_and_covers_it) {
    ctnet::Rng rng(2);
    std::vector<int> seen(10);
    for (int i = 0; i < 10000; ++i) {
        const auto k = rng.below(10);
        BOOST_TEST_REQUIRE(k < 10u);
        ++seen[k];
    }
    for (int count : seen) BOOST_TEST(std::abs(count - 1000) < 5 * 30);  // sd = sqrt(10000 * 0.1 * 0.9) = 30
    // An empty range is a precondition error, not a division by zero.
    BOOST_CHECK_THROW(rng.below(0), ctnet::Error);
    BOOST_TEST(rng.below(1) == 0u);
}

BOOST_AUTO_TEST_CASE(a_restored_state_continues_the_same_stream) {
    ctnet::Rng a(7);
    (void)a.normal();  // leaves the second normal of the pair kept
    const ctnet::Rng::State saved = a.state();
    std::vector<double> expected;
    for (int i = 0; i < 5; ++i) {
        expected.push_back(a.normal());
        expected.push_back(static_cast<double>(a.below(1000)));
    }
    ctnet::Rng b(99);
    b.restore(saved);
    for (int i = 0; i < 5; ++i) {
        BOOST_TEST(b.normal() == expected[2 * i]);
        BOOST_TEST(static_cast<double>(b.below(1000)) == expected[2 * i + 1]);
    }
    BOOST_CHECK_THROW(b.restore(ctnet::Rng::State{}), ctnet::Error);
    BOOST_CHECK_THROW(b.restore(ctnet::Rng::State{1, 2, 3, 4, 0, 2}), ctnet::Error);
}

BOOST_AUTO_TEST_CASE(fill_normal_scales_by_stddev) {
    ctnet::Rng rng(3);
    ctnet::Matrix<double, 784, 50> w;
    ctnet::fill_normal(w, rng, 0.01);
    double s2 = 0;
    for (std::size_t i = 0; i < 784; ++i)
        for (double x : w.row(i)) s2 += x * x;
    BOOST_TEST(std::sqrt(s2 / (784 * 50)) == 0.01, boost::test_tools::tolerance(0.02));
}

BOOST_AUTO_TEST_SUITE_END()
