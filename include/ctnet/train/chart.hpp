// chart.hpp — line charts as self-contained SVG and CSV: the figures of the book's experiments.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace ctnet {

// One line of a chart: y over x, in the order given. A y that is NaN or
// infinite (a run that diverged) is a gap in the line.
struct Series {
    std::string name;  // the legend's label ("" for no entry)
    std::vector<double> x, y;
    bool dashed = false;  // the book draws test (or validation) curves dashed
};

// One panel: axes, labels and its lines. The y axis spans the data (from 0
// when all of it is positive) unless y_min or y_max is given, as the book's
// plt.ylim; values outside are clipped to the panel's edge.
struct ChartPanel {
    std::string title, x_label, y_label;
    std::vector<Series> series;
    std::optional<double> y_min, y_max;
};

// The panels in a grid `columns` wide (row after row), under `title`, as an
// SVG document with no dependencies. Series take the matplotlib colours in
// order (the same index, the same colour, in every panel); a dashed series
// takes its solid predecessor's colour when their names share a first word
// ("BN train", "BN test"), as the book pairs its curves.
//
//     ctnet::ChartPanel loss{"", "iterations", "loss", {{"SGD", xs, sgd_losses}, {"Adam", xs, adam_losses}}, 0.0, 1.0};
//     ctnet::write_file_atomically("loss.svg", ctnet::chart_svg("optimizers on MNIST", {loss}, 1));
std::string chart_svg(const std::string& title, const std::vector<ChartPanel>& panels, std::size_t columns = 2);

// The same data as CSV, one row per point: panel,series,x,y (the panel's
// title, or its index when it has none). Numbers are written with 9
// significant digits; NaN and infinities as nan, inf and -inf.
std::string chart_csv(const std::vector<ChartPanel>& panels);

}  // namespace ctnet
