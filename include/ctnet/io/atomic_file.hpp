// atomic_file.hpp — write_file_atomically: a file appears whole or not at all.
#pragma once

#include <filesystem>
#include <string_view>

namespace ctnet {

// Writes `contents` to a temporary file beside `path`, flushes it to disk and
// renames it over `path`, so a crash or a full disk never leaves a
// half-written file (the previous version, if any, survives a failure).
// Throws ctnet::Error naming the path and the reason.
//
//     ctnet::write_file_atomically("out/metrics.csv", csv_text);
void write_file_atomically(const std::filesystem::path& path, std::string_view contents);

}  // namespace ctnet
