// computational_graph.cpp — the same graphs written as one expression each; the compiler builds them.
//
// The apple-and-orange price and the book's sigmoid graph (x -> *-1 -> exp ->
// +1 -> 1/x) are C++ expressions whose types are the graphs; gradient() runs
// reverse mode through the type, unrolled at compile time.
#include <fmt/core.h>

#include <ctnet/graph.hpp>

int main() {
    namespace g = ctnet::graph;

    auto [apple, apple_num, orange, orange_num, tax] = g::variables(100.0, 2.0, 150.0, 3.0, 1.1);
    auto price = (apple * apple_num + orange * orange_num) * tax;
    const auto [dapple, dapple_num, dorange, dorange_num, dtax] =
        g::gradient(price, apple, apple_num, orange, orange_num, tax);
    fmt::print("price {}\n", price.value());
    fmt::print("dapple_num {}\ndapple {}\ndorange {}\ndorange_num {}\ndtax {}\n", dapple_num, dapple, dorange,
               dorange_num, dtax);

    for (const double x0 : {-2.0, 0.0, 0.5, 3.0}) {
        auto [x] = g::variables(x0);
        auto y = 1.0 / (1.0 + exp(-1.0 * x));
        const auto [dx] = g::gradient(y, x);
        fmt::print("sigmoid({}) {:.6f}  graph dy/dx {:.6f}  y(1-y) {:.6f}\n", x0, y.value(), dx,
                   y.value() * (1.0 - y.value()));
    }
}
