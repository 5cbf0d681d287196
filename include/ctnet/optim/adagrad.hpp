// adagrad.hpp — AdaGrad: h += dp^2; p -= lr * dp / (sqrt(h) + 1e-7) (book 6.1.5).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>

#include "../config.hpp"
#include "state.hpp"

namespace ctnet::inline CTNET_ABI {

// Each parameter's step shrinks with the squared gradients it has seen.
struct AdaGrad {
    static constexpr std::string_view name = "AdaGrad";
    double lr = 0.01;

    explicit AdaGrad(double lr_ = 0.01) : lr(lr_) {}

    template <class Model>
    void update(Model& model) {
        std::size_t k = 0;
        model.for_each_param_matrix([&](const auto&, auto& p, const auto& g) {
            using M = std::remove_cvref_t<decltype(p)>;
            using T = typename M::value_type;
            M& h = state_.slot<M>(k++, 0);
            h += g * g;
            p -= static_cast<T>(lr) * g / (sqrt(h) + T(1e-7));
        });
    }

    // The sums of squared gradients, for checkpoints (optim/state_io.hpp).
    template <class Model, class Visitor>
    void visit_state(Model& model, Visitor&& visit) {
        state_.visit(model, visit, {"h"});
    }

private:
    detail::OptimizerState state_;
};

}  // namespace ctnet
