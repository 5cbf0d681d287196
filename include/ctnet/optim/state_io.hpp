// state_io.hpp — an optimizer's state (velocities, moments, step count) as a checkpoint section, and back.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "../config.hpp"
#include "../net/checkpoint.hpp"

namespace ctnet::inline CTNET_ABI {

// The state protocol: an optimizer declares `static constexpr std::string_view
// name` and `visit_state(model, visitor)`, which calls visitor.scalar(name,
// double&) and visitor.matrix(name, Matrix&) for everything update() keeps,
// always in the same order. One visitor writes, one checks, one reads; so a
// new optimizer is checkpointed by writing that one function.

namespace detail::optimizer_state {

// Section layout: the optimizer's name; a u32 entry count; per entry its
// name, a u8 kind (0: a double, 1: a matrix), for a matrix u64 rows, u64 cols
// and rows * cols values of its element type, row by row.
struct Writer {
    std::string out;
    std::uint32_t count = 0;
    void scalar(std::string_view name, const double& v) {
        checkpoint::put_string(out, name);
        checkpoint::put(out, std::uint8_t{0});
        checkpoint::put(out, v);
        ++count;
    }
    template <class M>
    void matrix(std::string_view name, const M& m) {
        checkpoint::put_string(out, name);
        checkpoint::put(out, std::uint8_t{1});
        checkpoint::put(out, static_cast<std::uint64_t>(M::rows));
        checkpoint::put(out, static_cast<std::uint64_t>(M::cols));
        for (std::size_t i = 0; i < M::rows; ++i)
            for (std::size_t j = 0; j < M::cols; ++j) checkpoint::put(out, m(i, j));
        ++count;
    }
};

// Reads the entries in the optimizer's order; with apply == false it only
// checks (names, kinds, shapes, lengths), so a bad section changes nothing.
struct Reader {
    checkpoint::Reader r;
    bool apply;
    std::uint32_t left;

    void entry(std::string_view name, std::uint8_t kind) {
        if (left-- == 0) r.fail("optimizer state ends before '" + std::string(name) + "'");
        const std::string stored = r.get_string("state name");
        const auto stored_kind = r.get<std::uint8_t>("state kind");
        if (stored != name || stored_kind != kind)
            r.fail("optimizer state holds '" + stored + "' where this optimizer keeps '" + std::string(name) + "'");
    }
    void scalar(std::string_view name, double& v) {
        entry(name, 0);
        const double x = r.get<double>("state value");
        if (apply) v = x;
    }
    template <class M>
    void matrix(std::string_view name, M& m) {
        entry(name, 1);
        const auto rows = r.get<std::uint64_t>("rows"), cols = r.get<std::uint64_t>("cols");
        if (rows != M::rows || cols != M::cols)
            r.fail("optimizer state '" + std::string(name) + "' is " + std::to_string(rows) + "x" +
                   std::to_string(cols) + ", this model's is " + std::to_string(M::rows) + "x" + std::to_string(M::cols));
        for (std::size_t i = 0; i < M::rows; ++i)
            for (std::size_t j = 0; j < M::cols; ++j) {
                const auto x = r.get<typename M::value_type>("state values");
                if (apply) m(i, j) = x;
            }
    }
};

}  // namespace detail::optimizer_state

// The optimizer's state for the model it updates, as the checkpoint section "optimizer":
//
//     ctnet::save_checkpoint(net, "out/model.ckpt", {ctnet::optimizer_section(adam, net)});
template <class Optimizer, class Model>
CheckpointSection optimizer_section(Optimizer& opt, Model& model) {
    detail::optimizer_state::Writer w;
    opt.visit_state(model, w);
    std::string out;
    detail::checkpoint::put_string(out, Optimizer::name);
    detail::checkpoint::put(out, w.count);
    return {"optimizer", out + w.out};
}

// The name (Optimizer::name: "Sgd", "Adam", ...) of the optimizer whose state
// the sections hold, or "" if they hold none: what a program needs to build
// the right optimizer before it resumes a run.
inline std::string saved_optimizer_name(const std::vector<CheckpointSection>& sections) {
    const CheckpointSection* s = find_section(sections, "optimizer");
    if (!s) return {};
    detail::checkpoint::Reader r(s->bytes, "optimizer state");
    return r.get_string("optimizer name");
}

// Restores what optimizer_section saved, into an optimizer of the same kind
// for the same network. Everything is checked before anything is changed;
// a mismatch (another optimizer, another network's shapes, a damaged
// section) throws ctnet::Error and leaves the optimizer as it was.
//
//     auto sections = ctnet::load_checkpoint(net, "out/model.ckpt");
//     ctnet::restore_optimizer(adam, net, sections);
template <class Optimizer, class Model>
void restore_optimizer(Optimizer& opt, Model& model, const std::vector<CheckpointSection>& sections) {
    const CheckpointSection* s = find_section(sections, "optimizer");
    if (!s) throw Error("the checkpoint holds no optimizer state (saved without it, or by an older ctnet)");
    for (const bool apply : {false, true}) {
        detail::optimizer_state::Reader rd{detail::checkpoint::Reader(s->bytes, "optimizer state"), apply, 0};
        if (const std::string name = rd.r.get_string("optimizer name"); name != Optimizer::name)
            rd.r.fail("saved for " + name + ", this optimizer is " + std::string(Optimizer::name));
        rd.left = rd.r.get<std::uint32_t>("entry count");
        opt.visit_state(model, rd);
        if (rd.left != 0) rd.r.fail(std::to_string(rd.left) + " more entries than this optimizer keeps");
        rd.r.expect_end("the last entry");
    }
}

}  // namespace ctnet
