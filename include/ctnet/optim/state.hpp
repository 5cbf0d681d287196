// state.hpp — OptimizerState: per-parameter buffers (velocities, moments) shaped like the parameters.
#pragma once

#include <cstddef>
#include <memory>
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

private:
    std::vector<std::shared_ptr<void>> slots_;
};

}  // namespace ctnet::detail
