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

// Row r < count of `into` becomes sample sample(r) of the split, converted as
// the split says (MNIST's bytes to [0, 1]); the rows are divided among the
// threads (parallel/pool.hpp), so fill_row must only read the split.
template <class Split, class Input, class Sample>
void gather_rows(const Split& split, std::size_t count, const Sample& sample, Input& into) {
    const std::size_t chunks = std::min(count, ctnet::threads());
    parallel::for_chunks(chunks, [&](std::size_t first, std::size_t last) {
        for (std::size_t r = first * count / chunks; r < last * count / chunks; ++r)
            split.fill_row(sample(r), into.row_ptr(r));
    });
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
            gather_rows(split, count, [first](std::size_t r) { return first + r; }, into);
        },
        std::span(std::data(split.labels), n));
}

}  // namespace ctnet
