// sampler.hpp — the stratified sampler of distributed runs: row b of step s's global batch, from block b.
#pragma once

#include <cstddef>
#include <cstdint>

#include "../data/shard.hpp"

namespace ctnet {

// The training sample that row `row` of the global batch of step `step`
// takes, in a distributed run (data/shard.hpp): one of block row's samples,
// chosen by a hash of (seed, step, row) alone. No rank needs another's
// generator, and every number of ranks (1 included) draws the same batches.
// Within a batch no sample repeats; over the steps every sample is drawn
// with probability G / n per step, as by the book's np.random.choice.
inline std::size_t stratified_sample(std::uint64_t seed, std::uint64_t step, std::size_t row, const Shard& shard,
                                     std::size_t n) {
    // SplitMix64's finaliser over a counter made of the three: a
    // counter-based generator, statistically sound for these few bits.
    const auto mix = [](std::uint64_t z) {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    };
    const std::uint64_t h = mix(mix(mix(seed ^ 0x9E3779B97F4A7C15ull) ^ step) + row);
    const std::size_t first = shard.block_first(row, n), size = shard.block_first(row + 1, n) - first;
    // The remainder's bias, size / 2^64, is far below anything a run could see.
    return first + static_cast<std::size_t>(h % size);
}

}  // namespace ctnet
