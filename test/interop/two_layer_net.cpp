// two_layer_net.cpp — the C++ half of the NumPy interop test (book_two_layer_net.py drives it).
//
//     two_layer_net train DATA OUT               trains the book's TwoLayerNet briefly on DATA, writes
//                                                OUT/model.npz and OUT/model.ckpt, prints its test accuracy
//     two_layer_net predict DATA OUT A.npz ...   loads each file (all must give the same parameters) and
//                                                writes the test set's scores and predicted digits to
//                                                OUT/predictions.npz
#include <fmt/core.h>

#include <ctnet/ctnet.hpp>
#include <ctnet/io/npz.hpp>
#include <ctnet/net/npz.hpp>
#include <algorithm>
#include <cstring>
#include <exception>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

using TwoLayerNet =
    ctnet::Sequential<ctnet::Affine<784, 50>, ctnet::Relu, ctnet::Affine<50, 10>, ctnet::SoftmaxWithLoss>;
using Net = ctnet::Model<TwoLayerNet, float, 100>;

namespace {

void print_accuracy(Net& net, const ctnet::MnistSplit<float>& test) {
    const double acc = net.accuracy(std::span<const float>(test.x), test.labels);
    const auto correct = static_cast<std::size_t>(acc * static_cast<double>(test.size()) + 0.5);
    fmt::print("test accuracy {:.4f} ({} of {})\n", acc, correct, test.size());
}

void train(const ctnet::MnistData<float>& data, const std::filesystem::path& out) {
    auto net = std::make_unique<Net>(ctnet::Init::gaussian(0.01), 1);
    ctnet::Sgd sgd{0.1};
    Net::Input x;
    // 400 batches of 100 taken in order, wrapping around: about 88% on the
    // test set, an accuracy every weight contributes to.
    const std::size_t batches = data.train.size() / 100;
    for (std::size_t step = 0; step < 400; ++step) {
        const std::size_t first = step % batches * 100;
        for (std::size_t r = 0; r < 100; ++r) std::copy_n(data.train.x.data() + (first + r) * 784, 784, x.row_ptr(r));
        ctnet::train_step(*net, x, std::span(data.train.labels.data() + first, 100), sgd);
    }
    ctnet::save_npz(*net, out / "model.npz");
    ctnet::save_checkpoint(*net, out / "model.ckpt");
    print_accuracy(*net, data.test);
}

std::string bits_of(Net& net) {
    std::string out;
    for (const auto& p : net.parameters())
        out.append(reinterpret_cast<const char*>(p.values.data()), p.values.size() * 4);
    return out;
}

int predict(const ctnet::MnistData<float>& data, const std::filesystem::path& out, std::span<char*> files) {
    auto net = std::make_unique<Net>(), other = std::make_unique<Net>();
    ctnet::load_npz(*net, files[0]);
    for (const char* file : files.subspan(1)) {
        ctnet::load_npz(*other, file);
        if (bits_of(*other) != bits_of(*net)) {
            fmt::print(stderr, "two_layer_net: {} and {} give different parameters\n", files[0], file);
            return 1;
        }
    }
    const std::size_t n = data.test.size();
    ctnet::NpyArray scores{"scores", {n, 10}, "<f4", {}}, predicted{"predicted", {n}, "|u1", {}};
    net->predict_batches(
        n,
        [&](std::size_t first, std::size_t count, Net::Input& x) {
            for (std::size_t r = 0; r < count; ++r)
                std::copy_n(data.test.x.data() + (first + r) * 784, 784, x.row_ptr(r));
        },
        [&](std::size_t, std::size_t count, const Net::Output& y) {
            for (std::size_t r = 0; r < count; ++r) {
                std::size_t best = 0;
                for (std::size_t c = 0; c < 10; ++c) {
                    scores.values.push_back(y(r, c));
                    if (y(r, c) > y(r, best)) best = c;  // the first of equal maxima, as np.argmax
                }
                predicted.values.push_back(static_cast<double>(best));
            }
        });
    ctnet::write_npz(out / "predictions.npz", {scores, predicted});
    print_accuracy(*net, data.test);
    return 0;
}

}  // namespace

int main(int argc, char** argv) try {
    const std::string mode = argc > 1 ? argv[1] : "";
    if (argc < 4 || (mode != "train" && mode != "predict") || (mode == "predict" && argc < 5)) {
        fmt::print(stderr, "usage: two_layer_net train DATA OUT | two_layer_net predict DATA OUT FILE.npz...\n");
        return 2;
    }
    const auto data = ctnet::load_mnist<float>(argv[2]);
    if (mode == "train") {
        train(data, argv[3]);
        return 0;
    }
    return predict(data, argv[3], std::span(argv + 4, static_cast<std::size_t>(argc - 4)));
} catch (const std::exception& e) {
    fmt::print(stderr, "two_layer_net: {}\n", e.what());
    return 1;
}
