// layer_grads.hpp — LayerGrads: the {dx, dy} pair a two-input layer's backward returns.
#pragma once

#include "../config.hpp"

namespace ctnet::inline CTNET_ABI {

// The gradients flowing back to a two-input node's inputs, ready for
// structured bindings: auto [dx, dy] = layer.backward(dout);
template <class T>
struct LayerGrads {
    T dx;
    T dy;
};

}  // namespace ctnet
