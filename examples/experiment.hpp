// experiment.hpp — what the chapter-6 experiment programs share: their flags,
// their data, the book's two training loops, and the figure each one writes.
//
// Every experiment takes --data DIR|bundled|fashion (the bundled digits by
// default), --out DIR (default out/<program>), --seed N, --threads N and
// --quiet, plus its own sizes (--iters, --epochs, --trials ...), and writes
// <out>/<program>.csv (panel,series,x,y) and <out>/<program>.svg.
#pragma once

#include <fmt/core.h>

#include <ctnet/ctnet.hpp>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace experiment {

// The command line: the shared flags, and numbers a program adds by name.
class Flags {
public:
    std::filesystem::path data = ctnet::bundled_mnist_dir();
    std::filesystem::path out;
    std::uint64_t seed = 0;
    std::size_t threads = 0;  // 0: every core
    bool quiet = false;

    Flags(std::string program, std::string what) : program_(std::move(program)), what_(std::move(what)) {
        out = std::filesystem::path("out") / program_;
    }

    // A flag taking a whole number (at least `min`) or a positive real number into *value.
    void count(std::string name, std::size_t* value, std::string help, std::size_t min = 1) {
        counts_.push_back({std::move(name), value, std::move(help), min});
    }
    void real(std::string name, double* value, std::string help) {
        reals_.push_back({std::move(name), value, std::move(help)});
    }
    // A flag without a value that sets *value.
    void toggle(std::string name, bool* value, std::string help) {
        toggles_.push_back({std::move(name), value, std::move(help)});
    }

    // Reads argv; false after printing the help for --help. Throws ctnet::Error with the usage on a mistake.
    bool parse(int argc, char** argv) {
        for (int i = 1; i < argc; ++i) {
            const std::string flag = argv[i];
            auto value = [&]() -> std::string {
                if (i + 1 >= argc) bad(flag + " needs a value");
                return argv[++i];
            };
            if (flag == "--help" || flag == "-h") {
                fmt::print("{}", usage());
                return false;
            } else if (flag == "--quiet") {
                quiet = true;
            } else if (const auto t = std::find_if(toggles_.begin(), toggles_.end(),
                                                   [&](const Toggle& t) { return t.name == flag; });
                       t != toggles_.end()) {
                *t->value = true;
            } else if (flag == "--data") {
                const std::string d = value();
                data = d == "bundled" ? ctnet::bundled_mnist_dir()
                                      : d == "fashion" ? ctnet::fashion_mnist_dir : std::filesystem::path(d);
            } else if (flag == "--out") {
                out = value();
            } else if (flag == "--seed") {
                seed = whole(flag, value(), 0);
            } else if (flag == "--threads") {
                threads = whole(flag, value(), 0);
            } else if (!parse_own(flag, value)) {
                bad("unknown option '" + flag + "'");
            }
        }
        ctnet::set_threads(threads);
        return true;
    }

    std::string usage() const {
        std::string s = fmt::format("usage: {} [--data DIR|bundled|fashion] [--out DIR] [--seed N] [--threads N] "
                                    "[--quiet]",
                                    program_);
        for (const auto& t : toggles_) s += " [" + t.name + "]";
        for (const auto& c : counts_) s += " [" + c.name + " N]";
        for (const auto& r : reals_) s += " [" + r.name + " X]";
        s += "\n\n" + what_ + "\n\n";
        s += "  --data DIR   the four MNIST files; 'bundled' (default): the 8,000/2,000 digits shipped\n"
             "               with ctnet; 'fashion': Fashion-MNIST from " + ctnet::fashion_mnist_dir.string() + "\n";
        s += fmt::format("  --out DIR    where {0}.csv and {0}.svg go (default out/{0})\n", program_);
        s += "  --seed N     seed of the weights and the batches (default 0)\n"
             "  --threads N  threads for the products (default 0: every core)\n"
             "  --quiet      no progress lines\n";
        for (const auto& t : toggles_) s += fmt::format("  {:<12} {}\n", t.name, t.help);
        for (const auto& c : counts_) s += fmt::format("  {:<12} {} (default {})\n", c.name + " N", c.help, *c.value);
        for (const auto& r : reals_) s += fmt::format("  {:<12} {} (default {})\n", r.name + " X", r.help, *r.value);
        return s;
    }

    const std::string& program() const { return program_; }

    // Progress on stdout unless --quiet.
    template <class... Args>
    void say(fmt::format_string<Args...> f, Args&&... args) const {
        if (!quiet) {
            fmt::print(f, std::forward<Args>(args)...);
            std::fflush(stdout);
        }
    }

private:
    struct Count {
        std::string name;
        std::size_t* value;
        std::string help;
        std::size_t min;
    };
    struct Toggle {
        std::string name;
        bool* value;
        std::string help;
    };
    struct Real {
        std::string name;
        double* value;
        std::string help;
    };

    [[noreturn]] void bad(const std::string& why) const { throw ctnet::Error(why + "\n" + usage()); }

    std::uint64_t whole(const std::string& flag, const std::string& v, std::uint64_t min) const {
        bool digits = !v.empty() && v.size() < 19;
        for (const char c : v) digits = digits && c >= '0' && c <= '9';
        const std::uint64_t n = digits ? std::strtoull(v.c_str(), nullptr, 10) : 0;
        if (!digits || n < min) bad(fmt::format("{} takes a whole number of at least {}, not '{}'", flag, min, v));
        return n;
    }

    template <class Value>
    bool parse_own(const std::string& flag, Value& value) {
        for (auto& c : counts_)
            if (flag == c.name) {
                *c.value = static_cast<std::size_t>(whole(flag, value(), c.min));
                return true;
            }
        for (auto& r : reals_)
            if (flag == r.name) {
                const std::string v = value();
                char* end = nullptr;
                const double x = std::strtod(v.c_str(), &end);
                if (v.empty() || *end != '\0' || !std::isfinite(x) || x <= 0)
                    bad(flag + " takes a positive number, not '" + v + "'");
                *r.value = x;
                return true;
            }
        return false;
    }

    std::string program_, what_;
    std::vector<Count> counts_;
    std::vector<Real> reals_;
    std::vector<Toggle> toggles_;
};

// <out>/<program>.csv and .svg: the figure's data and the figure.
inline void write_figure(const Flags& flags, const std::string& title, const std::vector<ctnet::ChartPanel>& panels,
                         std::size_t columns) {
    std::filesystem::create_directories(flags.out);
    const auto base = flags.out / flags.program();
    ctnet::write_file_atomically(base.string() + ".csv", ctnet::chart_csv(panels));
    ctnet::write_file_atomically(base.string() + ".svg", ctnet::chart_svg(title, panels, columns));
    flags.say("wrote {0}.csv and {0}.svg\n", base.string());
}

// The book's common/util.py smooth_curve: a Kaiser window of 11 (beta 2),
// the ends mirrored, so the curve keeps its length.
inline std::vector<double> smooth_curve(const std::vector<double>& x) {
    constexpr int window = 11;
    if (x.size() < window) return x;
    double w[window], total = 0;
    for (int n = 0; n < window; ++n) {
        const double r = 2.0 * n / (window - 1) - 1;
        total += w[n] = std::cyl_bessel_i(0.0, 2.0 * std::sqrt(1 - r * r));
    }
    // np.r_[x[window-1:0:-1], x, x[-1:-window:-1]], then 'valid' convolution, then [5:-5].
    std::vector<double> s;
    for (int i = window - 1; i > 0; --i) s.push_back(x[static_cast<std::size_t>(i)]);
    s.insert(s.end(), x.begin(), x.end());
    for (int i = 1; i < window; ++i) s.push_back(x[x.size() - static_cast<std::size_t>(i)]);
    std::vector<double> y;
    for (std::size_t i = 0; i + window <= s.size(); ++i) {
        double v = 0;
        for (int n = 0; n < window; ++n) v += w[n] / total * s[i + static_cast<std::size_t>(n)];
        y.push_back(v);
    }
    return {y.begin() + 5, y.end() - 5};
}

// The book's optimizer_compare_mnist.py loop: `iters` steps on random
// batches (drawn with `rng`), the loss of each step before its update.
template <class Model, class Optimizer, class Split>
std::vector<double> step_losses(Model& model, Optimizer& opt, const Split& train, std::size_t iters, ctnet::Rng rng) {
    auto x = std::make_unique<typename Model::Input>();
    std::array<std::uint32_t, Model::batch> t{};
    std::vector<double> losses;
    for (std::size_t i = 0; i < iters; ++i) {
        ctnet::random_batch(train, rng, *x, t);
        losses.push_back(static_cast<double>(ctnet::train_step(model, *x, t, opt)));
    }
    return losses;
}

// The book's epoch loop (overfit_weight_decay.py, batch_norm_test.py and its
// Trainer): random batches, and every train_size / batch steps (from step 0)
// the accuracy on the whole training and test splits, `epochs` times.
template <class Model, class Optimizer, class Data>
std::vector<ctnet::EpochMetrics> train_epochs(Model& model, Optimizer& opt, const Data& data, std::size_t epochs,
                                              ctnet::Rng rng) {
    const std::size_t per_epoch = std::max<std::size_t>(data.train.size() / Model::batch, 1);
    auto x = std::make_unique<typename Model::Input>();
    std::array<std::uint32_t, Model::batch> t{};
    std::vector<ctnet::EpochMetrics> out;
    for (std::size_t i = 0; out.size() < epochs; ++i) {
        ctnet::random_batch(data.train, rng, *x, t);
        ctnet::train_step(model, *x, t, opt);
        if (i % per_epoch == 0) {
            const auto tr = ctnet::evaluate_split(model, data.train);
            const auto te = ctnet::evaluate_split(model, data.test);
            out.push_back({out.size(), i + 1, tr.loss, tr.accuracy, te.loss, te.accuracy, 0});
        }
    }
    return out;
}

// The network of the book's optimizer and initialisation comparisons:
// MultiLayerNet(784, [100] * 4, 10), ReLU.
using FiveLayerNet = ctnet::Sequential<ctnet::Affine<784, 100>, ctnet::Relu,
                                       ctnet::Repeat<3, ctnet::Affine<100, 100>, ctnet::Relu>,
                                       ctnet::Affine<100, 10>, ctnet::SoftmaxWithLoss>;

// 0, 1, ..., n - 1 as the x of a per-step curve.
inline std::vector<double> step_numbers(std::size_t n) {
    std::vector<double> v;
    for (std::size_t i = 0; i < n; ++i) v.push_back(static_cast<double>(i));
    return v;
}

// A run's losses at five steps and at its end, on one progress line.
inline void report_losses(const Flags& flags, const char* name, const std::vector<double>& losses) {
    std::string report;
    for (std::size_t i = 0; i < losses.size(); i += std::max<std::size_t>(losses.size() / 5, 1))
        report += fmt::format(" {:5}:{:.3f}", i, losses[i]);
    flags.say("{:<9} loss at step{} ... last {:.3f}\n", name, report, losses.back());
}

// One column of a run's epochs, and the epochs' numbers: a Series' y and x.
inline std::vector<double> column(const std::vector<ctnet::EpochMetrics>& e, double ctnet::EpochMetrics::*field) {
    std::vector<double> v;
    for (const auto& m : e) v.push_back(m.*field);
    return v;
}
inline std::vector<double> epoch_numbers(const std::vector<ctnet::EpochMetrics>& e) {
    std::vector<double> v;
    for (const auto& m : e) v.push_back(static_cast<double>(m.epoch));
    return v;
}

// A panel of training (solid) and test (dashed) accuracy per epoch, 0 to 1,
// as the book's overfitting figures; prints the run's last figures and gap.
inline ctnet::ChartPanel accuracy_panel(const Flags& flags, const std::string& title,
                                        const std::vector<ctnet::EpochMetrics>& e) {
    const auto& last = e.back();
    flags.say("{:<18}: after {} epochs train accuracy {:.4f}, test {:.4f}: gap {:.4f}\n", title, e.size(),
              last.train_acc, last.test_acc, last.train_acc - last.test_acc);
    return {title, "epochs", "accuracy",
            {{"train", epoch_numbers(e), column(e, &ctnet::EpochMetrics::train_acc)},
             {"test", epoch_numbers(e), column(e, &ctnet::EpochMetrics::test_acc), true}},
            0.0, 1.0};
}

}  // namespace experiment
