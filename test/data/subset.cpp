// Tests for data/subset.hpp: a subset reads its rows and labels from the split, in its own order; the orders it is made from.
#include "ctnet/data/subset.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <vector>

#include "ctnet/data/dataset.hpp"
#include "ctnet/data/mnist.hpp"

namespace {

// A split whose sample i holds i in each of its 3 values.
struct Counting {
    std::vector<int> labels{7, 1, 4, 2, 9};
    std::size_t size() const { return labels.size(); }
    std::size_t width() const { return 3; }
    void fill_row(std::size_t i, float* dst) const { std::fill(dst, dst + 3, static_cast<float>(i)); }
};

}  // namespace

static_assert(ctnet::DataSplit<ctnet::Subset<Counting>, float>);
static_assert(ctnet::DataSet<ctnet::DataPair<ctnet::Subset<ctnet::MnistBytes>, ctnet::MnistBytes>, float>);

BOOST_AUTO_TEST_SUITE(subset)

BOOST_AUTO_TEST_CASE(rows_and_labels_come_from_the_split_in_the_subsets_order) {
    const Counting split;
    const ctnet::Subset sub(split, {4, 0, 4});
    BOOST_TEST(sub.size() == 3u);
    BOOST_TEST(sub.width() == 3u);
    BOOST_TEST(sub.labels == (std::vector<std::uint32_t>{9, 7, 9}), boost::test_tools::per_element());
    float row[3];
    sub.fill_row(1, row);
    BOOST_TEST(row[2] == 0.0f);
    sub.fill_row(2, row);
    BOOST_TEST(row[0] == 4.0f);
    BOOST_CHECK_THROW(ctnet::Subset(split, {5}), ctnet::Error);  // past the split's end
}

BOOST_AUTO_TEST_CASE(first_and_shuffled_rows) {
    BOOST_TEST(ctnet::first_rows(3) == (std::vector<std::size_t>{0, 1, 2}), boost::test_tools::per_element());
    const auto a = ctnet::shuffled_rows(1000, 5), b = ctnet::shuffled_rows(1000, 5), c = ctnet::shuffled_rows(1000, 6);
    BOOST_TEST(a == b);  // the seed decides the order
    BOOST_TEST(a != c);
    BOOST_TEST(a != ctnet::first_rows(1000));
    auto sorted = a;
    std::sort(sorted.begin(), sorted.end());
    BOOST_TEST(sorted == ctnet::first_rows(1000));  // a permutation
    BOOST_TEST(ctnet::shuffled_rows(0, 1).empty());
}

BOOST_AUTO_TEST_SUITE_END()
