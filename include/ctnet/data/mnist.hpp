// mnist.hpp — load_mnist: the book's dataset loader for any directory holding the four MNIST files.
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "../config.hpp"
#include "idx.hpp"
#include "shard.hpp"

namespace ctnet {

// The four files of an MNIST-format data set.
struct MnistFiles {
    std::filesystem::path train_images, train_labels, test_images, test_labels;
};

// Finds the four files in dir under their standard names
// (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte,
// t10k-labels-idx1-ubyte), gzip-compressed (.gz) or not, also with the
// "train-images.idx3-ubyte" spelling. Throws ctnet::Error listing what is
// missing.
MnistFiles find_mnist_files(const std::filesystem::path& dir);

template <class T>
inline T normalise_pixel(std::uint8_t byte);

// One half of a data set as stored: 28x28 bytes per image, one label each.
// A data split as ctnet::train reads one (data/dataset.hpp): each row is
// normalised to [0, 1] as it is gathered, exactly as the book's normalize=True.
struct MnistBytes {
    std::vector<std::uint8_t> images;  // size() * 784 pixels, 0..255
    std::vector<std::uint8_t> labels;  // size() labels, 0..9
    std::size_t size() const { return labels.size(); }
    static constexpr std::size_t width() { return 784; }
    template <class T>
    void fill_row(std::size_t i, T* dst) const {
        const std::uint8_t* src = images.data() + i * 784;
        for (std::size_t j = 0; j < 784; ++j) dst[j] = normalise_pixel<T>(src[j]);
    }
    // Asks for image i's 13 or 14 cache lines ahead of fill_row: the trainer
    // does this for the next batch while a step computes (47 MB of
    // Fashion-MNIST images do not stay in cache, and a batch gathered cold
    // stalled on 1,300 misses).
    void prefetch_row(std::size_t i) const {
        const std::uint8_t* src = images.data() + i * 784;
        for (std::size_t j = 0; j < 784; j += 64) __builtin_prefetch(src + j);
        __builtin_prefetch(src + 783);
    }
};

// A data set of two splits, as ctnet::train takes it.
struct MnistRaw {
    MnistBytes train, test;
};

// Reads and validates the four files of dir (see find_mnist_files and
// read_idx_images): 28x28 images, labels 0..9, as many labels as images.
MnistRaw read_mnist(const std::filesystem::path& dir);

// One rank's part of the data set for a distributed run (data/shard.hpp):
// the training images its rows of every global batch are drawn from
// (shard.train_rows) and its part of the test set (shard.test_rows). The
// files are validated whole as above; only the shard is kept.
MnistRaw read_mnist(const std::filesystem::path& dir, const Shard& shard);

// One half of a data set, as the book's arrays.
template <class T>
struct MnistSplit {
    std::vector<T> x;                  // size() * 784 values: pixels / 255 when normalised, else 0..255
    std::vector<std::uint8_t> labels;  // size() labels, 0..9
    std::vector<T> one_hot;            // size() * 10, when one_hot_label was asked for
    std::vector<std::size_t> shape;    // of x: {n, 784} flattened, {n, 1, 28, 28} otherwise
    std::size_t size() const { return labels.size(); }
};

template <class T>
struct MnistData {
    MnistSplit<T> train, test;
};

// A pixel byte scaled to [0, 1] exactly as the book's x / 255.0 rounds it. A
// multiplication by 1/255 alone is off by an ulp for 126 of the 256 byte
// values in float (24 in double); one Newton step with fused multiply-adds
// makes all 256 exact (test/data/mnist.cpp checks each), and unlike a division
// or a table it vectorises.
template <class T>
inline T normalise_pixel(std::uint8_t byte) {
    constexpr T c = T(1) / T(255);
    const T b = static_cast<T>(byte);
    const T q = b * c;
    return std::fma(std::fma(-q, T(255), b), c, q);
}

namespace impl {
template <class T>
MnistSplit<T> mnist_split(MnistBytes&& bytes, bool normalize, bool flatten, bool one_hot_label) {
    MnistSplit<T> s;
    s.x.reserve(bytes.images.size());
    for (const std::uint8_t p : bytes.images) s.x.push_back(normalize ? normalise_pixel<T>(p) : static_cast<T>(p));
    s.labels = std::move(bytes.labels);
    if (one_hot_label) {
        s.one_hot.assign(s.labels.size() * 10, T(0));
        for (std::size_t i = 0; i < s.labels.size(); ++i) s.one_hot[i * 10 + s.labels[i]] = T(1);
    }
    const std::size_t n = s.labels.size();
    s.shape = flatten ? std::vector<std::size_t>{n, 784} : std::vector<std::size_t>{n, 1, 28, 28};
    return s;
}
}  // namespace impl

// The book's load_mnist(normalize, flatten, one_hot_label) for the data set in dir:
//
//     auto [train, test] = ctnet::load_mnist<float>("data/mnist");   // normalised, flattened, labels
//     train.x.size() == train.size() * 784
//
// Every file is validated (see read_mnist).
template <class T = float>
MnistData<T> load_mnist(const std::filesystem::path& dir, bool normalize = true, bool flatten = true,
                        bool one_hot_label = false) {
    MnistRaw raw = read_mnist(dir);
    return {impl::mnist_split<T>(std::move(raw.train), normalize, flatten, one_hot_label),
            impl::mnist_split<T>(std::move(raw.test), normalize, flatten, one_hot_label)};
}

}  // namespace ctnet
