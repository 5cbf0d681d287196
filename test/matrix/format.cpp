// Tests for matrix/format.hpp: numpy-like printing through fmt, of matrices and parameter views.
#include "ctnet/matrix/format.hpp"

#include <boost/test/unit_test.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <string>

using ctnet::Matrix;
using ctnet::ParamView;

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

BOOST_AUTO_TEST_CASE(a_parameter_view_prints_in_the_book_shape) {
    // Stored Out x In as Affine stores W; the view is the book's In x Out.
    Matrix<float, 2, 3> w({{1, 2, 3}, {4, 5.5f, -6}});
    const ParamView<float> view("W1", w.data(), 3, 2, w.stride, true);
    BOOST_TEST(fmt::format("{}", view) == "[[1, 4],\n [2, 5.5],\n [3, -6]]");
    BOOST_TEST(fmt::format("{:.2f}", view) == "[[1.00, 4.00],\n [2.00, 5.50],\n [3.00, -6.00]]");
}

BOOST_AUTO_TEST_CASE(a_large_parameter_view_is_summarised_as_its_matrix_is) {
    Matrix<double, 50, 784> w;
    w(0, 0) = 7;
    w(49, 783) = 9;
    w(1, 782) = 3;  // (782, 1) in the book's shape: a last row, a first column
    const Matrix<double, 784, 50> book = transpose(w);
    const ParamView<double> view("W1", w.data(), 784, 50, w.stride, true);
    const std::string s = fmt::format("{}", view);
    BOOST_TEST(s == fmt::format("{}", book));
    BOOST_TEST(s.substr(0, 4) == "[[7,");
    BOOST_TEST(s.substr(s.size() - 4) == " 9]]");
    BOOST_TEST(std::count(s.begin(), s.end(), '\n') == 6);
}

BOOST_AUTO_TEST_SUITE_END()
