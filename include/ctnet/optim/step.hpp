// step.hpp — train_step: one optimisation step of a model on a batch, with whichever optimizer.
#pragma once

#include <type_traits>

#include "../config.hpp"
#include "sgd.hpp"

namespace ctnet::inline CTNET_ABI {

// gradient, then update; for plain SGD the update fused into backward
// (Model::sgd_step), which never stores the weight gradients. Returns the
// batch's loss (computed before the update, as the gradient is).
template <class Model, class Target, class Optimizer>
auto train_step(Model& model, const typename Model::Input& x, const Target& t, Optimizer& opt) {
    using T = typename Model::Input::value_type;
    if constexpr (std::is_same_v<std::remove_cvref_t<Optimizer>, Sgd>) {
        return model.sgd_step(x, t, static_cast<T>(opt.lr));
    } else {
        const T loss = model.gradient(x, t);
        opt.update(model);
        return loss;
    }
}

}  // namespace ctnet
