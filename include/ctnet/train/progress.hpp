// progress.hpp — Progress: a progress bar with rate and ETA on a terminal, plain epoch lines elsewhere.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdio>

#include "metrics.hpp"

namespace ctnet {

// Reports a training run of `total` steps on `out`. On a terminal it redraws
// one bar line at most ten times a second (so reporting costs the loop
// nothing measurable) and prints a line per epoch above it; when `out` is a
// file or a pipe it prints only the epoch lines; when quiet, nothing.
class Progress {
public:
    Progress(std::size_t total, bool quiet, std::FILE* out = stdout);
    void step(std::size_t done, double loss);
    void epoch(const EpochMetrics& m);
    void finish();

private:
    void draw(std::size_t done);
    using Clock = std::chrono::steady_clock;
    std::size_t total_;
    bool quiet_, tty_;
    std::FILE* out_;
    Clock::time_point start_, last_draw_;
    double loss_ = 0;
    bool drawn_ = false;
};

// Flushes `out` and throws ctnet::Error if anything written to it was lost (a
// full disk, /dev/full, a closed pipe): a program's last line is its result,
// so a failed write must not end in exit code 0.
//
//     fmt::print("{}\n", ctnet::summary_json(summary));
//     ctnet::flush_output();
void flush_output(std::FILE* out = stdout);

}  // namespace ctnet
