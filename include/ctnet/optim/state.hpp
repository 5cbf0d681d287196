// state.hpp — OptimizerState: per-parameter buffers (velocities, moments) shaped like the parameters.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "../config.hpp"

namespace ctnet::inline CTNET_ABI::detail {

// Slots of buffers, one per parameter in the model's order, each a Matrix of
// that parameter's type. They are allocated on the first update and reused
// after, so steps after the first allocate nothing.
class OptimizerState {
public:
    // The k-th parameter's buffer number `which` (0, 1, ...), created zeroed on first use.
    template <class M>
    M& slot(std::size_t k, std::size_t which) {
        const std::size_t i = k * 2 + which;
        if (i >= slots_.size()) slots_.resize(i + 1);
        if (!slots_[i]) slots_[i] = std::make_shared<M>();
        return *static_cast<M*>(slots_[i].get());
    }
    void clear() { slots_.clear(); }

    // The checkpoint side of the state protocol (optim/state_io.hpp): for each
    // of the model's parameters, visitor.matrix("<prefix>/<param>", buffer)
    // for each prefix in turn, buffer `which` = the prefix's position.
    // Momentum keeps {"v"}, AdaGrad {"h"}, Adam {"m", "v"}.
    template <class Model, class Visitor>
    void visit(Model& model, Visitor& visitor, std::initializer_list<std::string_view> prefixes) {
        std::size_t k = 0;
        model.for_each_param_matrix([&](const std::string& param, auto& p, const auto&) {
            using M = std::remove_cvref_t<decltype(p)>;
            std::size_t which = 0;
            for (const std::string_view prefix : prefixes) visitor.matrix(std::string(prefix) + "/" + param, slot<M>(k, which++));
            ++k;
        });
    }

private:
    std::vector<std::shared_ptr<void>> slots_;
};

}  // namespace ctnet::detail
