// sgd.hpp — Sgd: plain stochastic gradient descent, p -= lr * dp (book 6.1.2).
#pragma once

#include <string_view>
#include <type_traits>

#include "../config.hpp"

namespace ctnet::inline CTNET_ABI {

// The optimizer protocol: update(model) applies one step from the gradients
// the model holds after model.gradient(x, t). For SGD, ctnet::train_step
// uses Model::sgd_step instead, which fuses the update into backward.
//
//     ctnet::Sgd opt{0.1};
//     net.gradient(x, t);
//     opt.update(net);
struct Sgd {
    static constexpr std::string_view name = "Sgd";
    double lr = 0.01;

    template <class Model>
    void update(Model& model) const {
        model.for_each_param_matrix([&](const auto&, auto& p, const auto& g) {
            using T = typename std::remove_cvref_t<decltype(p)>::value_type;
            p -= static_cast<T>(lr) * g;
        });
    }

    // The state protocol (optim/state_io.hpp): SGD keeps none.
    template <class Model, class Visitor>
    void visit_state(Model&, Visitor&&) {}
};

}  // namespace ctnet
