// output_dir.hpp — prepare_output_dir: a run's files belong together, never mixed with another run's.
#pragma once

#include <array>
#include <filesystem>

#include "options.hpp"

namespace ctnet {

// The files a training run writes into TrainOptions::out.
inline constexpr std::array<const char*, 3> run_files = {"model.ckpt", "metrics.csv", "training.svg"};

// Makes options.out ready for a run: creates it, removes the temporaries a
// killed run left there (see remove_stale_temporaries), and applies
// options.output where another run's files are present. fresh: refuses with
// ctnet::Error naming them and the way out (--resume, --overwrite, another
// --out); overwrite: removes them first, so no file of the old run can end up
// beside the new run's; resume: requires the checkpoint.
//
//     ctnet::prepare_output_dir(options);   // train() does this first
void prepare_output_dir(const TrainOptions& options);

}  // namespace ctnet
