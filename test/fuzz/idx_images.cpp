// idx_images.cpp — fuzzes ctnet::read_idx_images on raw and gzip-compressed files.
//
// Input: one mode byte, then the file's bytes. Mode bit 0 set: the harness
// gzips the bytes first, so mutations of the IDX header and pixels reach the
// parser through the gzip path (a mutated gzip stream would mostly fail its
// CRC); clear: the bytes are the file as they are (raw IDX, or a gzip stream
// to damage).
#include <cstdint>

#include "ctnet/data/idx.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return -1;  // not added to the corpus
    const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
    const auto path = ctnet::fuzz::scratch_dir() / "images-idx3-ubyte";
    ctnet::fuzz::write_file(path, data[0] & 1 ? ctnet::fuzz::gzip(bytes) : std::string(bytes));
    ctnet::fuzz::expect_success_or_error("read_idx_images", [&] {
        const ctnet::IdxImages images = ctnet::read_idx_images(path);
        // What a caller may rely on after a successful read.
        if (images.pixels.size() != images.count * images.rows * images.cols || images.count == 0) std::abort();
    });
    return 0;
}
