// Tests for data/shard.hpp: the rows and samples of each rank partition the batch and the data set.
#include "ctnet/data/shard.hpp"

#include <boost/test/unit_test.hpp>

#include "ctnet/data/bundled.hpp"
#include "ctnet/data/mnist.hpp"

BOOST_AUTO_TEST_SUITE(shard)

// For every rank count the ranks' rows tile the global batch, and their
// training samples tile the data set, in rank order.
BOOST_AUTO_TEST_CASE(ranks_tile_the_batch_and_the_data) {
    for (const std::size_t n : {60000u, 8000u, 101u, 7u})
        for (const std::size_t batch : {1u, 7u, 60u, 100u})
            for (std::size_t ranks = 1; ranks <= batch && ranks <= 9; ++ranks) {
                if (n < batch) continue;
                std::size_t row = 0, sample = 0, test = 0;
                for (std::size_t r = 0; r < ranks; ++r) {
                    const ctnet::Shard s{r, ranks, batch};
                    BOOST_TEST(s.batch_rows().first == row);
                    BOOST_TEST(s.train_rows(n).first == sample);
                    BOOST_TEST(s.test_rows(n).first == test);
                    BOOST_TEST(s.batch_rows().size() >= batch / ranks);
                    BOOST_TEST(s.batch_rows().size() <= batch / ranks + 1);
                    row = s.batch_rows().last;
                    sample = s.train_rows(n).last;
                    test = s.test_rows(n).last;
                }
                BOOST_TEST(row == batch);
                BOOST_TEST(sample == n);
                BOOST_TEST(test == n);
            }
}

BOOST_AUTO_TEST_CASE(nonsense_is_refused) {
    BOOST_CHECK_THROW((ctnet::Shard{2, 2, 100}.check()), ctnet::Error);
    BOOST_CHECK_THROW((ctnet::Shard{0, 0, 100}.check()), ctnet::Error);
    BOOST_CHECK_THROW((ctnet::Shard{0, 3, 2}.check()), ctnet::Error);
    BOOST_CHECK_NO_THROW((ctnet::Shard{2, 3, 3}.check()));
}

// read_mnist(dir, shard) keeps exactly the samples the shard names.
BOOST_AUTO_TEST_CASE(read_mnist_keeps_the_shard) {
    const ctnet::MnistRaw all = ctnet::read_mnist(ctnet::bundled_mnist_dir());
    const ctnet::Shard shard{1, 3, 100};
    const ctnet::MnistRaw part = ctnet::read_mnist(ctnet::bundled_mnist_dir(), shard);
    const ctnet::SampleRange train = shard.train_rows(all.train.size()), test = shard.test_rows(all.test.size());
    BOOST_TEST_REQUIRE(part.train.size() == train.size());
    BOOST_TEST_REQUIRE(part.test.size() == test.size());
    BOOST_TEST(part.train.labels[0] == all.train.labels[train.first]);
    BOOST_TEST(part.train.labels.back() == all.train.labels[train.last - 1]);
    BOOST_TEST(part.train.images[5 * 784 + 300] == all.train.images[(train.first + 5) * 784 + 300]);
    BOOST_TEST(part.test.images.back() == all.test.images[test.last * 784 - 1]);
    // A global batch larger than the data set cannot draw one sample per row.
    BOOST_CHECK_THROW(ctnet::read_mnist(ctnet::bundled_mnist_dir(), ctnet::Shard{0, 1, 9000}), ctnet::Error);
}

BOOST_AUTO_TEST_SUITE_END()
