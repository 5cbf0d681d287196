// Tests for train/metrics.hpp: the CSV, the JSON summary and the SVG plot.
#include "ctnet/train/metrics.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace {
std::vector<ctnet::EpochMetrics> three_epochs() {
    return {{0, 1, 2.30, 0.11, 2.31, 0.10, 0.01}, {1, 81, 0.45, 0.88, 0.48, 0.87, 0.20}, {2, 161, 0.30, 0.91, 0.35, 0.90, 0.41}};
}
std::size_t count(const std::string& s, const std::string& what) {
    std::size_t n = 0;
    for (auto p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
    return n;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(train_metrics)

BOOST_AUTO_TEST_CASE(csv_has_a_header_and_one_line_per_epoch) {
    const std::string csv = ctnet::metrics_csv(three_epochs());
    BOOST_TEST(csv.substr(0, csv.find('\n')) == "epoch,iteration,train_loss,train_acc,test_loss,test_acc,seconds");
    BOOST_TEST(std::count(csv.begin(), csv.end(), '\n') == 4);
    BOOST_TEST(csv.find("\n1,81,0.450000,0.880000,0.480000,0.870000,0.200\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(summary_is_one_json_object_with_every_field) {
    ctnet::TrainSummary s;
    s.iters = 10000;
    s.test_acc = 0.9375;
    s.data = "C:\\data \"digits\"";
    const std::string j = ctnet::summary_json(s);
    BOOST_TEST(j.front() == '{');
    BOOST_TEST(j.back() == '}');
    BOOST_TEST(j.find('\n') == std::string::npos);
    for (const char* key : {"\"iters\":10000", "\"train_acc\"", "\"test_acc\":0.9375", "\"final_loss\"", "\"wall_s\"",
                            "\"ms_per_iter\"", "\"data\":\"C:\\\\data \\\"digits\\\"\""})
        BOOST_TEST(j.find(key) != std::string::npos, key);
}

BOOST_AUTO_TEST_CASE(plot_draws_four_series_over_the_epochs) {
    const std::string svg = ctnet::training_plot_svg(three_epochs(), "a & b");
    BOOST_TEST(svg.rfind("<svg xmlns='http://www.w3.org/2000/svg'", 0) == 0);
    BOOST_TEST(svg.find("</svg>") != std::string::npos);
    BOOST_TEST(count(svg, "<polyline") == 4u);  // train/test accuracy, train/test loss
    BOOST_TEST(count(svg, "stroke-dasharray") >= 2u);  // test dashed, as the book's figure
    BOOST_TEST(svg.find("a &amp; b") != std::string::npos);
    BOOST_TEST(ctnet::training_plot_svg({}, "empty").find("</svg>") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
