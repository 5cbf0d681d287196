// deep_convnet.cpp — the book's ch08/train_deepnet.py: DeepConvNet trained by Adam.
//
//     deep_convnet                           # the bundled 8,000/2,000 real digits, 20 epochs
//     deep_convnet --data fashion            # Fashion-MNIST, 60,000/10,000
//     deep_convnet --eval-samples 0          # measure every epoch on the whole sets
//     deep_convnet --resume                  # continue a run stopped by Ctrl-C or a crash
//
// The network is the book's (ctnet::book::DeepConvNet, in
// <ctnet/net/book_networks.hpp>): six 3 x 3 convolutions of 16, 16, 32, 32,
// 64 and 64 filters, each followed by ReLU and every second by 2 x 2 max
// pooling, then Affine 50 - ReLU - Dropout 0.5 - Affine 10 - Dropout 0.5 -
// softmax, with He's initial weights as the book's (weight_init_std
// sqrt(2 / fan-in), the fan-in of a filter C x 3 x 3). The training is the
// book's Trainer (convnet_program.hpp). The book's own trained weights for
// this network load with ctnet::load_npz (see book_weights.cpp).
#include "convnet_program.hpp"

int main(int argc, char** argv) {
    return examples::convnet_main<ctnet::book::DeepConvNet>(argc, argv, "deep_convnet", ctnet::Init::he());
}
