// softmax_with_loss.hpp — SoftmaxWithLoss: softmax and cross-entropy as one loss layer, dx = (y - t) / batch.
#pragma once

#include <cstddef>
#include <string_view>

#include "../matrix/matrix.hpp"
#include "../matrix/reduce.hpp"
#include "softmax.hpp"

namespace ctnet::inline CTNET_ABI {

// The last layer of a classifier (book 5.6.3). Targets are integer labels (any
// range of integers, one per sample) or one-hot rows (a Matrix, which may also
// hold soft probabilities). The loss of a batch of n samples is the mean
// cross-entropy; backward gives (y - t) / n.
//
// The loss is computed from the logits as log-sum-exp: for label c,
// -log(y_c) = log(sum_j exp(x_j - m)) + m - x_c with m the row maximum. No
// exp overflows, and no log(0) arises even when y_c underflows to 0; the
// book's -log(y_c + 1e-7) instead caps each sample's loss at 16.1 and is off
// by up to 1e-7 / y_c elsewhere.
struct SoftmaxWithLoss {
    static constexpr std::string_view name = "SoftmaxWithLoss";
    static constexpr bool is_loss = true;
    static constexpr std::size_t output_width(std::size_t in) { return in; }

    template <class T, std::size_t B, std::size_t C>
    struct Impl {
        Matrix<T, B, C> y;  // the softmax of the last forward pass

        // Mean loss over the first n rows (the rest of a partial batch are padding).
        template <class Target>
        T forward(const Matrix<T, B, C>& x, const Target& t, std::size_t n = B) {
            const Matrix<T, B, 1> m = row_max(x);
            y = exp(x - m);
            const Matrix<T, B, 1> s = row_sum(y);
            y /= s;
            T total = 0;
            if constexpr (detail::LabelRange<Target>) {
                detail::check_labels<C>(t, n);
                for (std::size_t b = 0; b < n; ++b)
                    total += std::log(s(b, 0)) + m(b, 0) - x(b, static_cast<std::size_t>(t[b]));
            } else {
                const Matrix<T, B, 1> per_row = row_sum(t * ((log(s) + m) - x));
                for (std::size_t b = 0; b < n; ++b) total += per_row(b, 0);
            }
            return total / T(n);
        }

        // dx = (y - t) / n on the first n rows, 0 on the padding rows.
        template <class Target>
        void backward(const Matrix<T, B, C>&, const Target& t, std::size_t n, Matrix<T, B, C>& dx) const {
            const T scale = T(1) / T(n);
            if constexpr (detail::LabelRange<Target>) {
                dx = y * scale;
                for (std::size_t b = 0; b < n; ++b) dx(b, static_cast<std::size_t>(t[b])) -= scale;
            } else {
                dx = (y - t) * scale;
            }
            for (std::size_t b = n; b < B; ++b)
                for (T& v : dx.row(b)) v = T(0);
        }
    };
};

}  // namespace ctnet
