// buy_apple_orange.cpp — the book's 5.4.2: apples and oranges, an add node joining two branches.
#include <fmt/core.h>

#include <ctnet/graph.hpp>

int main() {
    const double apple = 100.0;
    const double apple_num = 2.0;
    const double orange = 150.0;
    const double orange_num = 3.0;
    const double tax = 1.1;

    ctnet::MulLayer<double> mul_apple_layer;
    ctnet::MulLayer<double> mul_orange_layer;
    ctnet::AddLayer<double> add_apple_orange_layer;
    ctnet::MulLayer<double> mul_tax_layer;

    // forward
    const double apple_price = mul_apple_layer.forward(apple, apple_num);
    const double orange_price = mul_orange_layer.forward(orange, orange_num);
    const double all_price = add_apple_orange_layer.forward(apple_price, orange_price);
    const double price = mul_tax_layer.forward(all_price, tax);

    // backward
    const double dprice = 1.0;
    const auto [dall_price, dtax] = mul_tax_layer.backward(dprice);
    const auto [dapple_price, dorange_price] = add_apple_orange_layer.backward(dall_price);
    const auto [dorange, dorange_num] = mul_orange_layer.backward(dorange_price);
    const auto [dapple, dapple_num] = mul_apple_layer.backward(dapple_price);

    fmt::print("price {}\n", price);
    fmt::print("dapple_num {}\n", dapple_num);
    fmt::print("dapple {}\n", dapple);
    fmt::print("dorange {}\n", dorange);
    fmt::print("dorange_num {}\n", dorange_num);
    fmt::print("dtax {}\n", dtax);
}
