// convnets.cpp — the C++ half of the book-weights test (book_convnets.py drives it).
//
//     convnets DATA WEIGHTS OUT
//
// Loads WEIGHTS/simple_convnet.npz and WEIGHTS/deep_convnet.npz (the book
// authors' trained parameters, float64) into ctnet::book::SimpleConvNet and
// ctnet::book::DeepConvNet of doubles, predicts every image of DATA (the test
// set, then the training set) in inference mode from the book's inputs (its
// load_mnist(normalize=True) gives float32 x / 255, which NumPy widens), and writes for each network
// OUT/<net>.npz: the scores of predict (before the softmax) and the predicted
// digits, and OUT/<net>_saved.npz: the parameters as save_npz writes them
// back. Prints each network's accuracy on both sets.
#include <fmt/core.h>

#include <ctnet/ctnet.hpp>
#include <exception>
#include <filesystem>
#include <memory>
#include <string>

namespace {

constexpr std::size_t Batch = 100;

template <class Net>
void predict(const std::string& name, const ctnet::MnistData<float>& data, const std::filesystem::path& weights,
             const std::filesystem::path& out) {
    using Model = ctnet::Model<Net, double, Batch>;
    auto net = std::make_unique<Model>();  // about 40 MB of activations for DeepConvNet: on the heap
    ctnet::load_npz(*net, weights / (name + ".npz"));
    ctnet::save_npz(*net, out / (name + "_saved.npz"));

    const std::size_t n_test = data.test.size(), n = n_test + data.train.size();
    ctnet::NpyArray scores{"scores", {n, 10}, "<f8", {}}, predicted{"predicted", {n}, "|u1", {}};
    std::size_t correct[2] = {0, 0};
    auto image = [&](std::size_t i) {
        return i < n_test ? data.test.x.data() + i * 784 : data.train.x.data() + (i - n_test) * 784;
    };
    auto label = [&](std::size_t i) { return i < n_test ? data.test.labels[i] : data.train.labels[i - n_test]; };
    net->predict_batches(
        n,
        [&](std::size_t first, std::size_t count, typename Model::Input& x) {
            for (std::size_t r = 0; r < count; ++r) std::copy_n(image(first + r), 784, x.row_ptr(r));  // widened
        },
        [&](std::size_t first, std::size_t count, const typename Model::Output& y) {
            for (std::size_t r = 0; r < count; ++r) {
                std::size_t best = 0;
                for (std::size_t c = 0; c < 10; ++c) {
                    scores.values.push_back(y(r, c));
                    if (y(r, c) > y(r, best)) best = c;  // the first of equal maxima, as np.argmax
                }
                predicted.values.push_back(static_cast<double>(best));
                if (best == label(first + r)) ++correct[first + r < n_test ? 0 : 1];
            }
        });
    ctnet::write_npz(out / (name + ".npz"), {scores, predicted});
    fmt::print("{}: test accuracy {:.4f} ({} of {}), training accuracy {:.4f} ({} of {})\n", name,
               static_cast<double>(correct[0]) / static_cast<double>(n_test), correct[0], n_test,
               static_cast<double>(correct[1]) / static_cast<double>(n - n_test), correct[1], n - n_test);
}

}  // namespace

int main(int argc, char** argv) try {
    if (argc != 4) {
        fmt::print(stderr, "usage: convnets DATA WEIGHTS OUT\n");
        return 2;
    }
    const auto data = ctnet::load_mnist<float>(argv[1]);
    predict<ctnet::book::SimpleConvNet>("simple_convnet", data, argv[2], argv[3]);
    predict<ctnet::book::DeepConvNet>("deep_convnet", data, argv[2], argv[3]);
} catch (const std::exception& e) {
    fmt::print(stderr, "convnets: {}\n", e.what());
    return 1;
}
