// data.hpp — data sets: IDX reading and the book's load_mnist.
#pragma once

#include "data/idx.hpp"
#include "data/mnist.hpp"
