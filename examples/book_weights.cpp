// book_weights.cpp — the book authors' trained SimpleConvNet and DeepConvNet, loaded into ctnet's types.
//
//     book_weights              # the bundled digits
//     book_weights DIR          # any directory holding the four MNIST files
//
// The book ships the parameters its ch07 and ch08 scripts trained (params.pkl,
// deep_convnet_params.pkl); data/book-weights/ holds them as .npz under the
// book's names and shapes, and ctnet::load_npz reads them into
// ctnet::book::SimpleConvNet and ctnet::book::DeepConvNet. This prints each
// network's shapes and its accuracy on the test images (the book reports
// 98.96% and 99.38% on MNIST's 10,000). The test interop-book-convnets checks
// that every prediction is the book's NumPy code's.
#include <fmt/core.h>

#include <ctnet/ctnet.hpp>
#include <exception>
#include <memory>
#include <span>

template <class Net>
void report(const char* name, const ctnet::MnistSplit<float>& test) {
    auto net = std::make_unique<ctnet::Model<Net, float, 100>>();
    ctnet::load_npz(*net, ctnet::book_weights_dir() / (std::string(name) + ".npz"));
    const double accuracy = net->accuracy(std::span<const float>(test.x), test.labels);
    fmt::print("{}\n{}: test accuracy {:.4f} on {} images\n\n", net->describe(), name, accuracy, test.size());
}

int main(int argc, char** argv) try {
    const auto data = ctnet::load_mnist<float>(argc > 1 ? std::filesystem::path(argv[1]) : ctnet::bundled_mnist_dir());
    report<ctnet::book::SimpleConvNet>("simple_convnet", data.test);
    report<ctnet::book::DeepConvNet>("deep_convnet", data.test);
} catch (const std::exception& e) {
    fmt::print(stderr, "book_weights: {}\n", e.what());
    return 1;
}
