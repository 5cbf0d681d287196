// book_networks.hpp — the book's networks as types: TwoLayerNet (ch05), SimpleConvNet (ch07), DeepConvNet (ch08).
#pragma once

#include "../layer/affine.hpp"
#include "../layer/convolution.hpp"
#include "../layer/dropout.hpp"
#include "../layer/pooling.hpp"
#include "../layer/relu.hpp"
#include "../layer/softmax_with_loss.hpp"
#include "sequential.hpp"

// Each is a declaration, nothing more: a network is instantiated (and costs
// compile time) only where a Model of it is made. Their parameters carry the
// book's names, W1, b1, W2, ..., in the book's shapes, so the book authors'
// trained weights (data/book-weights/, docs/convolution.md) load with
// ctnet::load_npz.
namespace ctnet::inline CTNET_ABI::book {

// ch05 two_layer_net.py: 784 - 50 - 10, ReLU between (the examples use 50 hidden units).
using TwoLayerNet = Sequential<Affine<784, 50>, Relu, Affine<50, 10>, SoftmaxWithLoss>;

// ch07 simple_convnet.py with its defaults: 30 filters of 5 x 5 (stride 1,
// no padding), ReLU, 2 x 2 max pooling of stride 2, Affine 4320 -> 100, ReLU,
// Affine 100 -> 10. W1 is (30, 1, 5, 5), W2 (4320, 100), W3 (100, 10).
using SimpleConvNet = Sequential<Input<Shape<1, 28, 28>{}>,
                                 Convolution<30, 5, 5>, Relu, Pooling<2, 2, 2>,
                                 Affine<30 * 12 * 12, 100>, Relu,
                                 Affine<100, 10>, SoftmaxWithLoss>;

// ch08 deep_convnet.py: six 3 x 3 convolutions (16, 16, 32, 32, 64, 64
// filters; padding 1, but 2 on the fourth), each followed by ReLU, a 2 x 2
// max pooling of stride 2 after every second one, then Affine 1024 -> 50,
// ReLU, Dropout 0.5, Affine 50 -> 10, Dropout 0.5 (the book's Dropout: at
// inference it scales by 1 - ratio). The shapes, as describe() prints them:
// 1x28x28 -> 16x28x28 -> 16x28x28 -> 16x14x14 -> 32x14x14 -> 32x16x16 ->
// 32x8x8 -> 64x8x8 -> 64x8x8 -> 64x4x4 -> 50 -> 10. W1..W6 are the filter
// banks, W7 (1024, 50), W8 (50, 10).
using DeepConvNet = Sequential<Input<Shape<1, 28, 28>{}>,
                               Convolution<16, 3, 3, 1, 1>, Relu, Convolution<16, 3, 3, 1, 1>, Relu, Pooling<2, 2, 2>,
                               Convolution<32, 3, 3, 1, 1>, Relu, Convolution<32, 3, 3, 1, 2>, Relu, Pooling<2, 2, 2>,
                               Convolution<64, 3, 3, 1, 1>, Relu, Convolution<64, 3, 3, 1, 1>, Relu, Pooling<2, 2, 2>,
                               Affine<64 * 4 * 4, 50>, Relu, Dropout,
                               Affine<50, 10>, Dropout, SoftmaxWithLoss>;

}  // namespace ctnet::inline CTNET_ABI::book
