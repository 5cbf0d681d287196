// gather.cpp — how long a batch of MNIST images takes to gather (bytes to floats) when and how it is prefetched.
//
// The trainer's batch is 100 images drawn at random from 47 MB of bytes
// (Fashion-MNIST's 60,000, beyond the L3 of most machines); an evaluation
// reads the images in order, batch after batch. Between two gathers a real
// TwoLayerNet step (or, for evaluation, its forward pass) runs, as in
// train(), so the prefetched lines must survive a step's working set. Each
// figure is the median time of the gather alone, per batch of 100:
//
//   random batch, rows already in cache     the floor: converting 78 KB to 313 KB of floats
//   random batch, nothing asked for ahead   every image a miss to memory
//   random batch, asked for after gather    the next batch's rows requested, then the step (the trainer's way)
//   random batch, asked for during gather   one next-batch image per row converted, then the step
//   in order, nothing asked for ahead       the hardware's stream prefetcher alone
//   in order, gather_ahead rows ahead       evaluate_split's way (train/batches.hpp)
#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <random>
#include <vector>

#include "ctnet/data/mnist.hpp"
#include "ctnet/net.hpp"
#include "ctnet/train/batches.hpp"
#include "support.hpp"

namespace {

using TwoLayerNet = ctnet::Sequential<ctnet::Affine<784, 50>, ctnet::Relu, ctnet::Affine<50, 10>, ctnet::SoftmaxWithLoss>;
using Clock = std::chrono::steady_clock;
constexpr std::size_t images = 60000, batch = 100;

enum class Random { hot, cold, after, during };

}  // namespace

int main() {
    fmt::print("gathering a batch of 100 MNIST images (bytes to floats), {} backend, {} MB of images\n\n",
               ctnet::simd::backend_name, images * 784 / 1000000);
    ctnet::MnistBytes data;
    data.images.resize(images * 784);
    data.labels.assign(images, 0);
    std::mt19937 gen(1);
    for (auto& b : data.images) b = static_cast<std::uint8_t>(gen() & 255);

    auto x = std::make_unique<ctnet::Matrix<float, batch, 784>>();
    auto net = std::make_unique<ctnet::Model<TwoLayerNet, float, batch>>();
    std::array<std::uint8_t, batch> t{};
    const auto step = [&] { bench::keep(net->sgd_step(*x, t, 0.01f)); };
    const auto seconds_of = [](auto f) {
        const auto t0 = Clock::now();
        f();
        return std::chrono::duration<double, std::micro>(Clock::now() - t0).count();
    };
    const auto line = [](const char* what, double us) { fmt::print("{:<44} {:7.2f} us\n", what, us); };

    for (const Random mode : {Random::hot, Random::cold, Random::after, Random::during}) {
        std::array<std::size_t, batch> rows{}, next{};
        for (auto& k : next) k = gen() % images;
        std::vector<double> us;
        for (int it = 0; it < 3000; ++it) {
            rows = next;
            if (mode != Random::hot)
                for (auto& k : next) k = gen() % images;
            us.push_back(seconds_of([&] {
                ctnet::gather_rows(data, batch, [&](std::size_t r) { return rows[r]; }, *x, [&](std::size_t r) {
                    return mode == Random::during ? next[r] : ctnet::no_row;
                });
            }));
            if (mode == Random::after)
                for (const auto k : next) data.prefetch_row(k);
            step();
        }
        line(mode == Random::hot      ? "random batch, rows already in cache"
             : mode == Random::cold   ? "random batch, nothing asked for ahead"
             : mode == Random::after  ? "random batch, asked for after the gather"
                                      : "random batch, asked for during the gather",
             bench::median(us));
    }

    for (const std::size_t ahead : {std::size_t{0}, ctnet::gather_ahead}) {
        std::vector<double> us;
        for (int pass = 0; pass < 3; ++pass)
            for (std::size_t first = 0; first < images; first += batch) {
                us.push_back(seconds_of([&] {
                    ctnet::gather_rows(data, batch, [first](std::size_t r) { return first + r; }, *x,
                                       [&](std::size_t r) {
                                           const std::size_t k = first + r + ahead;
                                           return ahead > 0 && k < images ? k : ctnet::no_row;
                                       });
                }));
                bench::keep(net->predict(*x)(0, 0));
            }
        line(ahead == 0 ? "in order, nothing asked for ahead" : "in order, gather_ahead (4) rows ahead", bench::median(us));
    }
}
