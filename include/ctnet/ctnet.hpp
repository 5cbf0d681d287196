// ctnet.hpp — the umbrella header: everything ctnet offers, in one include.
#pragma once

#include "config.hpp"
#include "data.hpp"
#include "graph.hpp"
#include "net.hpp"
#include "optim.hpp"
#include "io/atomic_file.hpp"
#include "io/npz.hpp"
#include "io/read_file.hpp"
#include "matrix/format.hpp"
#include "matrix/matrix.hpp"
#include "matrix/reduce.hpp"
#include "parallel/pool.hpp"
#include "random.hpp"
#include "simd/packet.hpp"
#include "train.hpp"
