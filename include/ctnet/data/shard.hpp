// shard.hpp — Shard: which samples of a data set one rank of a distributed run holds.
#pragma once

#include <cstddef>
#include <string>

#include "../config.hpp"

namespace ctnet {

// Samples [first, last) of a split.
struct SampleRange {
    std::size_t first = 0, last = 0;
    std::size_t size() const { return last - first; }
};

// One rank's part of a distributed run: rank `rank` of `ranks`, training
// with a global batch of `global_batch` samples per step.
//
// A distributed run draws each global batch stratified: row b of the batch
// (b < global_batch) is drawn from block b of the training set, samples
// [b n / G, (b + 1) n / G), at random and independently of every other row
// (a hash of seed, step and row; train/sampler.hpp). Rank r computes rows
// [r G / R, (r + 1) G / R) of every batch, so it only ever reads the blocks
// of those rows: train_rows(n), a contiguous 1/R of the training set, which
// is all it need load (read_mnist(dir, shard)). Whatever the number of
// ranks, the global batches are the same samples.
//
// The test set is cut into R equal contiguous parts for evaluation, test_rows(n).
struct Shard {
    std::size_t rank = 0, ranks = 1, global_batch = 1;

    // The rows of the global batch this rank computes.
    SampleRange batch_rows() const { return {rank * global_batch / ranks, (rank + 1) * global_batch / ranks}; }
    // The samples of an n-sample training set those rows are drawn from.
    SampleRange train_rows(std::size_t n) const {
        const SampleRange rows = batch_rows();
        return {block_first(rows.first, n), block_first(rows.last, n)};
    }
    // This rank's part of an n-sample test set.
    SampleRange test_rows(std::size_t n) const { return {rank * n / ranks, (rank + 1) * n / ranks}; }
    // The first sample of block b of an n-sample training set.
    std::size_t block_first(std::size_t b, std::size_t n) const { return b * n / global_batch; }

    // Throws ctnet::Error unless the shard makes sense (a rank below ranks,
    // a global batch of at least one row per rank).
    void check() const {
        if (ranks == 0 || rank >= ranks || global_batch < ranks)
            throw Error("shard: rank " + std::to_string(rank) + " of " + std::to_string(ranks) +
                        " with a global batch of " + std::to_string(global_batch) +
                        " (every rank needs at least one row of the batch)");
    }
};

}  // namespace ctnet
