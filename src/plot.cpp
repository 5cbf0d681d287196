// plot.cpp — training.svg: accuracy and loss per epoch, the book's figure, drawn by chart_svg.
#include <algorithm>
#include <cmath>

#include "ctnet/train/chart.hpp"
#include "ctnet/train/metrics.hpp"

namespace ctnet {

std::string training_plot_svg(const std::vector<EpochMetrics>& epochs, const std::string& title) {
    std::vector<double> x;
    for (const EpochMetrics& e : epochs) x.push_back(static_cast<double>(e.epoch));
    const auto column = [&](double EpochMetrics::*field) {
        std::vector<double> v;
        for (const EpochMetrics& e : epochs) v.push_back(e.*field);
        return v;
    };
    // Accuracy from the tenth below the lowest figure up to 1, loss from 0.
    double acc_lo = 1;
    for (const EpochMetrics& e : epochs)
        for (const double a : {e.train_acc, e.test_acc})
            if (std::isfinite(a)) acc_lo = std::min(acc_lo, a);
    ChartPanel accuracy{"", "epochs", "accuracy", {}, std::floor(std::max(acc_lo, 0.0) * 10) / 10, 1.0};
    accuracy.series = {{"train", x, column(&EpochMetrics::train_acc)}, {"test", x, column(&EpochMetrics::test_acc), true}};
    ChartPanel loss{"", "epochs", "loss", {}, 0.0, std::nullopt};
    loss.series = {{"train", x, column(&EpochMetrics::train_loss)}, {"test", x, column(&EpochMetrics::test_loss), true}};
    return chart_svg(title, {accuracy, loss}, 2);
}

}  // namespace ctnet
