// graph.hpp — the computational graph of book 5.1-5.4: MulLayer, AddLayer and the compile-time scalar graph.
#pragma once

#include "graph/add_layer.hpp"
#include "graph/gradient.hpp"
#include "graph/mul_layer.hpp"
#include "graph/node.hpp"
