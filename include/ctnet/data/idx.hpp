// idx.hpp — reading MNIST's IDX files (images idx3, labels idx1), raw or gzip-compressed, with full validation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <vector>

namespace ctnet {

// An idx3 file: count images of rows x cols unsigned bytes, row-major.
struct IdxImages {
    std::size_t count = 0, rows = 0, cols = 0;
    std::vector<std::uint8_t> pixels;  // count * rows * cols
};

// Reads an idx3-ubyte file, gzip-compressed or raw (detected from its first
// bytes). Everything is checked: that the path is a regular file (a FIFO or
// device is refused without being opened), the magic number (and
// which IDX file it is instead), the dimensions, that the data is all there
// and nothing follows it, and that a gzip stream is intact. (Bytes after the
// end of a gzip stream that do not start another one are ignored, as gunzip
// and zlib ignore them.) Any problem throws ctnet::Error naming the file and
// what is wrong; nothing is returned half-read. Memory is bounded by what the
// file holds, so a header claiming absurd sizes cannot make it allocate them:
// a raw file's claim is checked against its size before anything is
// allocated, and a gzip stream's buffer grows only with data that arrives (at
// most about twice what it holds).
IdxImages read_idx_images(const std::filesystem::path& path);

// Reads an idx1-ubyte label file the same way; every label must be below
// `classes` (the error names the first one that is not, and its position).
std::vector<std::uint8_t> read_idx_labels(const std::filesystem::path& path, std::size_t classes = 10);

}  // namespace ctnet
