// layer_state.hpp — the layer-state protocol: what a layer keeps besides its parameters, visited by name.
//
// A layer whose Impl keeps something a later pass depends on (BatchNorm's
// running statistics, Dropout's generator and ratio) gives it a
//
//     template <class V> void visit_state(V& v);
//
// that calls v.scalar(name, double&), v.matrix(name, Matrix&) and
// v.rng(name, Rng&) for each piece, always in the same order. The Model
// visits every such layer with its names prefixed by the layer's
// ("BatchNorm1/running_mean"), and two visitors serve everything: one copies
// the state out of a model and into another (the double twin of
// numerical_gradient) or back into the same one; the checkpoint's "layers"
// section writes and reads it (net/checkpoint.hpp).
//
// A layer with a generator of its own (Dropout) also gives Impl a
// seed(std::uint64_t), which Model::initialize calls with layer_seed(seed, index).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "../config.hpp"
#include "../random.hpp"

namespace ctnet::inline CTNET_ABI::detail {

// The seed of layer `index`'s own generator in a model seeded with `seed`
// (SplitMix64 of both, set apart from the weights' stream by a constant):
// adding a Dropout changes none of the weights the model draws from its seed,
// and two Dropouts draw different masks.
constexpr std::uint64_t layer_seed(std::uint64_t seed, std::size_t index) {
    return splitmix64_mix((seed ^ 0x6C617965725F726Eull) + splitmix64_gamma * (static_cast<std::uint64_t>(index) + 1));
}

template <class L>
concept Seeded = requires(L& l, std::uint64_t s) { l.seed(s); };

// A visitor that does nothing: the probe of the concept below.
struct StateProbe {
    void scalar(std::string_view, double&) {}
    template <class M>
    void matrix(std::string_view, M&) {}
    void rng(std::string_view, Rng&) {}
};

template <class L>
concept HasState = requires(L& l, StateProbe& v) { l.visit_state(v); };

// Hands a layer's names on with the layer's own in front.
template <class V>
struct PrefixedVisitor {
    V& inner;
    std::string_view prefix;

    std::string full(std::string_view name) const {
        std::string s(prefix);
        s += '/';
        s += name;
        return s;
    }
    void scalar(std::string_view name, double& v) { inner.scalar(full(name), v); }
    template <class M>
    void matrix(std::string_view name, M& m) {
        inner.matrix(full(name), m);
    }
    void rng(std::string_view name, Rng& r) { inner.rng(full(name), r); }
};

// The layers' state taken out of a model and put into one of the same
// network, in either element type: values travel as doubles, which hold a
// float exactly, so a float model's state reaches its double twin exactly
// and a model's own state comes back unchanged.
class LayerStateCopy {
public:
    template <class Model>
    void capture(Model& model) {
        values_.clear();
        rngs_.clear();
        Capture c{*this};
        model.visit_layer_state(c);
    }
    template <class Model>
    void apply(Model& model) const {
        Apply a{*this};
        model.visit_layer_state(a);
    }

private:
    struct Capture {
        LayerStateCopy& to;
        void scalar(std::string_view, const double& v) { to.values_.push_back(v); }
        template <class M>
        void matrix(std::string_view, const M& m) {
            for (std::size_t i = 0; i < M::rows; ++i)
                for (std::size_t j = 0; j < M::cols; ++j) to.values_.push_back(static_cast<double>(m(i, j)));
        }
        void rng(std::string_view, const Rng& r) { to.rngs_.push_back(r.state()); }
    };
    struct Apply {
        const LayerStateCopy& from;
        std::size_t value = 0, generator = 0;
        void scalar(std::string_view, double& v) { v = from.values_.at(value++); }
        template <class M>
        void matrix(std::string_view, M& m) {
            using T = typename M::value_type;
            for (std::size_t i = 0; i < M::rows; ++i)
                for (std::size_t j = 0; j < M::cols; ++j) m(i, j) = static_cast<T>(from.values_.at(value++));
        }
        void rng(std::string_view, Rng& r) { r.restore(from.rngs_.at(generator++)); }
    };

    std::vector<double> values_;
    std::vector<Rng::State> rngs_;
};

}  // namespace ctnet::detail
