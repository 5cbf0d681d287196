// train_neuralnet.hpp — what train_neuralnet's two files share: the network, and training it with a batch of B.
#pragma once

#include <ctnet/ctnet.hpp>

using TwoLayerNet = ctnet::Sequential<ctnet::Affine<784, 50>, ctnet::Relu, ctnet::Affine<50, 10>,
                                      ctnet::SoftmaxWithLoss>;

// The book's batch_size, split among the ranks of a distributed run.
inline constexpr std::size_t book_batch = 100;

// The network with a batch of Batch samples, trained as the options say.
template <std::size_t Batch>
ctnet::TrainSummary train_two_layer_net(const ctnet::TrainOptions& options, const ctnet::MnistRaw& mnist) {
    return ctnet::with_optimizer(options, [&](auto optimizer) {
        ctnet::Model<TwoLayerNet, float, Batch> network(ctnet::Init::gaussian(0.01), options.seed);
        network.set_weight_decay(static_cast<float>(options.weight_decay));
        return ctnet::train(network, mnist, optimizer, options);
    });
}

// The models for a distributed rank's share of the batch, the rows past
// the share padding: 50 rows for shares of 26 to 50 (2 or 3 ranks), 25 for
// smaller ones (4 ranks or more). Each model type compiles the training loop
// for all six optimizers (about 11 s at -O2), so each is a file of its own
// (train_neuralnet_50.cpp, _25.cpp), compiled beside the others.
ctnet::TrainSummary train_50_rows(const ctnet::TrainOptions& options, const ctnet::MnistRaw& mnist);
ctnet::TrainSummary train_25_rows(const ctnet::TrainOptions& options, const ctnet::MnistRaw& mnist);
