// read_file.hpp — read_regular_file: a whole file, refused before a byte is read unless it is a regular file.
#pragma once

#include <filesystem>
#include <string>

namespace ctnet {

// Reads the whole of `path`. Anything but a regular file is refused before a
// byte is read (a FIFO would block, /dev/zero would never end, a directory has
// no bytes), and so is a file larger than `max_bytes`, so memory stays bounded
// by what the caller can use. Throws ctnet::Error naming the path and the
// reason (the system's, for a missing file or a denied permission).
//
//     const std::string bytes = ctnet::read_regular_file("out/model.ckpt");
std::string read_regular_file(const std::filesystem::path& path, std::size_t max_bytes = std::size_t(-1));

// A hint for a large buffer about to be written for the first time: back
// [data, data + bytes) with 2 MB pages where the system can (Linux's
// transparent huge pages, which Debian enables for regions that ask). Each
// 4 KB page's first touch is a fault, costly in a virtual machine: 47 MB of
// MNIST images take 11,500 of them, or 23 with 2 MB pages. On the benchmark
// report's VM, glibc's own switch for this (GLIBC_TUNABLES=
// glibc.malloc.hugetlb=1) took loading Fashion-MNIST from 0.195 to 0.124 s in
// one run; later runs, the host quieter, loaded in 0.10-0.12 s either way.
// Does nothing for buffers under 4 MB or on other systems. Allocate first
// (reserve), advise, then write.
void advise_huge_pages(void* data, std::size_t bytes) noexcept;

}  // namespace ctnet
