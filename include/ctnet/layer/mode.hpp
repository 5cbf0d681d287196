// mode.hpp — Mode: whether a forward pass trains, infers, or trains with its random draws held still.
#pragma once

#include "../config.hpp"

namespace ctnet::inline CTNET_ABI {

// The book's train_flg (6.4.3, 6.3), as a third argument of forward for the
// layers that behave differently in training: Dropout and BatchNorm. The
// Model chooses it; every other layer keeps its two-argument forward.
//
//   train         a training step: Dropout draws a new mask, BatchNorm
//                 normalises by the batch's statistics and blends them into
//                 its running ones. Model::gradient, sgd_step, loss(x, t, Mode::train).
//   infer         prediction: Dropout scales (or, inverted, passes x), BatchNorm
//                 normalises by its running statistics. predict, accuracy,
//                 evaluate, loss(x, t) as the book's loss(x, t, train_flg=False).
//   train_frozen  the training computation without its side effects: Dropout
//                 reuses the mask of the last `train` pass and BatchNorm
//                 updates no running statistic. The loss is then a fixed
//                 function of the parameters, which central differences need
//                 (Model::numerical_gradient): with a fresh mask per
//                 evaluation, L(p + h) - L(p - h) would measure two different
//                 networks, and the running statistics would drift once per
//                 evaluation, thousands of times.
//
//     auto& scores = net.predict(x);                 // Mode::infer
//     double l = net.loss(x, labels, ctnet::Mode::train);
enum class Mode { train, infer, train_frozen };

// Whether a pass computes as training does (batch statistics, masks applied).
constexpr bool trains(Mode m) { return m != Mode::infer; }

}  // namespace ctnet
