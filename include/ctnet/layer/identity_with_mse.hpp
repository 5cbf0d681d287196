// identity_with_mse.hpp — IdentityWithMse: an identity output with the mean squared error, for regression.
#pragma once

#include <cstddef>
#include <string_view>

#include "../matrix/matrix.hpp"
#include "../matrix/reduce.hpp"

namespace ctnet::inline CTNET_ABI {

// The regression counterpart of SoftmaxWithLoss (book 3.5 pairs the identity
// output with the squared error): loss = 0.5 * sum((y - t)^2) / n over the n
// samples of a batch, and backward is (y - t) / n, the same shape of gradient
// as softmax with cross-entropy. Targets are a Matrix of the output's shape.
struct IdentityWithMse {
    static constexpr std::string_view name = "IdentityWithMse";
    static constexpr bool is_loss = true;
    static constexpr std::size_t output_width(std::size_t in) { return in; }

    template <class T, std::size_t B, std::size_t C>
    struct Impl {
        T forward(const Matrix<T, B, C>& x, const Matrix<T, B, C>& t, std::size_t n = B) {
            const Matrix<T, B, 1> per_row = row_sum((x - t) * (x - t));
            T total = 0;
            for (std::size_t b = 0; b < n; ++b) total += per_row(b, 0);
            return T(0.5) * total / T(n);
        }
        void backward(const Matrix<T, B, C>& x, const Matrix<T, B, C>& t, std::size_t n, Matrix<T, B, C>& dx) const {
            dx = (x - t) * (T(1) / T(n));
            for (std::size_t b = n; b < B; ++b)
                for (T& v : dx.row(b)) v = T(0);
        }
    };
};

}  // namespace ctnet
