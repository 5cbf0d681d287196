// Tests for train/sampler.hpp: each row draws from its block, any rank count draws the same, and every sample is reached.
#include "ctnet/train/sampler.hpp"

#include <boost/test/unit_test.hpp>

#include <set>
#include <vector>

BOOST_AUTO_TEST_SUITE(sampler)

BOOST_AUTO_TEST_CASE(each_row_draws_from_its_block) {
    const ctnet::Shard shard{0, 1, 100};
    const std::size_t n = 8000;
    for (std::uint64_t step = 0; step < 50; ++step) {
        std::set<std::size_t> batch;
        for (std::size_t row = 0; row < 100; ++row) {
            const std::size_t k = ctnet::stratified_sample(7, step, row, shard, n);
            BOOST_TEST(k >= row * 80);
            BOOST_TEST(k < (row + 1) * 80);
            batch.insert(k);
        }
        BOOST_TEST(batch.size() == 100u);  // no sample twice in a batch
    }
}

// The draw depends on seed, step and row alone: a rank's rows are the single process's.
BOOST_AUTO_TEST_CASE(the_same_batches_for_any_number_of_ranks) {
    const std::size_t n = 8000, batch = 60;
    std::vector<std::size_t> one;
    for (std::size_t row = 0; row < batch; ++row) one.push_back(ctnet::stratified_sample(3, 11, row, {0, 1, batch}, n));
    for (std::size_t ranks = 2; ranks <= 6; ++ranks) {
        std::vector<std::size_t> all;
        for (std::size_t r = 0; r < ranks; ++r) {
            const ctnet::Shard s{r, ranks, batch};
            for (std::size_t row = s.batch_rows().first; row < s.batch_rows().last; ++row) {
                const std::size_t k = ctnet::stratified_sample(3, 11, row, s, n);
                BOOST_TEST((k >= s.train_rows(n).first && k < s.train_rows(n).last));  // within its shard
                all.push_back(k);
            }
        }
        BOOST_TEST(all == one);
    }
}

// Over many steps every sample of a block is drawn, about equally often
// (the book's sampler reaches each with probability batch / n per step).
BOOST_AUTO_TEST_CASE(every_sample_is_drawn_evenly) {
    const ctnet::Shard shard{0, 1, 10};
    const std::size_t n = 100;  // blocks of 10
    std::vector<int> count(n, 0);
    const int steps = 20000;
    for (int step = 0; step < steps; ++step)
        for (std::size_t row = 0; row < 10; ++row) ++count[ctnet::stratified_sample(1, step, row, shard, n)];
    for (const int c : count) {  // expected 2,000 each; 5 standard deviations is about 212
        BOOST_TEST(c > 1780);
        BOOST_TEST(c < 2220);
    }
    // Another seed, other batches.
    int same = 0;
    for (std::size_t row = 0; row < 10; ++row)
        same += ctnet::stratified_sample(1, 5, row, shard, n) == ctnet::stratified_sample(2, 5, row, shard, n);
    BOOST_TEST(same < 5);
}

BOOST_AUTO_TEST_SUITE_END()
