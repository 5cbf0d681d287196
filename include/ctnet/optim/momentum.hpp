// momentum.hpp — Momentum: v = momentum * v - lr * dp; p += v (book 6.1.4).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>

#include "../config.hpp"
#include "state.hpp"

namespace ctnet::inline CTNET_ABI {

// SGD with momentum. The velocities are per optimizer, for one model: use one
// Momentum per Model.
struct Momentum {
    static constexpr std::string_view name = "Momentum";
    double lr = 0.01;
    double momentum = 0.9;

    explicit Momentum(double lr_ = 0.01, double momentum_ = 0.9) : lr(lr_), momentum(momentum_) {}

    template <class Model>
    void update(Model& model) {
        std::size_t k = 0;
        model.for_each_param_matrix([&](const auto&, auto& p, const auto& g) {
            using M = std::remove_cvref_t<decltype(p)>;
            using T = typename M::value_type;
            M& v = state_.slot<M>(k++, 0);
            v = static_cast<T>(momentum) * v - static_cast<T>(lr) * g;
            p += v;
        });
    }

    // The velocities, for checkpoints (optim/state_io.hpp).
    template <class Model, class Visitor>
    void visit_state(Model& model, Visitor&& visit) {
        state_.visit(model, visit, {"v"});
    }

private:
    detail::OptimizerState state_;
};

}  // namespace ctnet
