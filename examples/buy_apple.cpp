// buy_apple.cpp — the book's first backpropagation (5.4.1): 2 apples at 100 each, 10% tax.
//
// Each multiply node is a MulLayer: forward left to right keeps its inputs,
// backward right to left hands each input the other one times dout.
#include <fmt/core.h>

#include <ctnet/graph.hpp>

int main() {
    const double apple = 100.0;
    const double apple_num = 2.0;
    const double tax = 1.1;

    ctnet::MulLayer<double> mul_apple_layer;
    ctnet::MulLayer<double> mul_tax_layer;

    // forward
    const double apple_price = mul_apple_layer.forward(apple, apple_num);
    const double price = mul_tax_layer.forward(apple_price, tax);

    // backward
    const double dprice = 1.0;
    const auto [dapple_price, dtax] = mul_tax_layer.backward(dprice);
    const auto [dapple, dapple_num] = mul_apple_layer.backward(dapple_price);

    // fmt's {} is the shortest round-trip form, as Python prints floats.
    fmt::print("price {}\n", price);
    fmt::print("dapple {}\n", dapple);
    fmt::print("dapple_num {}\n", dapple_num);
    fmt::print("dtax {}\n", dtax);
}
