// idx_labels.cpp — fuzzes ctnet::read_idx_labels on raw and gzip-compressed files.
//
// Input: one mode byte, then the file's bytes. Mode bit 0 set: the harness
// gzips the bytes first (see idx_images.cpp); bits 1-7: the number of classes
// the labels must stay below, 10 (MNIST's) when they are zero.
#include <cstdint>

#include "ctnet/data/idx.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return -1;
    const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
    const std::size_t classes = data[0] >> 1 ? data[0] >> 1 : 10;
    const auto path = ctnet::fuzz::scratch_dir() / "labels-idx1-ubyte";
    ctnet::fuzz::write_file(path, data[0] & 1 ? ctnet::fuzz::gzip(bytes) : std::string(bytes));
    ctnet::fuzz::expect_success_or_error("read_idx_labels", [&] {
        const std::vector<std::uint8_t> labels = ctnet::read_idx_labels(path, classes);
        for (const std::uint8_t label : labels)
            if (label >= classes) std::abort();
    });
    return 0;
}
