// plot.cpp — training.svg: accuracy and loss per epoch, two panels, no dependencies.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>

#include "ctnet/train/metrics.hpp"

namespace ctnet {

namespace {

constexpr double panel_w = 380, panel_h = 260, left = 60, top = 50, gap = 90;
const char* const train_colour = "#1f77b4";
const char* const test_colour = "#ff7f0e";

std::string xml_escape(const std::string& s) {
    std::string out;
    for (const char c : s) {
        switch (c) {
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '&': out += "&amp;"; break;
            case '"': out += "&quot;"; break;
            default: out += c;
        }
    }
    return out;
}

// A "nice" tick step (1, 2 or 5 times a power of ten) giving about `count` ticks over span.
double tick_step(double span, int count) {
    const double raw = span / count, mag = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (raw <= m * mag) return m * mag;
    return 10 * mag;
}

struct Panel {
    double x0;  // left edge of the plotting area
    double ymin, ymax, xmax;
    double px(double x) const { return x0 + (xmax > 0 ? x / xmax : 0) * panel_w; }
    double py(double y) const { return top + panel_h - (y - ymin) / (ymax - ymin) * panel_h; }
};

std::string axes(const Panel& p, const std::string& ylabel, const std::string& yfmt) {
    std::string s = fmt::format(
        "<rect x='{}' y='{}' width='{}' height='{}' fill='none' stroke='#333'/>\n", p.x0, top, panel_w, panel_h);
    const double ys = tick_step(p.ymax - p.ymin, 5);
    for (double y = std::ceil(p.ymin / ys) * ys; y <= p.ymax + 1e-9; y += ys) {
        s += fmt::format("<line x1='{}' y1='{:.1f}' x2='{}' y2='{:.1f}' stroke='#ddd'/>\n", p.x0, p.py(y),
                         p.x0 + panel_w, p.py(y));
        s += fmt::format("<text x='{}' y='{:.1f}' text-anchor='end' font-size='11'>{}</text>\n", p.x0 - 6,
                         p.py(y) + 4, fmt::format(fmt::runtime(yfmt), y));
    }
    const double xs = tick_step(std::max(p.xmax, 1.0), 6);
    for (double x = 0; x <= p.xmax + 1e-9; x += xs)
        s += fmt::format("<text x='{:.1f}' y='{}' text-anchor='middle' font-size='11'>{}</text>\n", p.px(x),
                         top + panel_h + 16, x);
    s += fmt::format("<text x='{}' y='{}' text-anchor='middle' font-size='12'>epochs</text>\n", p.x0 + panel_w / 2,
                     top + panel_h + 34);
    s += fmt::format("<text transform='translate({},{}) rotate(-90)' text-anchor='middle' font-size='12'>{}</text>\n",
                     p.x0 - 44, top + panel_h / 2, ylabel);
    return s;
}

// One polyline per run of finite values: a NaN or infinite figure (a run that
// diverged) is a gap in the line, never a coordinate SVG cannot parse.
std::string series(const Panel& p, const std::vector<EpochMetrics>& e, double EpochMetrics::*field,
                   const char* colour, bool dashed) {
    std::string out, points;
    auto flush = [&] {
        if (!points.empty())
            out += fmt::format("<polyline fill='none' stroke='{}' stroke-width='2'{} points='{}'/>\n", colour,
                               dashed ? " stroke-dasharray='6,4'" : "", points);
        points.clear();
    };
    for (const EpochMetrics& m : e) {
        if (std::isfinite(m.*field)) points += fmt::format("{:.1f},{:.1f} ", p.px(double(m.epoch)), p.py(m.*field));
        else flush();
    }
    flush();
    return out;
}

std::string legend(double x, double y) {
    return fmt::format(
        "<line x1='{0}' y1='{1}' x2='{2}' y2='{1}' stroke='{3}' stroke-width='2'/>"
        "<text x='{4}' y='{5}' font-size='11'>train</text>\n"
        "<line x1='{0}' y1='{6}' x2='{2}' y2='{6}' stroke='{7}' stroke-width='2' stroke-dasharray='6,4'/>"
        "<text x='{4}' y='{8}' font-size='11'>test</text>\n",
        x, y, x + 24, train_colour, x + 30, y + 4, y + 16, test_colour, y + 20);
}

}  // namespace

std::string training_plot_svg(const std::vector<EpochMetrics>& epochs, const std::string& title) {
    const double width = left + 2 * panel_w + gap + 20, height = top + panel_h + 50;
    std::string s = fmt::format(
        "<svg xmlns='http://www.w3.org/2000/svg' width='{}' height='{}' viewBox='0 0 {} {}' "
        "font-family='sans-serif'>\n<rect width='100%' height='100%' fill='white'/>\n"
        "<text x='{}' y='24' text-anchor='middle' font-size='14'>{}</text>\n",
        width, height, width, height, width / 2, xml_escape(title));
    if (epochs.empty()) return s + "</svg>\n";

    const double xmax = double(epochs.back().epoch);
    double acc_lo = 1, loss_hi = 0;
    for (const EpochMetrics& e : epochs) {
        for (double a : {e.train_acc, e.test_acc})
            if (std::isfinite(a)) acc_lo = std::min(acc_lo, a);
        for (double l : {e.train_loss, e.test_loss})
            if (std::isfinite(l)) loss_hi = std::max(loss_hi, l);
    }
    acc_lo = std::max(acc_lo, 0.0);
    const Panel acc{left, std::floor(acc_lo * 10) / 10, 1.0, xmax};
    const Panel loss{left + panel_w + gap, 0.0, loss_hi > 0 ? loss_hi * 1.1 : 1.0, xmax};
    s += axes(acc, "accuracy", "{:.1f}") + axes(loss, "loss", "{:.2g}");
    s += series(acc, epochs, &EpochMetrics::train_acc, train_colour, false);
    s += series(acc, epochs, &EpochMetrics::test_acc, test_colour, true);
    s += series(loss, epochs, &EpochMetrics::train_loss, train_colour, false);
    s += series(loss, epochs, &EpochMetrics::test_loss, test_colour, true);
    s += legend(acc.x0 + panel_w - 70, top + panel_h - 40) + legend(loss.x0 + panel_w - 70, top + 14);
    return s + "</svg>\n";
}

}  // namespace ctnet
