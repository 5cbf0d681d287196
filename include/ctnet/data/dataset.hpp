// dataset.hpp — the DataSet concept: what ctnet::train needs of the data it trains on.
#pragma once

#include <concepts>
#include <cstddef>

namespace ctnet {

// One split (training or test) of a data set: size() samples of width()
// values each, fill_row(i, dst) writing sample i's values as the network
// reads them (normalised as the data set says: MNIST's bytes become [0, 1]),
// and `labels`, a contiguous range of size() class indices. A split may also
// have prefetch_row(i), a hint that sample i is wanted soon: the trainer calls
// it for the next batch while a step computes, and an evaluation for the
// samples a few rows ahead of the one it converts (train/batches.hpp). With more than one thread
// (TrainOptions::threads) the trainer calls fill_row for different rows
// from several threads at once, so it must only read the split.
template <class S, class T>
concept DataSplit = requires(const S& s, std::size_t i, T* dst) {
    { s.size() } -> std::convertible_to<std::size_t>;
    { s.width() } -> std::convertible_to<std::size_t>;
    s.fill_row(i, dst);
    { s.labels.data() };
    { s.labels.size() } -> std::convertible_to<std::size_t>;
    requires std::integral<std::remove_cvref_t<decltype(s.labels[0])>>;
};

// A data set: a `train` and a `test` split. MnistRaw (data/mnist.hpp) and
// CsvDataSet (data/csv.hpp) are two; anything else of this shape trains too.
//
//     static_assert(ctnet::DataSet<ctnet::MnistRaw, float>);
template <class D, class T>
concept DataSet = requires(const D& d) {
    requires DataSplit<std::remove_cvref_t<decltype(d.train)>, T>;
    requires DataSplit<std::remove_cvref_t<decltype(d.test)>, T>;
};

}  // namespace ctnet
