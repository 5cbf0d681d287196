// param.hpp — ParamView (a parameter seen in the book's shape) and ParamSet (named copies of parameters).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../config.hpp"

namespace ctnet::inline CTNET_ABI {

// A parameter (or its gradient) inside a Model, seen in the book's shape:
// W1 is 784 x 50 here even though Affine stores it 50 x 784.
//
//     auto w1 = net.param("W1");
//     w1(0, 0) = 0.5f;                 // row 0 (input pixel 0), column 0 (hidden unit 0)
//     fmt::print("{:.3f}\n", w1);      // printed as a Matrix is (ctnet/matrix/format.hpp)
template <class T>
class ParamView {
public:
    ParamView(std::string name, T* data, std::size_t rows, std::size_t cols, std::size_t stride, bool transposed)
        : name_(std::move(name)), data_(data), rows_(rows), cols_(cols), stride_(stride), transposed_(transposed) {}
    // The same view, shown to NumPy as `dims` (whose product is rows x cols):
    // a Convolution's W is FN x (C FH FW) here and (FN, C, FH, FW) in the book,
    // in the same element order, so only the shape changes.
    ParamView(std::string name, T* data, std::size_t rows, std::size_t cols, std::size_t stride, bool transposed,
              std::vector<std::size_t> dims)
        : ParamView(std::move(name), data, rows, cols, stride, transposed) {
        dims_ = std::move(dims);
    }

    const std::string& name() const { return name_; }
    std::size_t rows() const { return rows_; }
    std::size_t cols() const { return cols_; }
    std::size_t size() const { return rows_ * cols_; }
    // A vector in the book (a bias, b1 of shape (50,)): one row, stored as it
    // is shown. A transposed one-row view is a weight of one input, (1, N).
    bool is_vector() const { return rows_ == 1 && !transposed_; }
    // The book's (and NumPy's) shape: the layer's own where it has one (a
    // filter bank's (FN, C, FH, FW)), else {cols()} for a vector and
    // {rows(), cols()} otherwise. Element (i, j) is the C-order element
    // i cols() + j of that shape.
    std::vector<std::size_t> shape() const {
        if (!dims_.empty()) return dims_;
        return is_vector() ? std::vector<std::size_t>{cols_} : std::vector<std::size_t>{rows_, cols_};
    }
    T& operator()(std::size_t i, std::size_t j) const {
        CTNET_ASSERT(i < rows_ && j < cols_, "ParamView index out of range");
        return transposed_ ? data_[j * stride_ + i] : data_[i * stride_ + j];
    }

private:
    std::string name_;
    T* data_;
    std::size_t rows_, cols_, stride_;
    bool transposed_;
    std::vector<std::size_t> dims_;  // empty: the two-dimensional shape
};

// A named rows x cols array of values, detached from any model.
template <class T>
struct Tensor {
    std::string name;
    std::size_t rows = 0, cols = 0;
    std::vector<T> values;  // row-major, rows * cols

    T& operator()(std::size_t i, std::size_t j) { return values[i * cols + j]; }
    const T& operator()(std::size_t i, std::size_t j) const { return values[i * cols + j]; }
};

// Parameters or gradients by name, in the model's order (W1, b1, W2, b2, ...):
// what the book's `grads` dictionary holds.
template <class T>
class ParamSet {
public:
    void add(Tensor<T> t) { tensors_.push_back(std::move(t)); }
    std::size_t size() const { return tensors_.size(); }
    auto begin() const { return tensors_.begin(); }
    auto end() const { return tensors_.end(); }
    const Tensor<T>& operator[](std::string_view name) const {
        for (const auto& t : tensors_)
            if (t.name == name) return t;
        std::string known;
        for (const auto& t : tensors_) known += (known.empty() ? "" : ", ") + t.name;
        throw Error("no parameter named '" + std::string(name) + "' (this network has " + known + ")");
    }

private:
    std::vector<Tensor<T>> tensors_;
};

}  // namespace ctnet
