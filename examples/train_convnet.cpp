// train_convnet.cpp — the book's ch07/train_convnet.py: SimpleConvNet trained by Adam.
//
//     train_convnet                          # the bundled 8,000/2,000 real digits, 20 epochs
//     train_convnet --data fashion           # Fashion-MNIST, 60,000/10,000
//     train_convnet --eval-samples 0         # measure every epoch on the whole sets
//     train_convnet --resume                 # continue a run stopped by Ctrl-C or a crash
//
// The network is the book's (ctnet::book::SimpleConvNet, in
// <ctnet/net/book_networks.hpp>): Conv 30 filters of 5 x 5 (stride 1, no
// padding) - ReLU - max pooling 2 x 2 (stride 2) - Affine 100 - ReLU -
// Affine 10 - softmax, its weights N(0, 0.01^2) as the book's
// weight_init_std. The training is the book's Trainer (convnet_program.hpp).
#include "convnet_program.hpp"

int main(int argc, char** argv) {
    return examples::convnet_main<ctnet::book::SimpleConvNet>(argc, argv, "train_convnet", ctnet::Init::gaussian(0.01));
}
