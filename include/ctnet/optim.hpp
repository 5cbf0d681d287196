// optim.hpp — the optimizers (SGD, Momentum, AdaGrad, Adam) and train_step.
#pragma once

#include "optim/adagrad.hpp"
#include "optim/adam.hpp"
#include "optim/momentum.hpp"
#include "optim/sgd.hpp"
#include "optim/state_io.hpp"
#include "optim/step.hpp"
