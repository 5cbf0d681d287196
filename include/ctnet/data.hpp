// data.hpp — data sets: the DataSet concept, IDX reading, the book's load_mnist, the bundled digits, CSV files.
#pragma once

#include "data/bundled.hpp"
#include "data/csv.hpp"
#include "data/dataset.hpp"
#include "data/idx.hpp"
#include "data/mnist.hpp"
#include "data/shard.hpp"
#include "data/subset.hpp"
