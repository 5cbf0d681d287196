// gradient_check.hpp — gradient_check: backprop against central differences, parameter by parameter.
#pragma once

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "param.hpp"

namespace ctnet::inline CTNET_ABI {

// How far backprop's gradient of one parameter is from the numerical one.
struct GradientDifference {
    std::string name;
    // The book's figure: the mean of |backprop - numerical| over the elements.
    double mean_abs_diff = 0;
    // max over elements of |a - n| / max(|a|, |n|, floor), floor being a
    // thousandth of the parameter's largest gradient: an element a thousand
    // times smaller than its neighbours is compared at the precision the
    // parameter as a whole needs (central differences cannot resolve it
    // relatively: their own error is ~1e-12 in double).
    double max_rel_error = 0;
};

// Runs model.gradient(x, t) and model.numerical_gradient(x, t, h) and
// compares them, as the book's gradient_check.py (5.7.3). A float model's
// numerical gradient is taken on a double copy of it (see
// Model::numerical_gradient), so the check means the same in float. In this
// order a network with Dropout is checked on one mask: numerical_gradient
// holds still the mask that gradient() then draws. A network with BatchNorm
// may want h = 1e-5 (its normalisation curves the loss; the error of
// central differences grows as h^2):
//
//     ctnet::Model<Net, double, 3> net;
//     for (const auto& d : ctnet::gradient_check(net, x, labels))
//         fmt::print("{}: {:.1e}\n", d.name, d.mean_abs_diff);
template <class Model, class Target>
std::vector<GradientDifference> gradient_check(Model& model, const typename Model::Input& x, const Target& t,
                                               double h = 1e-4) {
    using T = typename Model::Input::value_type;
    const ParamSet<T> numerical = model.numerical_gradient(x, t, static_cast<T>(h));
    model.gradient(x, t);
    const ParamSet<T> backprop = model.gradients();
    std::vector<GradientDifference> out;
    for (const Tensor<T>& n : numerical) {
        const Tensor<T>& a = backprop[n.name];
        double largest = 0, sum_abs = 0, worst = 0;
        for (T v : a.values) largest = std::max(largest, std::fabs(static_cast<double>(v)));
        const double floor = std::max(largest * 1e-3, 1e-300);
        for (std::size_t i = 0; i < n.values.size(); ++i) {
            const double av = a.values[i], nv = n.values[i], d = std::fabs(av - nv);
            sum_abs += d;
            worst = std::max(worst, d / std::max({std::fabs(av), std::fabs(nv), floor}));
        }
        out.push_back({n.name, sum_abs / static_cast<double>(n.values.size()), worst});
    }
    return out;
}

}  // namespace ctnet
