// add_layer.hpp — AddLayer: the book's add node as a layer with forward and backward.
#pragma once

#include "../config.hpp"
#include "layer_grads.hpp"

namespace ctnet::inline CTNET_ABI {

// z = x + y. Both local derivatives are 1, so backward passes dout through to
// both inputs unchanged and forward needs to remember nothing (book 5.3.1).
//
//     ctnet::AddLayer<double> add;
//     double all_price = add.forward(200.0, 450.0);   // 650
//     auto [dapple_price, dorange_price] = add.backward(1.1);
template <class T>
class AddLayer {
public:
    T forward(const T& x, const T& y) const { return x + y; }
    LayerGrads<T> backward(const T& dout) const { return {dout, dout}; }
};

}  // namespace ctnet
