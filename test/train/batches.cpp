// Tests for train/batches.hpp: rows gathered on any thread count, batches drawn as the book draws them, whole splits evaluated.
#include "ctnet/train/batches.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <vector>

#include "ctnet/data/bundled.hpp"
#include "ctnet/data/mnist.hpp"
#include "ctnet/net.hpp"

namespace {

// A split of 50 samples whose sample i holds i + c / 10 in column c, and label i % 7.
struct Numbered {
    std::vector<int> labels;
    Numbered() {
        for (int i = 0; i < 50; ++i) labels.push_back(i % 7);
    }
    std::size_t size() const { return labels.size(); }
    std::size_t width() const { return 5; }
    void fill_row(std::size_t i, float* dst) const {
        for (int c = 0; c < 5; ++c) dst[c] = static_cast<float>(i) + static_cast<float>(c) / 10;
    }
};

// The same split, able to prefetch: it records which samples it was asked for ahead.
struct Prefetching : Numbered {
    std::vector<std::size_t>* asked;
    explicit Prefetching(std::vector<std::size_t>& into) : asked(&into) {}
    void prefetch_row(std::size_t i) const { asked->push_back(i); }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(batches)

BOOST_AUTO_TEST_CASE(a_gather_asks_for_the_rows_gather_ahead_further_on_and_converts_the_same) {
    ctnet::ThreadCount one(1);
    std::vector<std::size_t> asked;
    const Prefetching split(asked);
    const auto sample = [](std::size_t r) { return 40 - 3 * r; };
    ctnet::Matrix<float, 9, 5> x, plain;
    ctnet::gather_rows(split, 9, sample, x);
    ctnet::gather_rows(Numbered{}, 9, sample, plain);
    BOOST_TEST(ctnet::gather_ahead == 4u);
    BOOST_TEST(asked == (std::vector<std::size_t>{sample(4), sample(5), sample(6), sample(7), sample(8)}),
               boost::test_tools::per_element());
    for (std::size_t r = 0; r < 9; ++r)
        for (std::size_t c = 0; c < 5; ++c) BOOST_TEST(x(r, c) == plain(r, c));

    asked.clear();
    ctnet::gather_rows(split, 3, sample, x, [](std::size_t r) { return r == 1 ? ctnet::no_row : 100 + r; });
    BOOST_TEST(asked == (std::vector<std::size_t>{100, 102}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(an_evaluation_asks_for_every_later_sample_once_and_none_past_the_end) {
    ctnet::ThreadCount one(1);
    using Net = ctnet::Sequential<ctnet::Affine<5, 7>, ctnet::SoftmaxWithLoss>;
    ctnet::Model<Net, float, 16> net(ctnet::Init::he(), 5);
    std::vector<std::size_t> asked;
    const Prefetching split(asked);
    // 45 of the 50 samples: two whole batches of 16 and one of 13; the requests
    // run on from one batch into the next and stop at the 45th.
    const auto with = ctnet::evaluate_split(net, split, 45);
    const auto without = ctnet::evaluate_split(net, Numbered{}, 45);
    std::vector<std::size_t> expected;
    for (std::size_t i = ctnet::gather_ahead; i < 45; ++i) expected.push_back(i);
    BOOST_TEST(asked == expected, boost::test_tools::per_element());
    BOOST_TEST(with.loss == without.loss);
    BOOST_TEST(with.accuracy == without.accuracy);
}

BOOST_AUTO_TEST_CASE(rows_land_where_asked_on_every_thread_count) {
    const Numbered split;
    // Emulated (qemu), one thread: spinning workers on shared emulated cores crawl there (the pool's
    // own suite, test/parallel, is left to the native and sanitized runs for the same reason).
    const std::vector<std::size_t> counts =
        std::getenv("CTNET_EMULATED") ? std::vector<std::size_t>{1} : std::vector<std::size_t>{1, 2, 3};
    for (const std::size_t threads : counts) {
        ctnet::ThreadCount scope(threads);
        ctnet::Matrix<float, 9, 5> x;
        x.fill(-1);
        ctnet::gather_rows(split, 7, [](std::size_t r) { return 40 - 3 * r; }, x);
        for (std::size_t r = 0; r < 9; ++r)
            for (std::size_t c = 0; c < 5; ++c)
                BOOST_TEST(x(r, c) == (r < 7 ? static_cast<float>(40 - 3 * r) + static_cast<float>(c) / 10 : -1.0f));
    }
}

BOOST_AUTO_TEST_CASE(a_random_batch_is_drawn_with_replacement_from_the_seeded_stream) {
    const Numbered split;
    ctnet::Rng rng(11), same(11);
    ctnet::Matrix<float, 8, 5> x;
    std::array<std::uint32_t, 8> t{};
    ctnet::random_batch(split, rng, x, t);
    for (std::size_t r = 0; r < 8; ++r) {
        const auto sample = same.below(50);
        BOOST_TEST(x(r, 0) == static_cast<float>(sample));
        BOOST_TEST(t[r] == sample % 7);
    }
    BOOST_TEST(rng.state() == same.state());
}

BOOST_AUTO_TEST_CASE(a_split_evaluates_as_its_rows_would) {
    const ctnet::MnistRaw mnist = ctnet::read_mnist(ctnet::bundled_mnist_dir());
    using Net = ctnet::Sequential<ctnet::Affine<784, 20>, ctnet::Relu, ctnet::Affine<20, 10>, ctnet::SoftmaxWithLoss>;
    ctnet::Model<Net, float, 64> net(ctnet::Init::he(), 3);
    std::vector<float> rows(mnist.test.size() * 784);
    for (std::size_t i = 0; i < mnist.test.size(); ++i) mnist.test.fill_row(i, rows.data() + i * 784);
    const auto whole = net.evaluate(std::span<const float>(rows), mnist.test.labels);
    const auto split = ctnet::evaluate_split(net, mnist.test);
    BOOST_TEST(split.loss == whole.loss);
    BOOST_TEST(split.accuracy == whole.accuracy);
    BOOST_TEST(split.accuracy > 0.0);
}

BOOST_AUTO_TEST_SUITE_END()
