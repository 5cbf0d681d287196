// main.cpp — a program outside ctnet's tree that uses its headers and its library.
#include <fmt/core.h>

#include <ctnet/ctnet.hpp>

int main() {
    // A product with a fused bias and ReLU, and a gradient through the scalar graph.
    const ctnet::Matrix<float, 2, 3> x({{1, -2, 3}, {0.5f, 1, -1}});
    const ctnet::Matrix<float, 4, 3> w({{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 1, 1}});
    const ctnet::Matrix<float, 1, 4> b({{0, 0, 0, 0.5f}});
    const ctnet::Matrix<float, 2, 4> h = max(dot(x, transpose(w)) + b, 0);

    namespace g = ctnet::graph;
    auto [p, q] = g::variables(3.0, 4.0);
    const auto [dp, dq] = g::gradient(p * q + p, p, q);

    fmt::print("ctnet {} ({} backend)\n", CTNET_VERSION_STRING, ctnet::simd::backend_name);
    fmt::print("h {}\ndp {} dq {}\n", h, dp, dq);
    // Where the bundled digits were found: the installed prefix or the source tree.
    fmt::print("data {}\n", ctnet::bundled_mnist_dir().string());
}
