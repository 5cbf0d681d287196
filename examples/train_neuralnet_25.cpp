// train_neuralnet_25.cpp — train_neuralnet's model of 25 rows, for a distributed rank's share of the book's batch.
#include "train_neuralnet.hpp"

ctnet::TrainSummary train_25_rows(const ctnet::TrainOptions& options, const ctnet::MnistRaw& mnist) {
    return train_two_layer_net<25>(options, mnist);
}
