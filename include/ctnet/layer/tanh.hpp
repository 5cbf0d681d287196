// tanh.hpp — Tanh: y = tanh(x); backward 1 - y^2, again from the output alone.
#pragma once

#include <cstddef>
#include <string_view>

#include "../matrix/matrix.hpp"

namespace ctnet::inline CTNET_ABI {

struct Tanh {
    static constexpr std::string_view name = "Tanh";
    static constexpr std::size_t output_width(std::size_t in) { return in; }

    template <class T, std::size_t B, std::size_t In>
    struct Impl {
        void forward(const Matrix<T, B, In>& x, Matrix<T, B, In>& y) { y = tanh(x); }
        // dx = dy * (1 - y^2).
        template <bool WantDx>
        void backward(const Matrix<T, B, In>&, const Matrix<T, B, In>& y, const Matrix<T, B, In>& dy,
                      Matrix<T, B, In>* dx) const {
            if constexpr (WantDx) *dx = dy * (T(1) - y * y);
        }
    };
};

}  // namespace ctnet
