// batches.hpp — batches from a data split: gathered on every thread, drawn at random, evaluated whole.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "../config.hpp"
#include "../parallel/pool.hpp"
#include "../random.hpp"

namespace ctnet::inline CTNET_ABI {

// What a gather asks for ahead of row r (see gather_rows): a sample index, or
// no_row for nothing.
inline constexpr std::size_t no_row = SIZE_MAX;

// Row r < count of `into` becomes sample sample(r) of the split, converted as
// the split says (MNIST's bytes to [0, 1]); the rows are divided among the
// threads (parallel/pool.hpp), so fill_row must only read the split.
//
// Where the split can prefetch (prefetch_row), sample ahead(r) is asked for
// just before row r is converted: the requests are spread over the gather,
// one image's lines at a time. Issued all at once, most of a batch's 1,300
// requests were dropped (on a Zen 5).
template <class Split, class Input, class Sample, class Ahead>
void gather_rows(const Split& split, std::size_t count, const Sample& sample, Input& into, const Ahead& ahead) {
    constexpr bool prefetching = requires { split.prefetch_row(std::size_t{0}); };
    const std::size_t chunks = std::min(count, ctnet::threads());
    parallel::for_chunks(chunks, [&](std::size_t first, std::size_t last) {
        for (std::size_t r = first * count / chunks; r < last * count / chunks; ++r) {
            if constexpr (prefetching)
                if (const std::size_t k = ahead(r); k != no_row) split.prefetch_row(k);
            split.fill_row(sample(r), into.row_ptr(r));
        }
    });
}

// How many rows ahead a gather of consecutive samples asks for the next: a
// stretch of images in memory order, four of them about 3 KB, beyond what the
// hardware's stream prefetcher fetches early from one access alone.
inline constexpr std::size_t gather_ahead = 4;

// The same, asking for the samples gather_ahead rows further on.
template <class Split, class Input, class Sample>
void gather_rows(const Split& split, std::size_t count, const Sample& sample, Input& into) {
    gather_rows(split, count, sample, into,
                [&](std::size_t r) { return r + gather_ahead < count ? sample(r + gather_ahead) : no_row; });
}

// A batch of B samples drawn with replacement, as the book's
// np.random.choice(train_size, batch_size): their rows into x, their labels
// into t (the same stream the trainer draws from, rng.below(size)).
template <class Split, class Input, std::size_t B>
void random_batch(const Split& split, Rng& rng, Input& x, std::array<std::uint32_t, B>& t) {
    static_assert(Input::rows == B, "random_batch: the input matrix has another number of rows than the labels");
    std::array<std::size_t, B> rows;
    for (auto& r : rows) r = static_cast<std::size_t>(rng.below(split.size()));
    gather_rows(split, B, [&](std::size_t r) { return rows[r]; }, x);
    for (std::size_t r = 0; r < B; ++r) t[r] = static_cast<std::uint32_t>(split.labels[rows[r]]);
}

// Mean loss and accuracy of the model over the first `samples` samples of a
// split (every one by default), in inference mode, batch after batch (the
// last one partly filled).
template <class Model, class Split>
auto evaluate_split(Model& model, const Split& split, std::size_t samples = SIZE_MAX) {
    const std::size_t n = std::min(samples, static_cast<std::size_t>(split.size()));
    return model.evaluate_batches(
        n,
        [&](std::size_t first, std::size_t count, typename Model::Input& into) {
            // Rows ahead run on into the next batch: its first images arrive during this one's.
            gather_rows(split, count, [first](std::size_t r) { return first + r; }, into,
                        [first, n](std::size_t r) { return first + r + gather_ahead < n ? first + r + gather_ahead : no_row; });
        },
        std::span(std::data(split.labels), n));
}

}  // namespace ctnet
