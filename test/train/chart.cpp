// Tests for train/chart.hpp: panels, lines, gaps, colours, legends, escaping and the CSV of the same data.
#include "ctnet/train/chart.hpp"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>
#include <string>

#include "ctnet/config.hpp"

namespace {

std::size_t count(const std::string& s, const std::string& what) {
    std::size_t n = 0;
    for (auto at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
    return n;
}

ctnet::ChartPanel two_runs() {
    ctnet::ChartPanel p{"lr 0.01", "iterations", "loss", {}, 0.0, 1.0};
    p.series = {{"SGD", {0, 100, 200}, {2.3, 0.9, 0.6}}, {"Adam", {0, 100, 200}, {2.3, 0.4, 0.2}}};
    return p;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(chart)

BOOST_AUTO_TEST_CASE(every_series_is_a_line_with_its_colour_and_legend) {
    const std::string svg = ctnet::chart_svg("optimizers <MNIST>", {two_runs(), two_runs()}, 2);
    BOOST_TEST(svg.rfind("<svg xmlns='http://www.w3.org/2000/svg'", 0) == 0);
    BOOST_TEST(svg.find("</svg>") != std::string::npos);
    BOOST_TEST(count(svg, "<polyline") == 4u);
    BOOST_TEST(count(svg, "stroke='#1f77b4'") == 4u);  // SGD's line and legend entry, in each panel
    BOOST_TEST(count(svg, "stroke='#ff7f0e'") == 4u);  // Adam's
    BOOST_TEST(count(svg, ">SGD</text>") == 2u);
    BOOST_TEST(svg.find("optimizers &lt;MNIST&gt;") != std::string::npos);
    BOOST_TEST(count(svg, ">lr 0.01</text>") == 2u);
}

BOOST_AUTO_TEST_CASE(a_value_above_the_given_range_is_drawn_at_the_edge) {
    // y_max 1: SGD's 2.3 sits on the panel's top edge, not above it.
    const std::string svg = ctnet::chart_svg("", {two_runs()}, 1);
    const auto top = svg.find("<rect x='64.0' y='76.0'");  // title 36 + margin 40
    BOOST_TEST(top != std::string::npos);
    BOOST_TEST(svg.find(",76.0 ") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_dashed_series_takes_its_partners_colour) {
    ctnet::ChartPanel p{"", "epochs", "accuracy", {}, std::nullopt, std::nullopt};
    p.series = {{"BN train", {0, 1}, {0.1, 0.5}},
                {"BN test", {0, 1}, {0.1, 0.4}, true},
                {"plain train", {0, 1}, {0.1, 0.2}},
                {"plain test", {0, 1}, {0.1, 0.15}, true}};
    const std::string svg = ctnet::chart_svg("", {p});
    BOOST_TEST(count(svg, "stroke='#1f77b4'") == 4u);  // BN, solid and dashed, line and legend
    BOOST_TEST(count(svg, "stroke='#ff7f0e'") == 4u);  // plain
    BOOST_TEST(count(svg, "stroke-dasharray") == 4u);
}

BOOST_AUTO_TEST_CASE(non_finite_values_are_gaps_and_the_csv_names_them) {
    ctnet::ChartPanel p{"", "x", "y", {}, std::nullopt, std::nullopt};
    const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
    p.series = {{"diverged, \"badly\"", {0, 1, 2, 3, 4}, {1, 2, nan, 3, inf}}};
    const std::string svg = ctnet::chart_svg("", {p});
    BOOST_TEST(count(svg, "<polyline") == 2u);  // cut at the NaN; the infinity ends the line
    BOOST_TEST(svg.find("nan") == std::string::npos);
    BOOST_TEST(svg.find("inf") == std::string::npos);
    const std::string csv = ctnet::chart_csv({p});
    BOOST_TEST(csv == "panel,series,x,y\n"
                      "0,\"diverged, \"\"badly\"\"\",0,1\n0,\"diverged, \"\"badly\"\"\",1,2\n"
                      "0,\"diverged, \"\"badly\"\"\",2,nan\n0,\"diverged, \"\"badly\"\"\",3,3\n"
                      "0,\"diverged, \"\"badly\"\"\",4,inf\n");
}

BOOST_AUTO_TEST_CASE(mismatched_lengths_are_an_error) {
    ctnet::ChartPanel p{"", "x", "y", {}, std::nullopt, std::nullopt};
    p.series = {{"short", {0, 1, 2}, {1, 2}}};
    BOOST_CHECK_THROW(ctnet::chart_svg("", {p}), ctnet::Error);
    BOOST_CHECK_THROW(ctnet::chart_csv({p}), ctnet::Error);
    BOOST_TEST(ctnet::chart_svg("empty", {}).find("</svg>") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
