// fuzz_support.hpp — what every harness shares: its scratch directory, file writing, gzip, and the rule on exceptions.
#pragma once

#include <unistd.h>
#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <system_error>
#include <typeinfo>

#include "ctnet/config.hpp"

namespace ctnet::fuzz {

namespace fs = std::filesystem;

// One directory per process, in memory where there is /dev/shm (each input
// is written and read back, so disk would cost most of the time), removed at
// exit. test/fuzz/run.py points CTNET_FUZZ_TMP at a directory it removes
// itself, so even a crashed harness (no atexit) leaves nothing behind.
inline const fs::path& scratch_dir() {
    // Never destroyed: the atexit handler below runs after the destructors of
    // statics whose initialisation registered it, so it must not outlive one.
    static const fs::path& dir = *new fs::path([] {
        fs::path base = "/tmp";
        if (const char* env = std::getenv("CTNET_FUZZ_TMP"); env && *env) base = env;
        else if (std::error_code ec; fs::is_directory("/dev/shm", ec) && ::access("/dev/shm", W_OK) == 0) base = "/dev/shm";
        std::string templ = (base / "ctnet-fuzz-XXXXXX").string();
        if (!::mkdtemp(templ.data())) {
            std::perror(templ.c_str());
            std::abort();
        }
        std::atexit([] {
            std::error_code ec;
            fs::remove_all(scratch_dir(), ec);
        });
        return templ;
    }());
    return dir;
}

inline void write_file(const fs::path& path, std::string_view bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out.flush()) {
        std::fprintf(stderr, "fuzz harness: cannot write %s\n", path.c_str());
        std::abort();
    }
}

// A complete gzip stream (header, deflate, CRC and length), as gzip(1) would
// write it, so the fuzzer's mutations of the uncompressed bytes reach the
// readers' parsers through their gzip path too.
inline std::string gzip(std::string_view bytes, int level = Z_DEFAULT_COMPRESSION) {
    z_stream zs{};
    if (deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) std::abort();
    std::string out(deflateBound(&zs, bytes.size()), '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
    zs.avail_in = static_cast<uInt>(bytes.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    if (deflate(&zs, Z_FINISH) != Z_STREAM_END) std::abort();
    out.resize(zs.total_out);
    deflateEnd(&zs);
    return out;
}

// Splits an input into parts the way the corpus generator joins them
// (test/fuzz/make_corpus.py, join_parts): a part ends at a backslash followed
// by any other byte, and "\\\\" stands for one backslash. The last part is
// everything left, unescaped. Mutations that move a boundary still give four
// parts, which length prefixes would not.
class Parts {
public:
    Parts(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
    std::string next() {
        std::string part;
        while (pos_ < size_) {
            const char c = static_cast<char>(data_[pos_++]);
            if (c == '\\' && pos_ < size_) {
                if (static_cast<char>(data_[pos_++]) != '\\') break;
            }
            part += c;
        }
        return part;
    }
    std::string rest() {
        std::string part(reinterpret_cast<const char*>(data_ + pos_), size_ - pos_);
        pos_ = size_;
        return part;
    }

private:
    const std::uint8_t* data_;
    std::size_t size_, pos_ = 0;
};

// Whether CTNET_FUZZ_VERBOSE is set: each outcome is printed (for checking
// that the seeds reach what they are meant to reach).
inline bool verbose() {
    static const bool on = std::getenv("CTNET_FUZZ_VERBOSE") != nullptr;
    return on;
}

// Runs one read. Success and ctnet::Error are the two allowed outcomes; the
// error must name a file of the scratch directory (the house rule: an error
// names the file). Anything else is a finding, so it aborts, which libFuzzer
// reports as a crash and saves the input. Returns whether the read succeeded.
template <class F>
bool expect_success_or_error(const char* reader, F&& read) {
    try {
        read();
        if (verbose()) std::fprintf(stderr, "%s: read\n", reader);
        return true;
    } catch (const ctnet::Error& e) {
        if (verbose()) std::fprintf(stderr, "%s: ctnet::Error: %s\n", reader, e.what());
        if (std::string_view(e.what()).find(scratch_dir().string()) == std::string_view::npos) {
            std::fprintf(stderr, "FINDING: %s threw a ctnet::Error that names no file: %s\n", reader, e.what());
            std::abort();
        }
        return false;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "FINDING: %s let an exception other than ctnet::Error escape: %s: %s\n", reader,
                     typeid(e).name(), e.what());
        std::abort();
    } catch (...) {
        std::fprintf(stderr, "FINDING: %s let a non-standard exception escape\n", reader);
        std::abort();
    }
}

}  // namespace ctnet::fuzz
