// nesterov.hpp — Nesterov: momentum that looks ahead, as the book's common/optimizer.py writes it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>

#include "../config.hpp"
#include "state.hpp"

namespace ctnet::inline CTNET_ABI {

// Nesterov's accelerated gradient in the book's form (common/optimizer.py,
// after Bengio et al., "Advances in optimizing recurrent networks"):
//   v = momentum v - lr dp;  p += momentum^2 v - (1 + momentum) lr dp.
// The velocities belong to one model: use one Nesterov per Model.
//
//     ctnet::Nesterov opt{0.01, 0.9};
//     ctnet::train_step(net, x, labels, opt);
struct Nesterov {
    static constexpr std::string_view name = "Nesterov";
    double lr = 0.01;
    double momentum = 0.9;

    explicit Nesterov(double lr_ = 0.01, double momentum_ = 0.9) : lr(lr_), momentum(momentum_) {}

    template <class Model>
    void update(Model& model) {
        std::size_t k = 0;
        model.for_each_param_matrix([&](const auto&, auto& p, const auto& g) {
            using M = std::remove_cvref_t<decltype(p)>;
            using T = typename M::value_type;
            M& v = state_.slot<M>(k++, 0);
            v = static_cast<T>(momentum) * v - static_cast<T>(lr) * g;
            p += static_cast<T>(momentum * momentum) * v;  // two steps, in the book's order of rounding
            p -= static_cast<T>((1 + momentum) * lr) * g;
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
