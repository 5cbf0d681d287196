// train.hpp — training: the loop, its options, progress, metrics files and the summary.
#pragma once

#include "train/batches.hpp"
#include "train/chart.hpp"
#include "train/metrics.hpp"
#include "train/options.hpp"
#include "train/output_dir.hpp"
#include "train/progress.hpp"
#include "train/run_state.hpp"
#include "train/trainer.hpp"
#include "train/with_optimizer.hpp"
