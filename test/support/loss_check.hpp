// loss_check.hpp — a loss layer's backward against central differences of its forward, in double.
#pragma once

#include <cstddef>
#include <vector>

#include "layer_check.hpp"

namespace ctnet::test {

template <class Spec, std::size_t B, std::size_t C, class Target>
double loss_gradient_error(Matrix<double, B, C> x, const Target& t, std::size_t n = B) {
    typename Spec::template Impl<double, B, C> loss;
    loss.forward(x, t, n);
    Matrix<double, B, C> dx;
    loss.backward(x, t, n, dx);
    std::vector<double> a, num;
    const double h = 1e-5;
    for (std::size_t i = 0; i < B; ++i)
        for (std::size_t j = 0; j < C; ++j) {
            const double saved = x(i, j);
            x(i, j) = saved + h;
            const double plus = loss.forward(x, t, n);
            x(i, j) = saved - h;
            const double minus = loss.forward(x, t, n);
            x(i, j) = saved;
            a.push_back(dx(i, j));
            num.push_back((plus - minus) / (2 * h));
        }
    return max_relative_error(a, num);
}

}  // namespace ctnet::test
