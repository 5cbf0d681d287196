// optim.hpp — the book's six optimizers (SGD, Momentum, Nesterov, AdaGrad, RMSprop, Adam), their checkpointed state and train_step.
#pragma once

#include "optim/adagrad.hpp"
#include "optim/adam.hpp"
#include "optim/momentum.hpp"
#include "optim/nesterov.hpp"
#include "optim/rmsprop.hpp"
#include "optim/sgd.hpp"
#include "optim/state_io.hpp"
#include "optim/step.hpp"
