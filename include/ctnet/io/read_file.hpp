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

}  // namespace ctnet
