// mul_layer.hpp — MulLayer: the book's multiply node as a layer with forward and backward.
#pragma once

#include "../config.hpp"
#include "layer_grads.hpp"

namespace ctnet::inline CTNET_ABI {

// z = x * y. Backward swaps the inputs: dz/dx = y, dz/dy = x (book 5.3.2),
// which is why forward keeps them. T is float, double, or a Matrix (then *
// is element-wise).
//
//     ctnet::MulLayer<double> mul_apple;
//     double apple_price = mul_apple.forward(100.0, 2.0);          // 200
//     auto [dapple, dapple_num] = mul_apple.backward(1.1);         // 2.2, 110
template <class T>
class MulLayer {
public:
    T forward(const T& x, const T& y) {
        x_ = x;
        y_ = y;
        return x * y;
    }
    LayerGrads<T> backward(const T& dout) const { return {dout * y_, dout * x_}; }

private:
    T x_{};
    T y_{};
};

}  // namespace ctnet
