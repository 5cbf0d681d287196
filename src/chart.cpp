// chart.cpp — line charts as SVG and CSV, for training.svg and the chapter-6 experiments.
#include "ctnet/train/chart.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "ctnet/config.hpp"

namespace ctnet {

namespace {

constexpr double margin_left = 64, margin_right = 24, margin_top = 40, margin_bottom = 50, title_h = 36;

// matplotlib's tab10, the colours of the book's figures.
constexpr const char* palette[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                   "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

std::string xml_escape(const std::string& s) {
    std::string out;
    for (const char c : s) {
        switch (c) {
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '&': out += "&amp;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&apos;"; break;
            default: out += c;
        }
    }
    return out;
}

// A "nice" tick step (1, 2 or 5 times a power of ten) giving about `count` ticks over span.
double tick_step(double span, int count) {
    if (!(span > 0)) return 1;
    const double raw = span / count, mag = std::pow(10.0, std::floor(std::log10(raw)));
    for (const double m : {1.0, 2.0, 5.0})
        if (raw <= m * mag) return m * mag;
    return 10 * mag;
}

// A tick's label: the fewest digits that tell neighbouring ticks apart.
std::string tick_label(double v, double step) {
    if (std::fabs(v) < step * 1e-9) v = 0;
    const int decimals = std::max(0, -static_cast<int>(std::floor(std::log10(step) + 1e-9)));
    return fmt::format("{:.{}f}", v, decimals);
}

struct Frame {
    double x0, y0, w, h;            // the plotting area
    double xmin, xmax, ymin, ymax;  // the data range it shows
    double px(double x) const { return x0 + (xmax > xmin ? (x - xmin) / (xmax - xmin) : 0.5) * w; }
    double py(double y) const {
        const double t = ymax > ymin ? (y - ymin) / (ymax - ymin) : 0.5;
        return y0 + h - std::clamp(t, 0.0, 1.0) * h;
    }
};

void check_sizes(const Series& s) {
    if (s.x.size() != s.y.size())
        throw Error(fmt::format("chart: the series '{}' has {} x values and {} y values", s.name, s.x.size(),
                                s.y.size()));
}

Frame frame_for(const ChartPanel& p, double x0, double y0, double w, double h) {
    double xmin = INFINITY, xmax = -INFINITY, ymin = INFINITY, ymax = -INFINITY;
    for (const Series& s : p.series) {
        check_sizes(s);
        for (std::size_t i = 0; i < s.x.size(); ++i) {
            if (!std::isfinite(s.x[i]) || !std::isfinite(s.y[i])) continue;
            xmin = std::min(xmin, s.x[i]);
            xmax = std::max(xmax, s.x[i]);
            ymin = std::min(ymin, s.y[i]);
            ymax = std::max(ymax, s.y[i]);
        }
    }
    if (!(xmin <= xmax)) xmin = 0, xmax = 1;
    if (!(ymin <= ymax)) ymin = 0, ymax = 1;
    if (ymin > 0) ymin = 0;  // a loss or an accuracy reads best from zero
    ymax += (ymax - ymin) * 0.05;
    if (p.y_min) ymin = *p.y_min;
    if (p.y_max) ymax = *p.y_max;
    if (xmin == xmax) xmax = xmin + 1;
    if (!(ymin < ymax)) ymax = ymin + 1;
    return {x0, y0, w, h, xmin, xmax, ymin, ymax};
}

std::string axes(const ChartPanel& p, const Frame& f) {
    std::string s = fmt::format("<rect x='{:.1f}' y='{:.1f}' width='{:.1f}' height='{:.1f}' fill='none' stroke='#333'/>\n",
                                f.x0, f.y0, f.w, f.h);
    const double ys = tick_step(f.ymax - f.ymin, 5);
    for (double y = std::ceil(f.ymin / ys - 1e-9) * ys; y <= f.ymax + ys * 1e-9; y += ys) {
        s += fmt::format("<line x1='{:.1f}' y1='{:.1f}' x2='{:.1f}' y2='{:.1f}' stroke='#ddd'/>\n", f.x0, f.py(y),
                         f.x0 + f.w, f.py(y));
        s += fmt::format("<text x='{:.1f}' y='{:.1f}' text-anchor='end' font-size='11'>{}</text>\n", f.x0 - 6,
                         f.py(y) + 4, tick_label(y, ys));
    }
    const double xs = tick_step(f.xmax - f.xmin, std::max(2, static_cast<int>(f.w / 70)));
    for (double x = std::ceil(f.xmin / xs - 1e-9) * xs; x <= f.xmax + xs * 1e-9; x += xs)
        s += fmt::format("<text x='{:.1f}' y='{:.1f}' text-anchor='middle' font-size='11'>{}</text>\n", f.px(x),
                         f.y0 + f.h + 16, tick_label(x, xs));
    s += fmt::format("<text x='{:.1f}' y='{:.1f}' text-anchor='middle' font-size='12'>{}</text>\n", f.x0 + f.w / 2,
                     f.y0 + f.h + 34, xml_escape(p.x_label));
    s += fmt::format("<text transform='translate({:.1f},{:.1f}) rotate(-90)' text-anchor='middle' "
                     "font-size='12'>{}</text>\n",
                     f.x0 - 46, f.y0 + f.h / 2, xml_escape(p.y_label));
    if (!p.title.empty())
        s += fmt::format("<text x='{:.1f}' y='{:.1f}' text-anchor='middle' font-size='12'>{}</text>\n",
                         f.x0 + f.w / 2, f.y0 - 8, xml_escape(p.title));
    return s;
}

std::string first_word(const std::string& s) { return s.substr(0, s.find(' ')); }

// Each series' colour: its own index in the palette, or a dashed series its
// solid partner's (the one before it, whose name starts with the same word).
std::vector<const char*> colours(const ChartPanel& p) {
    std::vector<const char*> c;
    std::size_t next = 0;
    for (std::size_t i = 0; i < p.series.size(); ++i) {
        const bool paired = i > 0 && p.series[i].dashed && !p.series[i - 1].dashed &&
                            first_word(p.series[i].name) == first_word(p.series[i - 1].name);
        c.push_back(paired ? c.back() : palette[next++ % std::size(palette)]);
    }
    return c;
}

// One polyline per run of finite points.
std::string line(const Series& s, const Frame& f, const char* colour) {
    std::string out, points;
    auto flush = [&] {
        if (!points.empty())
            out += fmt::format("<polyline fill='none' stroke='{}' stroke-width='1.6'{} points='{}'/>\n", colour,
                               s.dashed ? " stroke-dasharray='6,4'" : "", points);
        points.clear();
    };
    for (std::size_t i = 0; i < s.x.size(); ++i) {
        if (std::isfinite(s.x[i]) && std::isfinite(s.y[i])) points += fmt::format("{:.1f},{:.1f} ", f.px(s.x[i]), f.py(s.y[i]));
        else flush();
    }
    flush();
    return out;
}

// The named series, top right, on a white ground that lets lines show faintly through.
std::string legend(const ChartPanel& p, const Frame& f, const std::vector<const char*>& c) {
    std::size_t entries = 0, longest = 0;
    for (const Series& s : p.series)
        if (!s.name.empty()) ++entries, longest = std::max(longest, s.name.size());
    if (entries == 0) return {};
    const double box_w = 38 + 6.2 * static_cast<double>(longest), x = f.x0 + f.w - box_w - 4;
    std::string s = fmt::format("<rect x='{:.1f}' y='{:.1f}' width='{:.1f}' height='{:.1f}' fill='white' "
                                "fill-opacity='0.85'/>\n",
                                x - 4, f.y0 + 4, box_w, 15.0 * static_cast<double>(entries) + 6);
    double y = f.y0 + 14;
    for (std::size_t i = 0; i < p.series.size(); ++i) {
        if (p.series[i].name.empty()) continue;
        s += fmt::format("<line x1='{:.1f}' y1='{:.1f}' x2='{:.1f}' y2='{:.1f}' stroke='{}' stroke-width='2'{}/>"
                         "<text x='{:.1f}' y='{:.1f}' font-size='11'>{}</text>\n",
                         x, y, x + 22, y, c[i], p.series[i].dashed ? " stroke-dasharray='6,4'" : "", x + 28, y + 4,
                         xml_escape(p.series[i].name));
        y += 15;
    }
    return s;
}

std::string number(double v) {
    if (std::isnan(v)) return "nan";
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    return fmt::format("{:.9g}", v);
}

}  // namespace

std::string chart_svg(const std::string& title, const std::vector<ChartPanel>& panels, std::size_t columns) {
    columns = std::clamp<std::size_t>(columns, 1, std::max<std::size_t>(panels.size(), 1));
    const std::size_t rows = (panels.size() + columns - 1) / columns;
    // Panels shrink as the grid widens, to keep the figure about 900 points wide.
    const double pw = columns == 1 ? 520 : columns == 2 ? 380 : 220, ph = columns <= 2 ? 260 : 150;
    const double cell_w = margin_left + pw + margin_right, cell_h = margin_top + ph + margin_bottom;
    const double width = cell_w * static_cast<double>(columns), height = title_h + cell_h * static_cast<double>(rows);
    std::string s = fmt::format(
        "<svg xmlns='http://www.w3.org/2000/svg' width='{0:.0f}' height='{1:.0f}' viewBox='0 0 {0:.0f} {1:.0f}' "
        "font-family='sans-serif'>\n<rect width='100%' height='100%' fill='white'/>\n"
        "<text x='{2:.1f}' y='24' text-anchor='middle' font-size='14'>{3}</text>\n",
        width, height, width / 2, xml_escape(title));
    for (std::size_t i = 0; i < panels.size(); ++i) {
        const ChartPanel& p = panels[i];
        const double x0 = cell_w * static_cast<double>(i % columns) + margin_left;
        const double y0 = title_h + cell_h * static_cast<double>(i / columns) + margin_top;
        const Frame f = frame_for(p, x0, y0, pw, ph);
        const auto c = colours(p);
        s += axes(p, f);
        for (std::size_t k = 0; k < p.series.size(); ++k) s += line(p.series[k], f, c[k]);
        s += legend(p, f, c);
    }
    return s + "</svg>\n";
}

std::string chart_csv(const std::vector<ChartPanel>& panels) {
    std::string s = "panel,series,x,y\n";
    const auto field = [](const std::string& v) {
        if (v.find_first_of(",\"\n") == std::string::npos) return v;
        std::string q = "\"";
        for (const char c : v) q += c == '"' ? std::string("\"\"") : std::string(1, c);
        return q + "\"";
    };
    for (std::size_t i = 0; i < panels.size(); ++i) {
        const std::string panel = field(panels[i].title.empty() ? std::to_string(i) : panels[i].title);
        for (const Series& series : panels[i].series) {
            check_sizes(series);
            for (std::size_t k = 0; k < series.x.size(); ++k)
                s += fmt::format("{},{},{},{}\n", panel, field(series.name), number(series.x[k]), number(series.y[k]));
        }
    }
    return s;
}

}  // namespace ctnet
