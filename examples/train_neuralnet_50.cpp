// train_neuralnet_50.cpp — train_neuralnet's model of 50 rows, for a distributed rank's share of the book's batch.
#include "train_neuralnet.hpp"

ctnet::TrainSummary train_50_rows(const ctnet::TrainOptions& options, const ctnet::MnistRaw& mnist) {
    return train_two_layer_net<50>(options, mnist);
}
