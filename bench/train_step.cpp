// train_step.cpp — the book's TwoLayerNet training step at batch 100 and batch-1 latency, ctnet vs Eigen vs peak.
//
// A step is forward, loss, backward and the SGD update (lr 0.1) on a batch of
// 100 MNIST-sized inputs: 2*100*784*50*2 + 2*100*50*10*3 = 15.98 MFLOP of
// products (the first layer's dx is not needed and neither side computes it).
// The Eigen peer (eigen_step.hpp) is the fastest formulation found for Eigen
// 3.4 fixed-size matrices, verified against a plain-loop reference
// (eigen_step_check.cpp).
#include <fmt/core.h>

#include <array>
#include <cstdint>
#include <memory>

#include "ctnet/net.hpp"
#include "ctnet/optim.hpp"
#include "ctnet/random.hpp"
#include "support.hpp"

#ifdef CTNET_BENCH_EIGEN
#  define EIGEN_STACK_ALLOCATION_LIMIT 0
#  include "eigen_step.hpp"
#endif

using TwoLayerNet = ctnet::Sequential<ctnet::Affine<784, 50>, ctnet::Relu, ctnet::Affine<50, 10>, ctnet::SoftmaxWithLoss>;

int main() {
    constexpr double step_flops = 2.0 * 100 * 784 * 50 * 2 + 2.0 * 100 * 50 * 10 * 3;
    const double peak = bench::measured_fma_peak_gflops<float>();
    fmt::print("TwoLayerNet (784-50-10) training step, float ({} backend, {} floats per packet)\n",
               ctnet::simd::backend_name, ctnet::simd::lanes<float>);
    fmt::print("measured single-core FMA peak: {:.1f} GFLOP/s\n\n", peak);

    // Three batches, cycled, so no step sees the cache state of the one before exactly.
    ctnet::Rng rng(1);
    std::array<std::unique_ptr<ctnet::Matrix<float, 100, 784>>, 3> x;
    std::array<std::array<std::uint8_t, 100>, 3> t{};
    for (std::size_t b = 0; b < 3; ++b) {
        x[b] = std::make_unique<ctnet::Matrix<float, 100, 784>>();
        ctnet::fill_uniform(*x[b], rng, 0.0f, 1.0f);
        for (auto& label : t[b]) label = static_cast<std::uint8_t>(rng.below(10));
    }
    int which = 0;
    auto next = [&] { return which = (which + 1) % 3; };

    auto net = std::make_unique<ctnet::Model<TwoLayerNet, float, 100>>();
    ctnet::Sgd sgd{0.1};
    const double fused = bench::median_ns([&] { const int b = next(); bench::keep(net->sgd_step(*x[b], t[b], 0.1f)); });
    const double separate = bench::median_ns([&] {
        const int b = next();
        bench::keep(net->gradient(*x[b], t[b]));
        sgd.update(*net);
    });

    auto one = std::make_unique<ctnet::Model<TwoLayerNet, float, 1>>();
    ctnet::Matrix<float, 1, 784> sample;
    for (std::size_t j = 0; j < 784; ++j) sample(0, j) = (*x[0])(0, j);
    const double latency = bench::median_ns([&] { bench::keep(ctnet::row_argmax(one->predict(sample))[0]); });

    auto line = [&](const char* name, double ns) {
        const double g = step_flops / ns;
        fmt::print("{:<44} {:>8.1f} us {:>7.1f} GFLOP/s {:>5.0f}% of peak\n", name, ns / 1e3, g, 100 * g / peak);
    };
    line("ctnet  sgd_step (update fused into backward)", fused);
    line("ctnet  gradient() then Sgd::update", separate);
#ifdef CTNET_BENCH_EIGEN
    auto peer = std::make_unique<bench::eigen_peer::TwoLayerNet>();
    peer->init(0);
    std::array<std::unique_ptr<Eigen::Matrix<float, 100, 784, Eigen::RowMajor>>, 3> ex;
    for (std::size_t b = 0; b < 3; ++b) {
        ex[b] = std::make_unique<Eigen::Matrix<float, 100, 784, Eigen::RowMajor>>();
        for (int i = 0; i < 100; ++i)
            for (int j = 0; j < 784; ++j) (*ex[b])(i, j) = (*x[b])(std::size_t(i), std::size_t(j));
    }
    const double eigen_fused = bench::median_ns([&] { const int b = next(); bench::keep(peer->step(*ex[b], t[b], 0.1f)); });
    const double eigen_separate =
        bench::median_ns([&] { const int b = next(); bench::keep(peer->step_with_gradients(*ex[b], t[b], 0.1f)); });
    Eigen::Matrix<float, 1, 784, Eigen::RowMajor> esample = ex[0]->row(0);
    int cls = 0;
    const double eigen_latency = bench::median_ns([&] { bench::keep(peer->predict_one(esample, cls)); });
    line("Eigen  step, update fused into the products", eigen_fused);
    line("Eigen  step, gradients stored then applied", eigen_separate);
    fmt::print("\nspeedup ctnet/Eigen: {:.2f}x (fused), {:.2f}x (separate)\n", eigen_fused / fused,
               eigen_separate / separate);
    fmt::print("batch-1 inference (predict + argmax): ctnet {:.2f} us, Eigen {:.2f} us\n", latency / 1e3,
               eigen_latency / 1e3);
#else
    fmt::print("\nbatch-1 inference (predict + argmax): ctnet {:.2f} us\n", latency / 1e3);
    fmt::print("(Eigen 3.4 not found: install libeigen3-dev for the peer)\n");
#endif
}
