// atomic_file.hpp — write_file_atomically: a file appears whole or not at all.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string_view>

namespace ctnet {

// What survives a power cut. Both kinds replace the file atomically, so a
// crash of the *process* (SIGKILL, an exception) never leaves a torn file.
enum class Durability {
    // Flushed to disk (fsync of the file, and of its directory after the
    // rename) before returning: the new version survives a power cut. Costs a
    // disk round trip; for checkpoints and final results.
    durable,
    // Renamed into place without waiting for the disk: after a power cut the
    // file is the old or the new version (the kernel orders the rename after
    // the data on ext4, XFS and btrfs), never a mix. For files rewritten often
    // that a later write replaces anyway, such as per-epoch metrics.
    atomic_only,
};

// Writes `contents` to a temporary file beside `path` and renames it over
// `path`, so readers see the old file or the new one, never a half-written
// one; a failure leaves the previous version intact. The new file keeps the
// permissions of the one it replaces (a new file gets 0666 & ~umask). The
// temporary has no name while it is written (Linux O_TMPFILE) where the file
// system allows, so a killed process leaves nothing behind; elsewhere it is
// `<path>.tmp-XXXXXX`, removed on any error (remove_stale_temporaries cleans
// up after a kill). Throws ctnet::Error naming the path and the reason.
//
//     ctnet::write_file_atomically("out/metrics.csv", csv_text, ctnet::Durability::atomic_only);
void write_file_atomically(const std::filesystem::path& path, std::string_view contents,
                           Durability durability = Durability::durable);

// Removes the temporaries `<path>.tmp-XXXXXX` that write_file_atomically(path)
// left when its process was killed mid-write; returns how many. Only names of
// exactly that form are touched.
std::size_t remove_stale_temporaries(const std::filesystem::path& path);

}  // namespace ctnet
