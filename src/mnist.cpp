// mnist.cpp — locating the four MNIST files under the names they are distributed with.
#include "ctnet/data/mnist.hpp"

#include <fmt/format.h>

#include <exception>
#include <system_error>

#include "ctnet/parallel/pool.hpp"

namespace ctnet {

namespace {

std::filesystem::path find_one(const std::filesystem::path& dir, const std::string& stem,
                               std::string& missing) {
    // train-images-idx3-ubyte, and the "train-images.idx3-ubyte" some mirrors use; each .gz or raw.
    const std::size_t dash = stem.rfind('-', stem.rfind('-') - 1);
    const std::string dotted = stem.substr(0, dash) + "." + stem.substr(dash + 1);
    for (const std::string& name : {stem + ".gz", stem, dotted + ".gz", dotted}) {
        std::error_code ec;
        if (std::filesystem::is_regular_file(dir / name, ec)) return dir / name;
    }
    missing += (missing.empty() ? "" : ", ") + stem + "[.gz]";
    return {};
}

}  // namespace

MnistFiles find_mnist_files(const std::filesystem::path& dir) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec))
        throw Error("data directory " + dir.string() + " does not exist or is not a directory");
    std::string missing;
    MnistFiles f{find_one(dir, "train-images-idx3-ubyte", missing),
                 find_one(dir, "train-labels-idx1-ubyte", missing),
                 find_one(dir, "t10k-images-idx3-ubyte", missing),
                 find_one(dir, "t10k-labels-idx1-ubyte", missing)};
    if (!missing.empty()) throw Error(dir.string() + " lacks the MNIST file(s) " + missing);
    return f;
}

namespace {

MnistBytes read_split(const std::filesystem::path& images_path, const std::filesystem::path& labels_path) {
    IdxImages images = read_idx_images(images_path);
    if (images.rows != 28 || images.cols != 28)
        throw Error(images_path.string() + ": MNIST images are 28x28, this file holds " + std::to_string(images.rows) +
                    "x" + std::to_string(images.cols));
    MnistBytes split{std::move(images.pixels), read_idx_labels(labels_path, 10)};
    if (split.labels.size() != images.count)
        throw Error(images_path.string() + " holds " + std::to_string(images.count) + " images but " +
                    labels_path.string() + " holds " + std::to_string(split.labels.size()) + " labels");
    return split;
}

}  // namespace

MnistRaw read_mnist(const std::filesystem::path& dir) {
    const MnistFiles f = find_mnist_files(dir);
    // With more than one thread (set_threads) the test split is read beside
    // the training split; the training split's error, if any, comes first.
    MnistRaw raw;
    std::exception_ptr failed[2];
    parallel::for_chunks(2, [&](std::size_t first, std::size_t last) {
        for (std::size_t c = first; c < last; ++c) try {
                if (c == 0) raw.train = read_split(f.train_images, f.train_labels);
                else raw.test = read_split(f.test_images, f.test_labels);
            } catch (...) {
                failed[c] = std::current_exception();
            }
    });
    for (const std::exception_ptr& e : failed)
        if (e) std::rethrow_exception(e);
    return raw;
}

}  // namespace ctnet

namespace ctnet {
namespace {

// Samples [first, last) of a split, the rest freed.
MnistBytes keep_rows(MnistBytes&& all, SampleRange rows) {
    MnistBytes part;
    part.images.assign(all.images.begin() + static_cast<std::ptrdiff_t>(rows.first * 784),
                       all.images.begin() + static_cast<std::ptrdiff_t>(rows.last * 784));
    part.labels.assign(all.labels.begin() + static_cast<std::ptrdiff_t>(rows.first),
                       all.labels.begin() + static_cast<std::ptrdiff_t>(rows.last));
    return part;
}

}  // namespace

MnistRaw read_mnist(const std::filesystem::path& dir, const Shard& shard) {
    shard.check();
    MnistRaw all = read_mnist(dir);
    const std::size_t n = all.train.size();
    if (n < shard.global_batch)
        throw Error(fmt::format("{}: {} training images, fewer than the global batch of {} (a distributed run "
                                "draws each row of its batch from a block of its own)",
                                dir.string(), n, shard.global_batch));
    const SampleRange test = shard.test_rows(all.test.size());
    return {keep_rows(std::move(all.train), shard.train_rows(n)), keep_rows(std::move(all.test), test)};
}

}  // namespace ctnet
