// threads.cpp — training steps and evaluation on 1 thread and on every core, in one run.
//
//     bench_threads [--threads N] [--rounds R] [--samples S]
//
// For each network (the book's 784-50-10 and wider hidden layers, batches 32
// to 256) the training step (Model::sgd_step) and the evaluation of 10,000
// samples are timed on one thread and on N (default: every core this process
// may use), interleaved round after round so the machine's drift hits both
// alike; the figures are the median rounds. Also printed, for the docs'
// scaling model: the cost of one hand-off to the pool and back (an empty job),
// and from the two step times the share of the step that stays serial
// (Amdahl: s = (N / speedup - 1) / (N - 1)).
#include <fmt/core.h>

#include <array>
#include <charconv>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ctnet/net.hpp"
#include "ctnet/parallel/pool.hpp"
#include "ctnet/random.hpp"
#include "support.hpp"

namespace {

struct Options {
    std::size_t threads = 0;
    int rounds = 5, samples = 7;
};

// f timed on 1 thread and on n, `rounds` times in alternating order: the median of each.
template <class F>
std::array<double, 2> one_and_n(const Options& opt, std::size_t n, F&& f) {
    std::vector<double> t1, tn;
    for (int r = 0; r < opt.rounds; ++r)
        for (int k = 0; k < 2; ++k) {
            const bool many = (r + k) % 2 == 1;
            ctnet::ThreadCount scope(many ? n : 1);
            (many ? tn : t1).push_back(bench::median_ns(f, opt.samples));
        }
    return {bench::median(t1), bench::median(tn)};
}

void report(const char* what, double flops, std::array<double, 2> t, std::size_t n) {
    const double speedup = t[0] / t[1];
    const double serial = n > 1 ? (double(n) / speedup - 1) / double(n - 1) : 0.0;
    fmt::print("{:<34} {:>10.1f} {:>10.1f} {:>8.2f}x {:>8.1f} {:>8.1f} {:>8.1f}%\n", what, t[0] / 1e3, t[1] / 1e3, speedup,
               flops / t[0], flops / t[1], 100 * serial);
}

template <std::size_t H, std::size_t B>
void step(const Options& opt, std::size_t n) {
    using Net = ctnet::Sequential<ctnet::Affine<784, H>, ctnet::Relu, ctnet::Affine<H, 10>, ctnet::SoftmaxWithLoss>;
    ctnet::Rng rng(1);
    auto x = std::make_unique<ctnet::Matrix<float, B, 784>>();
    ctnet::fill_uniform(*x, rng, 0.0f, 1.0f);
    std::array<std::uint8_t, B> t{};
    for (auto& label : t) label = static_cast<std::uint8_t>(rng.below(10));
    auto net = std::make_unique<ctnet::Model<Net, float, B>>();
    // Forward and backward products, dx of the first layer skipped, plus the update.
    const double flops = 2.0 * B * 784 * H * 2 + 2.0 * B * H * 10 * 3;
    report(fmt::format("step 784-{}-10, batch {}", H, B).c_str(), flops,
           one_and_n(opt, n, [&] { bench::keep(net->sgd_step(*x, t, 0.01f)); }), n);
}

// The step's two large products alone: the forward x . W^T and the fused update W -= lr dy^T x.
template <std::size_t H, std::size_t B>
void products(const Options& opt, std::size_t n) {
    ctnet::Rng rng(3);
    auto x = std::make_unique<ctnet::Matrix<float, B, 784>>();
    auto w = std::make_unique<ctnet::Matrix<float, H, 784>>();
    auto dy = std::make_unique<ctnet::Matrix<float, B, H>>();
    auto y = std::make_unique<ctnet::Matrix<float, B, H>>();
    ctnet::fill_uniform(*x, rng, 0.0f, 1.0f);
    ctnet::fill_uniform(*w, rng, -0.1f, 0.1f);
    ctnet::fill_uniform(*dy, rng, -0.1f, 0.1f);
    const double flops = 2.0 * B * 784 * H;
    report(fmt::format("x . W^T, {}x784 * ({}x784)^T", B, H).c_str(), flops,
           one_and_n(opt, n, [&] { *y = dot(*x, transpose(*w)); bench::keep(y->data()[0]); }), n);
    report(fmt::format("W -= lr dy^T x, {}x{} ^T * {}x784", B, H, B).c_str(), flops,
           one_and_n(opt, n, [&] { *w -= 1e-9f * dot(transpose(*dy), *x); bench::keep(w->data()[0]); }), n);
}

template <std::size_t H, std::size_t B>
void evaluation(const Options& opt, std::size_t n) {
    using Net = ctnet::Sequential<ctnet::Affine<784, H>, ctnet::Relu, ctnet::Affine<H, 10>, ctnet::SoftmaxWithLoss>;
    constexpr std::size_t samples = 10000;
    ctnet::Rng rng(2);
    std::vector<float> inputs(samples * 784);
    for (float& v : inputs) v = static_cast<float>(rng.uniform());
    std::vector<std::uint8_t> labels(samples);
    for (auto& label : labels) label = static_cast<std::uint8_t>(rng.below(10));
    auto net = std::make_unique<ctnet::Model<Net, float, B>>();
    const double flops = 2.0 * samples * (784 * H + H * 10);
    report(fmt::format("evaluate 10000, 784-{}-10, batch {}", H, B).c_str(), flops,
           one_and_n(opt, n, [&] { bench::keep(net->evaluate(std::span<const float>(inputs), labels).loss); }), n);
}

}  // namespace

int main(int argc, char** argv) {
    Options opt;
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        auto number = [&] {
            std::size_t v = 0;
            const std::string_view s = i + 1 < argc ? std::string_view(argv[++i]) : std::string_view();
            if (s.empty() || std::from_chars(s.data(), s.data() + s.size(), v).ec != std::errc{}) {
                fmt::print(stderr, "bench_threads: {} takes a number\n", a);
                std::exit(2);
            }
            return v;
        };
        if (a == "--threads") opt.threads = number();
        else if (a == "--rounds") opt.rounds = int(number());
        else if (a == "--samples") opt.samples = int(number());
        else {
            fmt::print(stderr, "usage: bench_threads [--threads N] [--rounds R] [--samples S]\n");
            return 2;
        }
    }
    if (opt.rounds < 1 || opt.samples < 1) {
        fmt::print(stderr, "bench_threads: --rounds and --samples take at least 1\n");
        return 2;
    }
    const std::size_t n = opt.threads ? opt.threads : ctnet::available_cores();
    fmt::print("ctnet on 1 and {} threads ({} backend, float); {} cores available\n", n, ctnet::simd::backend_name,
               ctnet::available_cores());

    // One hand-off to the pool and back: an empty job split n ways.
    {
        ctnet::ThreadCount scope(n);
        const double empty = bench::median_ns([&] { ctnet::parallel::for_chunks(n, [](std::size_t, std::size_t) {}); });
        fmt::print("an empty job on {} threads: {:.2f} us\n\n", n, empty / 1e3);
    }
    fmt::print("{:<34} {:>10} {:>10} {:>9} {:>8} {:>8} {:>9}\n", "", "1 thr us", "n thr us", "speedup", "GFLOP/s",
               "n GFLOP", "serial");
    products<50, 100>(opt, n);
    products<1024, 256>(opt, n);
    step<50, 100>(opt, n);
    step<50, 256>(opt, n);
    step<100, 100>(opt, n);
    step<256, 100>(opt, n);
    step<1024, 32>(opt, n);
    step<1024, 100>(opt, n);
    step<1024, 256>(opt, n);
    evaluation<50, 100>(opt, n);
    evaluation<1024, 256>(opt, n);
}
