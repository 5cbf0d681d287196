// train_neuralnet_shares.cpp — train_neuralnet's models for a distributed rank's share of the book's batch.
#include "train_neuralnet.hpp"

ctnet::TrainSummary train_share(std::size_t share, const ctnet::TrainOptions& options, const ctnet::MnistRaw& mnist) {
    // Each size of model is a type of its own, compiled for all six
    // optimizers (about 11 s each): two sizes, and padding rows, rather than
    // one type per rank count.
    if (share > 25) return train_two_layer_net<50>(options, mnist);
    return train_two_layer_net<25>(options, mnist);
}
