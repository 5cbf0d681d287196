// subset.hpp — Subset: chosen samples of a data split (the book's x_train[:300], a validation split), and DataPair.
#pragma once

#include <cstddef>
#include <cstdint>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include "../config.hpp"
#include "../random.hpp"

namespace ctnet {

// The samples `rows` of a split (a DataSplit, data/dataset.hpp), in that
// order, as a split of its own: the rows are read from the split, which must
// outlive the subset; the labels are copied.
//
//     auto small = ctnet::Subset(mnist.train, ctnet::first_rows(300));   // x_train[:300], t_train[:300]
template <class Split>
class Subset {
public:
    Subset(const Split& split, std::vector<std::size_t> rows) : split_(&split), rows_(std::move(rows)) {
        labels.reserve(rows_.size());
        for (const std::size_t r : rows_) {
            if (r >= split.size())
                throw Error("Subset: sample " + std::to_string(r) + " of a split of " + std::to_string(split.size()));
            labels.push_back(static_cast<std::uint32_t>(split.labels[r]));
        }
    }

    std::size_t size() const { return rows_.size(); }
    std::size_t width() const { return split_->width(); }
    template <class T>
    void fill_row(std::size_t i, T* dst) const {
        split_->fill_row(rows_[i], dst);
    }
    void prefetch_row(std::size_t i) const
        requires requires(const Split& s) { s.prefetch_row(std::size_t{0}); }
    {
        split_->prefetch_row(rows_[i]);
    }
    // Which sample of the whole split each of this one's is.
    const std::vector<std::size_t>& rows() const { return rows_; }

    std::vector<std::uint32_t> labels;

private:
    const Split* split_;
    std::vector<std::size_t> rows_;
};

// 0, 1, ..., n - 1: the first n samples.
inline std::vector<std::size_t> first_rows(std::size_t n) {
    std::vector<std::size_t> rows(n);
    std::iota(rows.begin(), rows.end(), std::size_t{0});
    return rows;
}

// 0 .. n - 1 in a random order (Fisher-Yates on ctnet's Rng): the same order
// for the same seed on every machine, as the book's shuffle_dataset does
// with NumPy's generator.
inline std::vector<std::size_t> shuffled_rows(std::size_t n, std::uint64_t seed) {
    std::vector<std::size_t> rows = first_rows(n);
    Rng rng(seed);
    for (std::size_t i = n; i > 1; --i) std::swap(rows[i - 1], rows[rng.below(i)]);
    return rows;
}

// A data set made of any two splits, for ctnet::train: a training subset and
// a validation subset of the same split, for example.
template <class Train, class Test>
struct DataPair {
    Train train;
    Test test;
};
template <class Train, class Test>
DataPair(Train, Test) -> DataPair<Train, Test>;

}  // namespace ctnet
