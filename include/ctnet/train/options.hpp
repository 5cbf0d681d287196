// options.hpp — TrainOptions and the command line of the training programs.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace ctnet {

// What the book's train_neuralnet.py fixes in code, as options.
struct TrainOptions {
    std::filesystem::path data;  // a directory with the four MNIST files
    std::size_t iters = 10000;
    double lr = 0.1;
    std::uint64_t seed = 0;
    std::filesystem::path out = "out";  // metrics.csv, training.svg, model.ckpt
    bool quiet = false;                 // only the final JSON line
};

// The directory of the bundled digits as installed or in the source tree
// (set at build time), and Debian's Fashion-MNIST.
inline const std::filesystem::path fashion_mnist_dir = "/usr/share/datasets/fashion-mnist";

// Parses --data DIR|bundled|fashion, --iters N, --lr X, --seed N, --out DIR,
// --quiet and --help (also --flag=value). `bundled` is the default data.
// Returns false after printing the help for --help; throws ctnet::Error with
// the usage for anything it does not understand or a value out of range.
bool parse_train_options(int argc, const char* const* argv, const std::filesystem::path& bundled,
                         TrainOptions& options);

// The help text of parse_train_options.
std::string train_usage(const std::string& program);

}  // namespace ctnet
