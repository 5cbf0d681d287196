// adam.hpp — Adam: bias-corrected first and second moments (book 6.1.6, Kingma & Ba).
#pragma once

#include <cmath>
#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>

#include "../config.hpp"
#include "state.hpp"

namespace ctnet::inline CTNET_ABI {

// As the book's Adam: lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t);
// m += (1 - beta1)(dp - m); v += (1 - beta2)(dp^2 - v); p -= lr_t m / (sqrt(v) + 1e-7).
struct Adam {
    static constexpr std::string_view name = "Adam";
    double lr = 0.001;
    double beta1 = 0.9;
    double beta2 = 0.999;

    explicit Adam(double lr_ = 0.001, double beta1_ = 0.9, double beta2_ = 0.999) : lr(lr_), beta1(beta1_), beta2(beta2_) {}

    template <class Model>
    void update(Model& model) {
        ++t_;
        const double lr_t = lr * std::sqrt(1.0 - std::pow(beta2, t_)) / (1.0 - std::pow(beta1, t_));
        std::size_t k = 0;
        model.for_each_param_matrix([&](const auto&, auto& p, const auto& g) {
            using M = std::remove_cvref_t<decltype(p)>;
            using T = typename M::value_type;
            M& m = state_.slot<M>(k, 0);
            M& v = state_.slot<M>(k, 1);
            ++k;
            m += static_cast<T>(1.0 - beta1) * (g - m);
            v += static_cast<T>(1.0 - beta2) * (g * g - v);
            p -= static_cast<T>(lr_t) * m / (sqrt(v) + T(1e-7));
        });
    }

    // The step count and both moments, for checkpoints (optim/state_io.hpp).
    template <class Model, class Visitor>
    void visit_state(Model& model, Visitor&& visit) {
        visit.scalar("t", t_);
        state_.visit(model, visit, {"m", "v"});
    }

private:
    detail::OptimizerState state_;
    double t_ = 0;
};

}  // namespace ctnet
