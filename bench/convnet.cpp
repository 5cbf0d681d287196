// convnet.cpp — the book's SimpleConvNet and DeepConvNet: each convolution layer's forward and backward, and the
// whole Adam training step, as a share of the measured FMA peak, on one thread and on all.
//
//     build/bench/bench_convnet_avx512 [--threads N]
//
// A convolution of K = C FH FW values under each of FN filters at P output
// positions costs 2 FN K P flops per image forward, as much again for dW and
// again for dx (the first layer needs no dx). The step's figure counts the
// products of every layer (convolutions and Affines) and divides by the
// whole step's time: ReLU, pooling, softmax, the batch and Adam's update are
// in the time but not in the flops, so it is the share of the machine the
// step gets, not the kernels alone. The target (issue 12): the convolution
// layers at 75% or more of the peak, forward and backward.
#include <fmt/core.h>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <span>

#include "ctnet/net.hpp"
#include "ctnet/optim.hpp"
#include "ctnet/parallel/pool.hpp"
#include "ctnet/random.hpp"
#include "support.hpp"

namespace {

constexpr std::size_t B = 100;

struct Totals {
    double conv_ns = 0, conv_flops = 0;
};

// One convolution layer of a network, bound to its input shape: forward, and
// backward with dx where the network needs it.
template <class Conv, ctnet::Dims In, bool WantDx>
void conv_layer(const char* name, double peak, Totals& totals) {
    using Impl = typename Conv::template Impl<float, B, In>;
    constexpr ctnet::Dims Out = Conv::output_shape(In);
    auto layer = std::make_unique<Impl>();
    ctnet::Rng rng(1);
    layer->initialize(ctnet::Init::he(), rng);
    auto x = std::make_unique<ctnet::Matrix<float, B, In.size()>>();
    auto y = std::make_unique<ctnet::Matrix<float, B, Out.size()>>();
    auto dy = std::make_unique<ctnet::Matrix<float, B, Out.size()>>();
    auto dx = std::make_unique<ctnet::Matrix<float, B, In.size()>>();
    ctnet::fill_uniform(*x, rng, 0.0f, 1.0f);
    ctnet::fill_uniform(*dy, rng, -1.0f, 1.0f);
    const double product = 2.0 * Out.c * Impl::K * Out.h * Out.w * B;  // one pass: 2 FN K P B
    const double fwd = bench::median_ns([&] { layer->forward(*x, *y); }, 11);
    const double bwd = bench::median_ns([&] { layer->template backward<WantDx>(*x, *y, *dy, WantDx ? dx.get() : nullptr); }, 11);
    const double bwd_flops = product * (WantDx ? 2 : 1);
    fmt::print("  {:<42} {:>4} x {:>4} x {:>3}  {:>8.3f} {:>5.1f}%  {:>8.3f} {:>5.1f}%  {:>5.1f}%\n", name, Out.c,
               Impl::K, Out.h * Out.w, fwd / 1e6, 100 * product / fwd / peak, bwd / 1e6, 100 * bwd_flops / bwd / peak,
               100 * (product + bwd_flops) / (fwd + bwd) / peak);
    totals.conv_ns += fwd + bwd;
    totals.conv_flops += product + bwd_flops;
}

void header(const char* net) {
    fmt::print("{} at batch {}: each convolution layer, ms and share of the peak\n", net, B);
    fmt::print("  {:<42} {:>4}   {:>4}   {:>3}  {:>15}  {:>15}  {:>6}\n", "layer (input -> output)", "FN", "K", "P",
               "forward", "backward", "layer");
}

void footer(const Totals& t, double peak) {
    fmt::print("  {:<60} {:>41.3f} ms {:>5.1f}%  (target 75%)\n", "all convolution layers, forward and backward",
               t.conv_ns / 1e6, 100 * t.conv_flops / t.conv_ns / peak);
}

// The whole step (forward, loss, backward, Adam) on three random batches in
// turn, on `threads` threads; returns ns per step.
template <class Net>
double step_ns(std::size_t threads) {
    ctnet::ThreadCount scope(threads);
    auto net = std::make_unique<ctnet::Model<Net, float, B>>(ctnet::Init::he(), 1);
    ctnet::Adam adam{0.001};
    ctnet::Rng rng(2);
    std::array<std::unique_ptr<ctnet::Matrix<float, B, 784>>, 3> x;
    std::array<std::array<std::uint8_t, B>, 3> t{};
    for (std::size_t b = 0; b < 3; ++b) {
        x[b] = std::make_unique<ctnet::Matrix<float, B, 784>>();
        ctnet::fill_uniform(*x[b], rng, 0.0f, 1.0f);
        for (auto& label : t[b]) label = static_cast<std::uint8_t>(rng.next() % 10);
    }
    std::size_t k = 0;
    return bench::median_ns(
        [&] {
            bench::keep(ctnet::train_step(*net, *x[k], std::span<const std::uint8_t>(t[k]), adam));
            k = (k + 1) % 3;
        },
        11);
}

template <class Net>
void step(const char* net, double step_flops, double peak, std::size_t threads) {
    const double one = step_ns<Net>(1);
    fmt::print("  whole Adam step, 1 thread: {:.2f} ms, {:.1f} GFLOP/s = {:.1f}% of the peak", one / 1e6,
               step_flops / one, 100 * step_flops / one / peak);
    if (threads > 1) {
        const double all = step_ns<Net>(threads);
        fmt::print("; {} threads: {:.2f} ms, {:.2f}x one thread", threads, all / 1e6, one / all);
    }
    fmt::print("\n  ({:.2f} GFLOP of products in a step of {})\n\n", step_flops / 1e9, net);
}

}  // namespace

int main(int argc, char** argv) {
    std::size_t threads = ctnet::available_cores();
    for (int i = 1; i + 1 < argc; ++i)
        if (std::strcmp(argv[i], "--threads") == 0) threads = std::strtoul(argv[i + 1], nullptr, 10);
    const double peak = bench::measured_fma_peak_gflops<float>();
    fmt::print("The book's convolutional networks, float ({} backend, {} floats per packet)\n",
               ctnet::simd::backend_name, ctnet::simd::lanes<float>);
    fmt::print("measured single-core FMA peak: {:.1f} GFLOP/s; layers on 1 thread\n\n", peak);

    using ctnet::Convolution;
    using ctnet::Dims;
    {
        header("SimpleConvNet (ch07)");
        Totals t;
        conv_layer<Convolution<30, 5, 5>, Dims{1, 28, 28}, false>("Convolution 30@5x5 (1x28x28 -> 30x24x24)", peak, t);
        footer(t, peak);
        // Products per step: the convolution (forward and dW) and the Affines 4320-100 and 100-10 (three each).
        const double flops = t.conv_flops + 3 * 2.0 * B * (4320 * 100 + 100 * 10);
        step<ctnet::book::SimpleConvNet>("SimpleConvNet", flops, peak, threads);
    }
    {
        header("DeepConvNet (ch08)");
        Totals t;
        conv_layer<Convolution<16, 3, 3, 1, 1>, Dims{1, 28, 28}, false>("conv1 16@3x3 pad 1 (1x28x28)", peak, t);
        conv_layer<Convolution<16, 3, 3, 1, 1>, Dims{16, 28, 28}, true>("conv2 16@3x3 pad 1 (16x28x28)", peak, t);
        conv_layer<Convolution<32, 3, 3, 1, 1>, Dims{16, 14, 14}, true>("conv3 32@3x3 pad 1 (16x14x14)", peak, t);
        conv_layer<Convolution<32, 3, 3, 1, 2>, Dims{32, 14, 14}, true>("conv4 32@3x3 pad 2 (32x14x14)", peak, t);
        conv_layer<Convolution<64, 3, 3, 1, 1>, Dims{32, 8, 8}, true>("conv5 64@3x3 pad 1 (32x8x8)", peak, t);
        conv_layer<Convolution<64, 3, 3, 1, 1>, Dims{64, 8, 8}, true>("conv6 64@3x3 pad 1 (64x8x8)", peak, t);
        footer(t, peak);
        const double flops = t.conv_flops + 3 * 2.0 * B * (1024 * 50 + 50 * 10);
        step<ctnet::book::DeepConvNet>("DeepConvNet", flops, peak, threads);
    }
}
