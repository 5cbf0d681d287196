// options.cpp — the training programs' command line: a handful of flags, each validated.
#include "ctnet/train/options.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "ctnet/config.hpp"

namespace ctnet {

std::string train_usage(const std::string& program) {
    return "usage: " + program +
           " [--data DIR|bundled|fashion] [--iters N] [--lr X] [--seed N] [--out DIR] [--quiet]\n"
           "\n"
           "Trains the book's two-layer network (784-50-10, ReLU, softmax) with mini-batch SGD,\n"
           "batch 100, reporting train and test accuracy every epoch.\n"
           "\n"
           "  --data DIR   a directory with the four MNIST files (train-images-idx3-ubyte[.gz], ...);\n"
           "               'bundled' (the default): 8,000/2,000 real MNIST digits shipped with ctnet;\n"
           "               'fashion': Fashion-MNIST from " + fashion_mnist_dir.string() + "\n"
           "  --iters N    mini-batch steps (default 10000)\n"
           "  --lr X       learning rate (default 0.1)\n"
           "  --seed N     seed of the initial weights and the batch sampling (default 0)\n"
           "  --out DIR    where metrics.csv, training.svg and model.ckpt go (default out)\n"
           "  --quiet      print only the final JSON summary\n"
           "  --help       this text\n";
}

namespace {

[[noreturn]] void bad(const std::string& program, const std::string& why) {
    throw Error(why + "\n" + train_usage(program));
}

std::uint64_t parse_count(const std::string& program, std::string_view flag, const std::string& v, std::uint64_t max) {
    errno = 0;
    char* end = nullptr;
    const unsigned long long n = std::strtoull(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0' || errno != 0 || v[0] == '-' || n > max)
        bad(program, std::string(flag) + " takes a whole number up to " + std::to_string(max) + ", not '" + v + "'");
    return n;
}

}  // namespace

bool parse_train_options(int argc, const char* const* argv, const std::filesystem::path& bundled,
                         TrainOptions& options) {
    const std::string program = argc > 0 ? std::filesystem::path(argv[0]).filename().string() : "train";
    options.data = bundled;
    for (int i = 1; i < argc; ++i) {
        std::string flag = argv[i], value;
        const auto eq = flag.find('=');
        const bool has_inline = flag.rfind("--", 0) == 0 && eq != std::string::npos;
        if (has_inline) {
            value = flag.substr(eq + 1);
            flag = flag.substr(0, eq);
        }
        auto take = [&]() -> std::string {
            if (has_inline) return value;
            if (i + 1 >= argc) bad(program, flag + " needs a value");
            return argv[++i];
        };
        if (flag == "--help" || flag == "-h") {
            std::fputs(train_usage(program).c_str(), stdout);
            return false;
        } else if (flag == "--quiet") {
            options.quiet = true;
        } else if (flag == "--data") {
            const std::string d = take();
            options.data = d == "bundled" ? bundled : d == "fashion" ? fashion_mnist_dir : std::filesystem::path(d);
        } else if (flag == "--iters") {
            options.iters = parse_count(program, flag, take(), 1'000'000'000);
        } else if (flag == "--seed") {
            options.seed = parse_count(program, flag, take(), UINT64_MAX);
        } else if (flag == "--lr") {
            const std::string v = take();
            char* end = nullptr;
            const double lr = std::strtod(v.c_str(), &end);
            if (v.empty() || *end != '\0' || !std::isfinite(lr) || lr <= 0)
                bad(program, "--lr takes a positive number, not '" + v + "'");
            options.lr = lr;
        } else if (flag == "--out") {
            options.out = take();
        } else {
            bad(program, "unknown option '" + std::string(argv[i]) + "'");
        }
    }
    return true;
}

}  // namespace ctnet
