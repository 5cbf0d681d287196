// net.hpp — layers and networks: everything needed to declare a network type and run it.
#pragma once

#include "layer/affine.hpp"
#include "layer/identity_with_mse.hpp"
#include "layer/init.hpp"
#include "layer/layer.hpp"
#include "layer/relu.hpp"
#include "layer/sigmoid.hpp"
#include "layer/softmax.hpp"
#include "layer/softmax_with_loss.hpp"
#include "layer/tanh.hpp"
#include "net/checkpoint.hpp"
#include "net/gradient_check.hpp"
#include "net/model.hpp"
#include "net/npz.hpp"
#include "net/param.hpp"
#include "net/sequential.hpp"
