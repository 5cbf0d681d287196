// data.hpp — data sets: IDX reading, the book's load_mnist and the bundled digits.
#pragma once

#include "data/bundled.hpp"
#include "data/idx.hpp"
#include "data/mnist.hpp"
