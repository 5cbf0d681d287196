// gather.cpp — how long a batch of MNIST images takes to gather (bytes to floats) when and how it is prefetched.
//
//     bench_gather [DIR]     random bytes (4 KB pages), or DIR's training images as read_mnist holds them
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
//   random batch, asked for after gather    the next batch's rows requested back to back, then the step
//   random batch, asked for during gather   one next-batch image per row converted, then the step (the trainer's way)
//   in order, nothing asked for ahead       the hardware's stream prefetcher alone
//   in order, gather_ahead rows ahead       evaluate_split's way (train/batches.hpp)
//
// The two ways of asking ahead trade places with the page size: read_mnist's
// buffers ask for 2 MB pages (io/read_file.hpp), a plain vector has 4 KB ones.
#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <random>
#include <vector>

#include "ctnet/data/mnist.hpp"
#include "ctnet/io/read_file.hpp"
#include "ctnet/net.hpp"
#include "ctnet/train/batches.hpp"
#include "support.hpp"

namespace {

using TwoLayerNet = ctnet::Sequential<ctnet::Affine<784, 50>, ctnet::Relu, ctnet::Affine<50, 10>, ctnet::SoftmaxWithLoss>;
using Clock = std::chrono::steady_clock;
constexpr std::size_t batch = 100;
constexpr std::size_t random_images = 60000;

enum class Random { hot, cold, after, during };

double microseconds_of(const auto& f) {
    const auto t0 = Clock::now();
    f();
    return std::chrono::duration<double, std::micro>(Clock::now() - t0).count();
}

// 60,000 images of random bytes, on 4 KB pages or (huge) asking for 2 MB ones.
ctnet::MnistBytes random_bytes(bool huge) {
    ctnet::MnistBytes data;
    data.images.reserve(random_images * 784);
    if (huge) ctnet::advise_huge_pages(data.images.data(), random_images * 784);
    data.images.resize(random_images * 784);
    data.labels.assign(random_images, 0);
    std::mt19937 gen(1);
    for (auto& b : data.images) b = static_cast<std::uint8_t>(gen() & 255);
    return data;
}

// The six medians, in the order of the rows printed.
std::vector<double> measure(const ctnet::MnistBytes& data) {
    auto x = std::make_unique<ctnet::Matrix<float, batch, 784>>();
    auto net = std::make_unique<ctnet::Model<TwoLayerNet, float, batch>>();
    std::array<std::uint8_t, batch> t{};
    std::mt19937 gen(2);
    const std::size_t images = data.size();
    std::vector<double> medians;
    for (const Random mode : {Random::hot, Random::cold, Random::after, Random::during}) {
        std::array<std::size_t, batch> rows{}, next{};
        for (auto& k : next) k = gen() % images;
        std::vector<double> us;
        for (int it = 0; it < 3000; ++it) {
            rows = next;
            if (mode != Random::hot)
                for (auto& k : next) k = gen() % images;
            us.push_back(microseconds_of([&] {
                ctnet::gather_rows(data, batch, [&](std::size_t r) { return rows[r]; }, *x, [&](std::size_t r) {
                    return mode == Random::during ? next[r] : ctnet::no_row;
                });
            }));
            if (mode == Random::after)
                for (const auto k : next) data.prefetch_row(k);
            bench::keep(net->sgd_step(*x, t, 0.01f));
        }
        medians.push_back(bench::median(us));
    }
    for (const std::size_t ahead : {std::size_t{0}, ctnet::gather_ahead}) {
        std::vector<double> us;
        for (int pass = 0; pass < 3; ++pass)
            for (std::size_t first = 0; first + batch <= images; first += batch) {
                us.push_back(microseconds_of([&] {
                    ctnet::gather_rows(data, batch, [first](std::size_t r) { return first + r; }, *x,
                                       [&](std::size_t r) {
                                           const std::size_t k = first + r + ahead;
                                           return ahead > 0 && k < images ? k : ctnet::no_row;
                                       });
                }));
                bench::keep(net->predict(*x)(0, 0));
            }
        medians.push_back(bench::median(us));
    }
    return medians;
}

}  // namespace

int main(int argc, char** argv) {
    fmt::print("gathering a batch of 100 MNIST-sized images (bytes to floats), {} backend; median us per batch\n\n",
               ctnet::simd::backend_name);
    std::vector<std::vector<double>> columns{measure(random_bytes(false)), measure(random_bytes(true))};
    if (argc > 1) columns.push_back(measure(ctnet::read_mnist(argv[1]).train));
    fmt::print("{:<46} {:>13} {:>13}{}\n", "", "random, 4 KB", "random, 2 MB", argc > 1 ? "  read_mnist(DIR)" : "");
    const char* rows[] = {"random batch, rows already in cache",      "random batch, nothing asked for ahead",
                          "random batch, asked for after the gather", "random batch, asked for during the gather",
                          "in order, nothing asked for ahead",        "in order, gather_ahead (4) rows ahead"};
    for (std::size_t r = 0; r < 6; ++r) {
        fmt::print("{:<46}", rows[r]);
        for (const auto& c : columns) fmt::print(" {:13.2f}", c[r]);
        fmt::print("\n");
    }
}
