// gradient_check.cpp — the book's ch05/gradient_check.py: backprop against numerical gradients on 3 digits.
//
// For each parameter it prints the mean absolute difference between the
// gradient backpropagation computes and the one central differences
// measure. In double precision every figure is far below 1e-8: backprop is
// right (and a thousand times faster, see docs/benchmarks.md).
#include <fmt/core.h>

#include <ctnet/ctnet.hpp>
#include <exception>
#include <span>
#include <string>

using TwoLayerNet = ctnet::Sequential<ctnet::Affine<784, 50>, ctnet::Relu, ctnet::Affine<50, 10>,
                                      ctnet::SoftmaxWithLoss>;

int main(int argc, char** argv) try {
    const std::string data = argc > 1 ? std::string(argv[1]) : ctnet::bundled_mnist_dir().string();
    const auto mnist = ctnet::load_mnist<double>(data, /*normalize=*/true, /*flatten=*/true, /*one_hot_label=*/true);

    // x_batch = x_train[:3], t_batch = t_train[:3], one-hot as in the book.
    ctnet::Matrix<double, 3, 784> x_batch;
    ctnet::Matrix<double, 3, 10> t_batch;
    for (std::size_t i = 0; i < 3; ++i) {
        std::copy_n(mnist.train.x.data() + i * 784, 784, x_batch.row_ptr(i));
        std::copy_n(mnist.train.one_hot.data() + i * 10, 10, t_batch.row_ptr(i));
    }

    ctnet::Model<TwoLayerNet, double, 3> network;  // weight_init_std = 0.01, as the book
    for (const auto& d : ctnet::gradient_check(network, x_batch, t_batch))
        fmt::print("{}: {:.1e}\n", d.name, d.mean_abs_diff);
} catch (const std::exception& e) {
    fmt::print(stderr, "gradient_check: {}\n", e.what());
    return 1;
}
