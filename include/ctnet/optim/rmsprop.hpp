// rmsprop.hpp — RMSprop: AdaGrad whose memory of squared gradients fades (book 6.1.5, common/optimizer.py).
#pragma once

#include <cmath>
#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>

#include "../config.hpp"
#include "state.hpp"

namespace ctnet::inline CTNET_ABI {

// As the book's RMSprop: h = decay h + (1 - decay) dp^2; p -= lr dp / (sqrt(h) + 1e-7).
// Unlike AdaGrad's sum, the moving average forgets old gradients, so the
// step does not shrink to nothing over a long run.
//
//     ctnet::RmsProp opt{0.01, 0.99};
struct RmsProp {
    static constexpr std::string_view name = "RMSprop";
    double lr = 0.01;
    double decay_rate = 0.99;

    explicit RmsProp(double lr_ = 0.01, double decay_rate_ = 0.99) : lr(lr_), decay_rate(decay_rate_) {}

    template <class Model>
    void update(Model& model) {
        std::size_t k = 0;
        model.for_each_param_matrix([&](const auto&, auto& p, const auto& g) {
            using M = std::remove_cvref_t<decltype(p)>;
            using T = typename M::value_type;
            M& h = state_.slot<M>(k++, 0);
            h = static_cast<T>(decay_rate) * h + static_cast<T>(1 - decay_rate) * (g * g);
            p -= static_cast<T>(lr) * g / (sqrt(h) + T(1e-7));
        });
    }

    // The moving averages of squared gradients, for checkpoints (optim/state_io.hpp).
    template <class Model, class Visitor>
    void visit_state(Model& model, Visitor&& visit) {
        state_.visit(model, visit, {"h"});
    }

private:
    detail::OptimizerState state_;
};

}  // namespace ctnet
