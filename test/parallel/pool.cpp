// Tests for parallel/pool.hpp: every chunk run once, nesting and concurrent callers, the thread
// count's API; and the promise it makes, that products, training steps and evaluations give the
// same bits on 1, 2, 3 and 8 threads (each product split every way product.hpp splits one).
#include "ctnet/parallel/pool.hpp"

#include <boost/test/unit_test.hpp>

#include <array>
#include <atomic>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "ctnet/net.hpp"
#include "../support/reference.hpp"

using ctnet::Matrix;
using ctnet::test::random_matrix;

namespace {

constexpr std::size_t thread_counts[] = {1, 2, 3, 8};

template <class T, std::size_t R, std::size_t C>
bool same_bits(const Matrix<T, R, C>& a, const Matrix<T, R, C>& b) {
    return std::memcmp(a.data(), b.data(), sizeof(T) * R * Matrix<T, R, C>::stride) == 0;
}

// f() computed with 1 thread, then with each other count: the results must be identical.
template <class F>
void expect_same_on_every_count(const F& f) {
    ctnet::ThreadCount one(1);
    const auto reference = f();
    for (const std::size_t n : thread_counts) {
        ctnet::ThreadCount scope(n);
        BOOST_TEST_CONTEXT("threads " << n) BOOST_TEST(same_bits(*f(), *reference));
    }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(pool)

BOOST_AUTO_TEST_CASE(every_chunk_runs_once_in_at_most_four_blocks_per_thread) {
    for (const std::size_t n : thread_counts) {
        ctnet::ThreadCount scope(n);
        BOOST_TEST(ctnet::threads() == n);
        for (const std::size_t chunks : {1, 2, 3, 7, 8, 9, 100}) {
            std::vector<std::atomic<int>> runs(chunks);
            std::atomic<int> calls{0}, bad_ranges{0};  // (Boost.Test's checks are for the main thread only)
            ctnet::parallel::for_chunks(chunks, [&](std::size_t first, std::size_t last) {
                bad_ranges += !(first < last && last <= chunks);
                ++calls;
                for (std::size_t c = first; c < last && c < chunks; ++c) ++runs[c];
            });
            BOOST_TEST(bad_ranges == 0);
            for (std::size_t c = 0; c < chunks; ++c) BOOST_TEST(runs[c] == 1, "chunk " << c << " of " << chunks);
            BOOST_TEST(calls <= static_cast<int>(std::min(4 * n, chunks)));
        }
        int untouched = 0;
        ctnet::parallel::for_chunks(0, [&](std::size_t, std::size_t) { ++untouched; });
        BOOST_TEST(untouched == 0);
    }
}

BOOST_AUTO_TEST_CASE(a_job_inside_a_chunk_runs_on_that_thread) {
    ctnet::ThreadCount scope(3);
    std::array<std::atomic<int>, 6 * 5> runs{};
    std::atomic<int> split{0};
    ctnet::parallel::for_chunks(6, [&](std::size_t first, std::size_t last) {
        for (std::size_t c = first; c < last; ++c) {
            int calls = 0;
            ctnet::parallel::for_chunks(5, [&](std::size_t f, std::size_t l) {
                ++calls;
                for (std::size_t d = f; d < l; ++d) ++runs[c * 5 + d];
            });
            split += calls != 1;
        }
    });
    BOOST_TEST(split == 0);
    for (const auto& r : runs) BOOST_TEST(r == 1);
}

BOOST_AUTO_TEST_CASE(callers_on_several_threads_each_get_their_work_done) {
    ctnet::ThreadCount scope(2);
    std::atomic<long> total{0};
    auto caller = [&] {
        for (int job = 0; job < 2000; ++job)
            ctnet::parallel::for_chunks(4, [&](std::size_t first, std::size_t last) {
                total += static_cast<long>(last - first);
            });
    };
    std::thread a(caller), b(caller);
    caller();
    a.join();
    b.join();
    BOOST_TEST(total == 3 * 2000 * 4);
}

BOOST_AUTO_TEST_CASE(thread_count_api) {
    BOOST_TEST(ctnet::available_cores() >= 1u);
    {
        ctnet::ThreadCount scope(0);
        BOOST_TEST(ctnet::threads() == ctnet::available_cores());
        {
            ctnet::ThreadCount inner(5);
            BOOST_TEST(ctnet::threads() == 5u);
        }
        BOOST_TEST(ctnet::threads() == ctnet::available_cores());
    }
    const std::size_t before = ctnet::threads();
    BOOST_CHECK_THROW(ctnet::set_threads(5000), ctnet::Error);
    BOOST_TEST(ctnet::threads() == before);
}

// Each product form in each way it is cut: the outer kernel by columns and by rows, with A read
// transposed (the weight gradient, its rows 2 KiB apart too) and with a small B transposed first;
// the inner kernel by rows and by columns, a single row streaming; assignments that read the
// destination and epilogues. Odd sizes leave remainders in every piece.
BOOST_AUTO_TEST_CASE(products_are_the_same_bits_on_every_thread_count) {
    const auto a = random_matrix<float, 37, 129>(1);
    const auto b = random_matrix<float, 129, 301>(2);
    expect_same_on_every_count([&] { return std::make_unique<Matrix<float, 37, 301>>(dot(a, b)); });
    const auto a2 = random_matrix<double, 301, 129>(3);
    const auto b2 = random_matrix<double, 129, 37>(4);
    expect_same_on_every_count([&] { return std::make_unique<Matrix<double, 301, 37>>(dot(a2, b2)); });

    const auto dy = random_matrix<float, 100, 50>(5);
    const auto x = random_matrix<float, 100, 784>(6);
    const auto w = random_matrix<float, 50, 784>(7);
    expect_same_on_every_count([&] {
        auto m = std::make_unique<Matrix<float, 50, 784>>(w);
        *m -= 0.1f * dot(transpose(dy), x);
        return m;
    });
    const auto dh = random_matrix<float, 100, 512>(8);
    expect_same_on_every_count([&] { return std::make_unique<Matrix<float, 512, 784>>(dot(transpose(dh), x)); });
    expect_same_on_every_count([&] { return std::make_unique<Matrix<float, 100, 784>>(dot(dy, w)); });

    const auto bias = random_matrix<float, 1, 50>(9);
    expect_same_on_every_count(
        [&] { return std::make_unique<Matrix<float, 100, 50>>(max(dot(x, transpose(w)) + bias, 0.0f)); });
    const auto x3 = random_matrix<double, 3, 784>(10);
    const auto w3 = random_matrix<double, 1000, 784>(11);
    expect_same_on_every_count([&] { return std::make_unique<Matrix<double, 3, 1000>>(dot(x3, transpose(w3))); });
    const auto x1 = random_matrix<float, 1, 784>(12);
    const auto w1 = random_matrix<float, 2048, 784>(13);
    expect_same_on_every_count([&] { return std::make_unique<Matrix<float, 1, 2048>>(dot(x1, transpose(w1))); });
    const auto n9 = random_matrix<float, 1000, 9>(14);
    const auto m9 = random_matrix<float, 301, 9>(15);
    expect_same_on_every_count([&] {
        auto m = std::make_unique<Matrix<float, 1000, 301>>();
        m->set_zero();
        *m += dot(n9, transpose(m9));
        return m;
    });
}

// N labels, (i * b) % 10 for sample i.
template <std::size_t N>
std::array<int, N> patterned_labels(std::size_t b) {
    std::array<int, N> t{};
    for (std::size_t i = 0; i < N; ++i) t[i] = static_cast<int>(i * b % 10);
    return t;
}

// n samples of 784 inputs, value i of them (i * a % m) / m, labelled as patterned_labels(b).
struct Samples {
    std::vector<float> inputs;
    std::vector<int> labels;
};
Samples patterned_samples(std::size_t n, std::size_t a, std::size_t m, std::size_t b) {
    Samples s{std::vector<float>(n * 784), std::vector<int>(n)};
    for (std::size_t i = 0; i < s.inputs.size(); ++i) s.inputs[i] = static_cast<float>(i * a % m) / static_cast<float>(m);
    for (std::size_t i = 0; i < n; ++i) s.labels[i] = static_cast<int>(i * b % 10);
    return s;
}

BOOST_AUTO_TEST_CASE(training_and_evaluation_are_the_same_bits_on_every_thread_count) {
    using Net = ctnet::Sequential<ctnet::Affine<784, 300>, ctnet::BatchNorm, ctnet::Relu, ctnet::Dropout,
                                  ctnet::Affine<300, 10>, ctnet::SoftmaxWithLoss>;
    using M = ctnet::Model<Net, float, 100>;
    const auto x = random_matrix<float, 100, 784>(21, 0.0, 1.0);
    const auto t = patterned_labels<100>(7);
    const Samples samples = patterned_samples(250, 37, 101, 1);
    const auto& [inputs, labels] = samples;

    auto run = [&] {
        auto net = std::make_unique<M>(ctnet::Init::he(), 3);
        net->set_dropout(0.2);
        std::vector<float> losses;
        for (int step = 0; step < 3; ++step) losses.push_back(net->sgd_step(x, t, 0.1f));
        const auto eval = net->evaluate(std::span<const float>(inputs), labels);
        return std::make_tuple(std::move(net), losses, eval.loss, eval.accuracy);
    };
    ctnet::ThreadCount one(1);
    const auto [reference, losses, loss, accuracy] = run();
    for (const std::size_t n : thread_counts) {
        ctnet::ThreadCount scope(n);
        const auto [net, l, e, a] = run();
        BOOST_TEST_CONTEXT("threads " << n) {
            BOOST_TEST(l == losses, boost::test_tools::per_element());
            BOOST_TEST(e == loss);
            BOOST_TEST(a == accuracy);
            BOOST_TEST(same_bits(net->template layer<0>().W, reference->template layer<0>().W));
            BOOST_TEST(same_bits(net->template layer<4>().W, reference->template layer<4>().W));
        }
    }
}

BOOST_AUTO_TEST_CASE(a_small_network_evaluates_whole_batches_on_each_thread_with_the_same_bits) {
    // Its parameters (63,800 bytes) fit in half of any L2 cache, so with two
    // threads or more its 21 batches (the last of 30 samples) are shared out
    // whole, each thread on its own copy of the network (Model::evaluate_batches).
    using Net = ctnet::Sequential<ctnet::Affine<784, 20>, ctnet::BatchNorm, ctnet::Relu, ctnet::Dropout,
                                  ctnet::Affine<20, 10>, ctnet::SoftmaxWithLoss>;
    using M = ctnet::Model<Net, float, 50>;
    const auto x = random_matrix<float, 50, 784>(31, 0.0, 1.0);
    const auto t = patterned_labels<50>(3);
    const Samples samples = patterned_samples(1030, 41, 103, 7);
    const auto& [inputs, labels] = samples;

    ctnet::ThreadCount one(1);
    auto net = std::make_unique<M>(ctnet::Init::he(), 5);
    BOOST_TEST(net->parameter_bytes() == (784 * 20 + 20 + 20 + 20 + 20 * 10 + 10) * sizeof(float));
    net->set_dropout(0.3);
    for (int step = 0; step < 3; ++step) net->sgd_step(x, t, 0.1f);  // BatchNorm's running statistics move
    const auto reference = net->evaluate(std::span<const float>(inputs), labels);
    BOOST_TEST(reference.accuracy > 0.0);
    auto bad = labels;
    bad[900] = 10;  // out of range, in the 19th batch
    for (const std::size_t n : thread_counts) {
        ctnet::ThreadCount scope(n);
        BOOST_TEST_CONTEXT("threads " << n) {
            const auto e = net->evaluate(std::span<const float>(inputs), labels);
            BOOST_TEST(e.loss == reference.loss);
            BOOST_TEST(e.accuracy == reference.accuracy);
            // A failure on any thread reaches the caller, as on one.
            BOOST_CHECK_EXCEPTION(net->evaluate(std::span<const float>(inputs), bad), ctnet::Error,
                                  [](const ctnet::Error& err) { return std::string(err.what()).find("out of range") != std::string::npos; });
            // The network itself is untouched: a second evaluation is the same.
            BOOST_TEST(net->evaluate(std::span<const float>(inputs), labels).loss == reference.loss);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
