// Tests for train/metrics.hpp: the CSV, the JSON summary and the SVG plot.
#include "ctnet/train/metrics.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <limits>
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

BOOST_AUTO_TEST_CASE(figures_that_are_not_finite_stay_readable) {
    auto epochs = three_epochs();
    epochs[1].train_loss = -std::numeric_limits<double>::quiet_NaN();  // printf writes this as "-nan"
    epochs[2].test_loss = std::numeric_limits<double>::infinity();
    const std::string csv = ctnet::metrics_csv(epochs);
    BOOST_TEST(csv.find("\n1,81,nan,0.880000,") != std::string::npos);
    BOOST_TEST(csv.find(",inf,") != std::string::npos);
    BOOST_TEST(csv.find("-nan") == std::string::npos);
    // In the plot a NaN or infinity is a gap: the train-loss line is cut in two.
    const std::string svg = ctnet::training_plot_svg(epochs, "diverged");
    BOOST_TEST(svg.find("nan") == std::string::npos);
    BOOST_TEST(svg.find("inf") == std::string::npos);
    BOOST_TEST(count(svg, "<polyline") == 5u);
    // JSON has no NaN: the summary says null.
    ctnet::TrainSummary s;
    s.final_loss = std::numeric_limits<double>::quiet_NaN();
    BOOST_TEST(ctnet::summary_json(s).find("\"final_loss\":null,") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_path_that_is_not_utf8_still_gives_valid_json) {
    ctnet::TrainSummary s;
    // Valid UTF-8 (e with acute, a CJK character) passes through; a lone
    // continuation byte, a Latin-1 byte, an overlong form and an encoded
    // surrogate each become \udcXX per byte, as Python's surrogateescape.
    s.data = "/data/caf\xc3\xa9/\xe6\x95\xb0/\x80/\xe9t\xe9/\xc0\xaf/\xed\xa0\x80/\x7f";
    const std::string j = ctnet::summary_json(s);
    const std::string expected = "\"data\":\"/data/caf\xc3\xa9/\xe6\x95\xb0/\\udc80/\\udce9t\\udce9/\\udcc0\\udcaf/"
                                 "\\udced\\udca0\\udc80/\\u007f\"";
    BOOST_TEST(j.find(expected) != std::string::npos, j);
}

BOOST_AUTO_TEST_SUITE_END()
