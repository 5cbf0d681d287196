// layer_state_io.hpp — the layers' state (running statistics, generators) as the checkpoint section "layers", and back.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "../config.hpp"
#include "../random.hpp"
#include "checkpoint_bytes.hpp"

namespace ctnet::inline CTNET_ABI::detail::layer_state_io {

// Section layout: a u32 entry count; per entry its name
// ("BatchNorm1/running_mean"), a u8 kind (0: a double, 1: a matrix, 2: a
// generator), then for kind 0 one f64; for 1 u64 rows, u64 cols and
// rows * cols values of the model's element type, row by row; for 2 the six
// u64 of Rng::state().
enum Kind : std::uint8_t { scalar_kind = 0, matrix_kind = 1, rng_kind = 2 };

// What neither a save nor a load accepts: a NaN or infinite value (the
// running statistics of a diverged model), as for the parameters.
inline std::string bad_value(std::string_view name, double v) {
    if (std::isnan(v)) return "layer state '" + std::string(name) + "' is NaN";
    if (!std::isfinite(v)) return "layer state '" + std::string(name) + "' is infinite";
    return {};
}

struct Writer {
    std::string what;  // "cannot save checkpoint <path>", for errors
    std::string out;
    std::uint32_t count = 0;

    void head(std::string_view name, Kind kind) {
        checkpoint::put_string(out, name);
        checkpoint::put(out, static_cast<std::uint8_t>(kind));
        ++count;
    }
    void scalar(std::string_view name, const double& v) {
        if (const std::string bad = bad_value(name, v); !bad.empty()) throw Error(what + ": " + bad);
        head(name, scalar_kind);
        checkpoint::put(out, v);
    }
    template <class M>
    void matrix(std::string_view name, const M& m) {
        head(name, matrix_kind);
        checkpoint::put(out, static_cast<std::uint64_t>(M::rows));
        checkpoint::put(out, static_cast<std::uint64_t>(M::cols));
        for (std::size_t i = 0; i < M::rows; ++i)
            for (std::size_t j = 0; j < M::cols; ++j) {
                if (const std::string bad = bad_value(name, m(i, j)); !bad.empty())
                    throw Error(what + ": " + bad + " at (" + std::to_string(i) + ", " + std::to_string(j) +
                                "); the model has diverged");
                checkpoint::put(out, m(i, j));
            }
    }
    void rng(std::string_view name, const Rng& r) {
        head(name, rng_kind);
        for (const std::uint64_t word : r.state()) checkpoint::put(out, word);
    }
};

// Reads the entries in the model's order; with apply == false it only checks
// (names, kinds, shapes, values), so a bad section changes nothing.
struct Reader {
    checkpoint::Reader r;
    bool apply;
    std::uint32_t left = 0;

    void entry(std::string_view name, Kind kind) {
        if (left-- == 0) r.fail("the layer state ends before '" + std::string(name) + "'");
        const std::string stored = r.get_string("layer state name");
        const auto stored_kind = r.get<std::uint8_t>("layer state kind");
        if (stored != name || stored_kind != kind)
            r.fail("the layer state holds '" + stored + "' where this network keeps '" + std::string(name) + "'");
    }
    void check(std::string_view name, double v) {
        if (const std::string bad = bad_value(name, v); !bad.empty()) r.fail(bad);
    }
    void scalar(std::string_view name, double& v) {
        entry(name, scalar_kind);
        const double x = r.get<double>("layer state value");
        check(name, x);
        if (apply) v = x;
    }
    template <class M>
    void matrix(std::string_view name, M& m) {
        entry(name, matrix_kind);
        const auto rows = r.get<std::uint64_t>("rows"), cols = r.get<std::uint64_t>("cols");
        if (rows != M::rows || cols != M::cols)
            r.fail("layer state '" + std::string(name) + "' is " + std::to_string(rows) + "x" + std::to_string(cols) +
                   ", this network's is " + std::to_string(M::rows) + "x" + std::to_string(M::cols));
        for (std::size_t i = 0; i < M::rows; ++i)
            for (std::size_t j = 0; j < M::cols; ++j) {
                const auto x = r.get<typename M::value_type>("layer state values");
                check(name, x);
                if (apply) m(i, j) = x;
            }
    }
    void rng(std::string_view name, Rng& g) {
        entry(name, rng_kind);
        Rng::State st{};
        for (std::uint64_t& word : st) word = r.get<std::uint64_t>("generator state");
        Rng probe(0);
        try {
            probe.restore(st);  // the same check restore makes, before anything is changed
        } catch (const Error&) {
            r.fail("layer state '" + std::string(name) + "' is not a generator state");
        }
        if (apply) g = probe;
    }
};

// The section's bytes for the model's layers.
template <class Model>
std::string write(Model& model, const std::string& what) {
    Writer w{what, {}, 0};
    model.visit_layer_state(w);
    std::string out;
    checkpoint::put(out, w.count);
    return out + w.out;
}

// Checks the section against the model, and with apply == true restores it.
template <class Model>
void read(Model& model, std::string_view bytes, const std::string& what, bool apply) {
    Reader rd{checkpoint::Reader(bytes, what + ", layers section"), apply};
    rd.left = rd.r.get<std::uint32_t>("entry count");
    model.visit_layer_state(rd);
    if (rd.left != 0) rd.r.fail(std::to_string(rd.left) + " more entries than this network keeps");
    rd.r.expect_end("the last entry");
}

}  // namespace ctnet::detail::layer_state_io
