// softmax.hpp — softmax and the cross-entropy error as functions, and the Softmax layer.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <iterator>
#include <limits>
#include <string>
#include <string_view>

#include "../config.hpp"
#include "../matrix/matrix.hpp"
#include "../matrix/reduce.hpp"

namespace ctnet::inline CTNET_ABI {

// Row-wise softmax into y. Each row is shifted by its maximum first, so
// large logits never overflow exp (book 3.5.2).
template <class T, std::size_t B, std::size_t C>
void softmax(const Matrix<T, B, C>& x, Matrix<T, B, C>& y) {
    y = exp(x - row_max(x));
    y /= row_sum(y);
}

template <class T, std::size_t B, std::size_t C>
Matrix<T, B, C> softmax(const Matrix<T, B, C>& x) {
    Matrix<T, B, C> y;
    softmax(x, y);
    return y;
}

namespace detail {
// Labels: any sized, indexable range of integers (std::array, std::vector, std::span, a C array).
template <class L>
concept LabelRange = !Expression<L> && requires(const L& l) {
    { std::size(l) } -> std::convertible_to<std::size_t>;
    { l[0] } -> std::convertible_to<std::size_t>;
};

template <std::size_t Classes, class L>
void check_labels(const L& labels, std::size_t expected) {
    if (std::size(labels) != expected)
        throw Error("expected " + std::to_string(expected) + " labels, got " + std::to_string(std::size(labels)));
    for (std::size_t b = 0; b < expected; ++b)
        if (static_cast<std::size_t>(labels[b]) >= Classes)
            throw Error("label " + std::to_string(static_cast<long long>(labels[b])) + " at position " +
                        std::to_string(b) + " is out of range: the network has " + std::to_string(Classes) +
                        " classes (0 to " + std::to_string(Classes - 1) + ")");
}
}  // namespace detail

// The book's cross_entropy_error for one-hot (or probability) targets:
// -sum(t * log(y)) / batch. The book adds 1e-7 inside the log so y = 0 does
// not give -inf; that shifts every term. Here y is clamped at the smallest
// normal number instead: exact for every y a float can hold above it, and
// log(0) becomes -87.3 (float) / -708.4 (double), finite. SoftmaxWithLoss does
// not take the log of y at all (see there).
template <class T, std::size_t B, std::size_t C>
T cross_entropy_error(const Matrix<T, B, C>& y, const Matrix<T, B, C>& t) {
    return -sum(t * log(max(y, std::numeric_limits<T>::min()))) / T(B);
}

// The same for integer labels: -sum_b log(y[b, t_b]) / batch.
template <class T, std::size_t B, std::size_t C, detail::LabelRange L>
T cross_entropy_error(const Matrix<T, B, C>& y, const L& labels) {
    detail::check_labels<C>(labels, B);
    T total = 0;
    for (std::size_t b = 0; b < std::size(labels); ++b)  // == B, checked above
        total -= std::log(std::max(y(b, static_cast<std::size_t>(labels[b])), std::numeric_limits<T>::min()));
    return total / T(B);
}

// Softmax as a layer of its own, for a network that outputs probabilities.
// Its backward is the Jacobian-vector product dx = y * (dy - sum(dy * y)) per
// row. To train a classifier end with SoftmaxWithLoss instead, whose
// combined gradient is simply (y - t) / batch.
struct Softmax {
    static constexpr std::string_view name = "Softmax";
    static constexpr std::size_t output_width(std::size_t in) { return in; }

    template <class T, std::size_t B, std::size_t In>
    struct Impl {
        void forward(const Matrix<T, B, In>& x, Matrix<T, B, In>& y) { softmax(x, y); }
        template <bool WantDx>
        void backward(const Matrix<T, B, In>&, const Matrix<T, B, In>& y, const Matrix<T, B, In>& dy,
                      Matrix<T, B, In>* dx) const {
            if constexpr (WantDx) *dx = y * (dy - row_sum(dy * y));
        }
    };
};

}  // namespace ctnet
