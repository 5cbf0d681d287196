// relu.hpp — Relu: y = max(x, 0); the gradient passes where the input was positive.
#pragma once

#include <cstddef>
#include <string_view>

#include "../matrix/matrix.hpp"

namespace ctnet::inline CTNET_ABI {

// ReLU (book 5.5.1). Forward keeps a mask of where x > 0; backward lets dout
// through there and stops it elsewhere. The book's mask marks x <= 0 (where
// it zeroes); this one marks where the signal passes, 1 or 0, so backward is
// one multiplication. A NaN input stays NaN (the book's x[mask] = 0 keeps it
// too), so it reaches the loss, where training stops on it, instead of
// silently poisoning the weights through a finite loss.
//
//     using Net = ctnet::Sequential<ctnet::Affine<784, 50>, ctnet::Relu, ...>;
struct Relu {
    static constexpr std::string_view name = "Relu";
    static constexpr std::size_t output_width(std::size_t in) { return in; }

    template <class T, std::size_t B, std::size_t In>
    struct Impl {
        Matrix<T, B, In> mask;

        void forward(const Matrix<T, B, In>& x, Matrix<T, B, In>& y) {
            mask = x > T(0);
            y = max(T(0), x);  // not max(x, 0), which would turn a NaN input into 0 (see max)
        }
        // dx = dy where x > 0, else 0.
        template <bool WantDx>
        void backward(const Matrix<T, B, In>&, const Matrix<T, B, In>&, const Matrix<T, B, In>& dy,
                      Matrix<T, B, In>* dx) const {
            if constexpr (WantDx) *dx = dy * mask;
        }
    };
};

}  // namespace ctnet
