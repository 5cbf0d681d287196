// train.hpp — training: the loop, its options, progress, metrics files and the summary.
#pragma once

#include "train/metrics.hpp"
#include "train/options.hpp"
#include "train/progress.hpp"
#include "train/trainer.hpp"
