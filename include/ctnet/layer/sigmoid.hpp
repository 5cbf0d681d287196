// sigmoid.hpp — Sigmoid: y = 1 / (1 + exp(-x)); backward needs only the output, y(1 - y).
#pragma once

#include <cstddef>
#include <string_view>

#include "../matrix/matrix.hpp"

namespace ctnet::inline CTNET_ABI {

// Sigmoid (book 5.5.2). The book derives the backward pass through the graph
// x -> *(-1) -> exp -> +1 -> 1/x and simplifies it to dout * y * (1 - y), so
// the layer needs nothing but its output, which the Model keeps anyway (the
// graph version is in docs/computational_graph.md and tested against this).
struct Sigmoid {
    static constexpr std::string_view name = "Sigmoid";
    static constexpr std::size_t output_width(std::size_t in) { return in; }

    template <class T, std::size_t B, std::size_t In>
    struct Impl {
        void forward(const Matrix<T, B, In>& x, Matrix<T, B, In>& y) { y = sigmoid(x); }
        // dx = dy * y * (1 - y).
        template <bool WantDx>
        void backward(const Matrix<T, B, In>&, const Matrix<T, B, In>& y, const Matrix<T, B, In>& dy,
                      Matrix<T, B, In>* dx) const {
            if constexpr (WantDx) *dx = dy * (T(1) - y) * y;
        }
    };
};

}  // namespace ctnet
