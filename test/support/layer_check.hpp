// layer_check.hpp — one layer alone against central differences, in double.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <functional>
#include <vector>

#include "ctnet/layer/init.hpp"
#include "ctnet/layer/layer.hpp"
#include "ctnet/layer/mode.hpp"
#include "ctnet/matrix/matrix.hpp"
#include "ctnet/matrix/reduce.hpp"
#include "ctnet/random.hpp"
#include "reference.hpp"

namespace ctnet::test {

// Relative error as gradient_check defines it: |a - n| / max(|a|, |n|, a
// thousandth of the largest |a| of the tensor).
inline double max_relative_error(const std::vector<double>& analytic, const std::vector<double>& numeric) {
    double largest = 0, worst = 0;
    for (double a : analytic) largest = std::max(largest, std::fabs(a));
    const double floor = std::max(largest * 1e-3, 1e-300);
    for (std::size_t i = 0; i < analytic.size(); ++i)
        worst = std::max(worst, std::fabs(analytic[i] - numeric[i]) /
                                    std::max({std::fabs(analytic[i]), std::fabs(numeric[i]), floor}));
    return worst;
}

// Checks backward of a non-loss layer: with L = sum(y * R) for a fixed random
// R, dL/dy = R, so backward(x, y, R) must give dL/dx and dL/dparams, which
// central differences of L measure independently. Returns the worst relative
// error over dx and every parameter. `x` may be adjusted by `shape_input`
// (e.g. to keep ReLU inputs away from the kink, where no derivative exists).
// A layer with a Mode (Dropout, BatchNorm) is checked as it trains: one
// Mode::train pass draws its mask, and L is then taken in Mode::train_frozen,
// with that mask and without touching the running statistics.
// InShape is the input's width, or its Shape<...>{} for a shaped layer
// (Convolution, Pooling), which is bound to that shape.
template <class Spec, std::size_t B, auto InShape>
double layer_gradient_error(std::uint64_t seed,
                            const std::function<void(Matrix<double, B, detail::dims_of<InShape>().size()>&)>&
                                shape_input = {}) {
    constexpr Dims in_dims = detail::dims_of<InShape>();
    constexpr std::size_t In = in_dims.size(), Out = detail::next_shape<Spec>(in_dims).size();
    using Impl = detail::bound_layer<Spec, double, B, in_dims>;
    Impl layer;
    Rng rng(seed);
    if constexpr (requires { layer.initialize(Init::he(), rng); }) layer.initialize(Init::he(), rng);
    if constexpr (requires { layer.b; }) fill_uniform(layer.b, rng, -0.5, 0.5);  // non-zero bias
    if constexpr (requires { layer.gamma; }) {  // a scale and shift other than 1 and 0
        fill_uniform(layer.gamma, rng, 0.5, 1.5);
        fill_uniform(layer.beta, rng, -0.5, 0.5);
    }
    Matrix<double, B, In> x;
    fill_uniform(x, rng, -1.0, 1.0);
    if (shape_input) shape_input(x);
    Matrix<double, B, Out> r;
    fill_uniform(r, rng, -1.0, 1.0);

    constexpr bool modal = requires(Matrix<double, B, Out>& y) { layer.forward(x, y, Mode::train); };
    auto forward = [&](Matrix<double, B, Out>& y, [[maybe_unused]] Mode mode) {
        if constexpr (modal) layer.forward(x, y, mode);
        else layer.forward(x, y);
    };
    auto loss = [&] {
        Matrix<double, B, Out> y;
        forward(y, Mode::train_frozen);
        return sum(y * r);
    };
    Matrix<double, B, Out> y;
    forward(y, Mode::train);
    Matrix<double, B, In> dx;
    layer.template backward<true>(x, y, r, &dx);

    const double h = 1e-5;
    auto numeric_of = [&](double& v) {
        const double saved = v;
        v = saved + h;
        const double plus = loss();
        v = saved - h;
        const double minus = loss();
        v = saved;
        return (plus - minus) / (2 * h);
    };
    std::vector<double> a, n;
    for (std::size_t i = 0; i < B; ++i)
        for (std::size_t j = 0; j < In; ++j) {
            a.push_back(dx(i, j));
            n.push_back(numeric_of(x(i, j)));
        }
    double worst = max_relative_error(a, n);
    if constexpr (requires { layer.for_each_param([](auto, auto&, auto&, bool) {}); }) {
        layer.for_each_param([&](auto, auto& p, auto& g, bool) {
            using M = std::remove_cvref_t<decltype(p)>;
            std::vector<double> pa, pn;
            for (std::size_t i = 0; i < M::rows; ++i)
                for (std::size_t j = 0; j < M::cols; ++j) {
                    pa.push_back(g(i, j));
                    pn.push_back(numeric_of(p(i, j)));
                }
            worst = std::max(worst, max_relative_error(pa, pn));
        });
    }
    return worst;
}

}  // namespace ctnet::test
