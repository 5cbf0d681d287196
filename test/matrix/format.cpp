// Tests for matrix/format.hpp: numpy-like printing through fmt.
#include "ctnet/matrix/format.hpp"

#include <boost/test/unit_test.hpp>

#include <fmt/format.h>

#include <algorithm>

using ctnet::Matrix;

BOOST_AUTO_TEST_SUITE(format)

BOOST_AUTO_TEST_CASE(prints_nested_rows) {
    const Matrix<float, 2, 3> m({{1, 2, 3}, {4, 5.5f, -6}});
    BOOST_TEST(fmt::format("{}", m) == "[[1, 2, 3],\n [4, 5.5, -6]]");
}

BOOST_AUTO_TEST_CASE(the_spec_applies_to_each_element) {
    const Matrix<double, 1, 2> m({{0.5, -1.25}});
    BOOST_TEST(fmt::format("{:.2f}", m) == "[[0.50, -1.25]]");
    BOOST_TEST(fmt::format("{:>6.1f}", m) == "[[   0.5,   -1.2]]");
}

BOOST_AUTO_TEST_CASE(large_matrices_are_summarised) {
    Matrix<float, 100, 784> m;
    m(0, 0) = 7;
    m(99, 783) = 9;
    const std::string s = fmt::format("{}", m);
    BOOST_TEST(s.substr(0, 4) == "[[7,");
    BOOST_TEST(s.substr(s.size() - 4) == " 9]]");
    BOOST_TEST(s.find("...") != std::string::npos);
    BOOST_TEST(std::count(s.begin(), s.end(), '\n') == 6);  // three rows, "...", three rows
}

BOOST_AUTO_TEST_SUITE_END()
