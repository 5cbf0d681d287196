// mnist_dir.cpp — fuzzes ctnet::read_mnist on a directory of four files the input describes.
//
// Input: four bytes, one per file (train images, train labels, test images,
// test labels), then the four files' bytes as parts (fuzz_support.hpp,
// Parts: a part ends at a backslash followed by another byte). Each file's
// byte: bits 0-1 pick its name (0 NAME.gz, 1 NAME, 2 the dotted spelling
// .gz, 3 the dotted spelling), bit 2 gzips its bytes, bit 3 leaves it out.
#include <array>
#include <cstdint>

#include "ctnet/data/mnist.hpp"
#include "fuzz_support.hpp"

namespace {

constexpr std::array<std::array<const char*, 2>, 4> names{{
    {"train-images-idx3-ubyte", "train-images.idx3-ubyte"},
    {"train-labels-idx1-ubyte", "train-labels.idx1-ubyte"},
    {"t10k-images-idx3-ubyte", "t10k-images.idx3-ubyte"},
    {"t10k-labels-idx1-ubyte", "t10k-labels.idx1-ubyte"},
}};

void check(const ctnet::MnistBytes& split) {
    if (split.images.size() != split.size() * 784) std::abort();
    for (const std::uint8_t label : split.labels)
        if (label > 9) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 4) return -1;
    const auto dir = ctnet::fuzz::scratch_dir() / "mnist";
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
    std::filesystem::create_directory(dir);
    ctnet::fuzz::Parts parts(data + 4, size - 4);
    for (std::size_t i = 0; i < 4; ++i) {
        const std::uint8_t how = data[i];
        const std::string bytes = i < 3 ? parts.next() : parts.rest();
        if (how & 8) continue;
        const std::string name = std::string(names[i][(how >> 1) & 1]) + (how & 1 ? "" : ".gz");
        ctnet::fuzz::write_file(dir / name, how & 4 ? ctnet::fuzz::gzip(bytes) : bytes);
    }
    ctnet::fuzz::expect_success_or_error("read_mnist", [&] {
        const ctnet::MnistRaw raw = ctnet::read_mnist(dir);
        check(raw.train);
        check(raw.test);
    });
    return 0;
}
