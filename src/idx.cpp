// idx.cpp — IDX parsing over zlib's gz* stream, which reads raw and gzip files alike,
// with libdeflate inflating whole gzip files faster where it is available.
#include "ctnet/data/idx.hpp"

#include <zlib.h>
#if CTNET_HAVE_LIBDEFLATE
#  include <libdeflate.h>
#endif

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "ctnet/config.hpp"
#include "ctnet/io/read_file.hpp"

namespace ctnet {

namespace {

// An IDX header may not claim more than this per dimension; real files are far smaller.
constexpr std::uint32_t max_dimension = 1u << 28;

#if CTNET_HAVE_LIBDEFLATE
// The largest output inflate_whole allocates: twice MNIST's 47 MB of training
// images. Larger files stream through zlib, whose memory grows with the data.
constexpr std::size_t max_whole_output = std::size_t(96) << 20;

// Inflates a whole single-member gzip file with libdeflate: 2.2x faster (Zen 5) than
// zlib's gzread on Fashion-MNIST's training images (90 ms against 210, read
// included; docs/benchmarks.md). libdeflate needs the output's size up front:
// the member's trailer gives it, trusted only up to 8 times the file's size
// (deflate's ratio on MNIST is under 2) and max_whole_output, so memory follows
// what the file holds. Returns false, having decided nothing, for anything
// else (not gzip, several members, a trailer that does not match, damaged
// data): zlib then reads the file and reports any damage in its own words.
bool inflate_whole(const std::filesystem::path& path, std::size_t file_size, std::vector<std::uint8_t>& out) {
    if (file_size < 18 || file_size > max_whole_output) return false;
    std::string in;
    {
        std::FILE* f = std::fopen(path.c_str(), "rb");
        if (!f) return false;
        unsigned char magic[2] = {};
        const bool gzip = std::fread(magic, 1, 2, f) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        std::fclose(f);
        if (!gzip) return false;
    }
    try {
        in = read_regular_file(path, max_whole_output);
    } catch (const Error&) {
        return false;
    }
    const auto* t = reinterpret_cast<const unsigned char*>(in.data() + in.size() - 4);
    const std::size_t isize = std::size_t(t[0]) | std::size_t(t[1]) << 8 | std::size_t(t[2]) << 16 | std::size_t(t[3]) << 24;
    if (isize > 8 * in.size() + 4096 || isize > max_whole_output) return false;
    out.reserve(isize);
    advise_huge_pages(out.data(), isize);
    out.resize(isize);
    libdeflate_decompressor* d = libdeflate_alloc_decompressor();
    if (!d) return false;
    std::size_t used_in = 0, used_out = 0;
    const libdeflate_result r =
        libdeflate_gzip_decompress_ex(d, in.data(), in.size(), out.data(), out.size(), &used_in, &used_out);
    libdeflate_free_decompressor(d);
    if (r == LIBDEFLATE_SUCCESS && used_in == in.size() && used_out == isize) return true;
    out.clear();
    return false;
}
#endif

class GzReader {
public:
    explicit GzReader(const std::filesystem::path& path) : path_(path) {
        // Only a regular file: opening a FIFO would wait for a writer, and a
        // device such as /dev/zero never ends.
        std::error_code ec;
        const auto status = std::filesystem::status(path, ec);
        if (ec) throw Error("cannot open " + path_.string() + ": " + ec.message());
        if (!std::filesystem::is_regular_file(status)) throw Error("cannot open " + path_.string() + ": not a regular file");
        file_size_ = static_cast<std::size_t>(std::filesystem::file_size(path, ec));
        if (ec) throw Error("cannot open " + path_.string() + ": " + ec.message());
#if CTNET_HAVE_LIBDEFLATE
        if (inflate_whole(path, file_size_, whole_)) {
            in_memory_ = true;
            return;
        }
#endif
        // gzopen reads uncompressed files transparently, so one reader serves both.
        file_ = gzopen(path.c_str(), "rb");
        if (!file_) throw Error("cannot open " + path_.string() + ": " + std::strerror(errno));
        gzbuffer(file_, 1 << 20);
    }
    ~GzReader() {
        if (file_) gzclose(file_);
    }
    GzReader(const GzReader&) = delete;
    GzReader& operator=(const GzReader&) = delete;

    // Reads up to n bytes; fewer only at the end of the data. A damaged
    // gzip stream throws.
    std::size_t read(void* out, std::size_t n) {
        if (in_memory_) {
            const std::size_t got = std::min(n, whole_.size() - pos_);
            if (got) std::memcpy(out, whole_.data() + pos_, got);
            pos_ += got;
            return got;
        }
        std::size_t done = 0;
        while (done < n) {
            const unsigned chunk = static_cast<unsigned>(std::min<std::size_t>(n - done, 1u << 30));
            const int got = gzread(file_, static_cast<char*>(out) + done, chunk);
            if (got < 0) fail_stream();
            if (got == 0) break;
            done += static_cast<std::size_t>(got);
        }
        if (done < n) check_clean_end();
        return done;
    }

    std::uint32_t read_u32(const char* what) {
        std::array<unsigned char, 4> b{};
        if (read(b.data(), 4) != 4) throw Error(path_.string() + ": file ends inside the header (reading " + what + ")");
        return (std::uint32_t(b[0]) << 24) | (std::uint32_t(b[1]) << 16) | (std::uint32_t(b[2]) << 8) | b[3];
    }

    // Reads exactly n bytes of `what` (the header's claim in words: "2 images
    // of 28x28") into v. Memory follows what the file can hold, never what a
    // header claims: a raw file is checked against its size before anything
    // is allocated; a gzip stream's buffer starts at a few times the
    // compressed size (MNIST's ratio is about 5) and grows only with data
    // that arrives.
    void read_exactly(std::vector<std::uint8_t>& v, std::size_t n, const std::string& what) {
        v.clear();
        const auto promised = [&](std::size_t holds) {
            return path_.string() + ": truncated: the header promises " + what + " (" + std::to_string(n) +
                   " bytes), the file holds " + std::to_string(holds);
        };
        if (in_memory_) {
            const std::size_t holds = whole_.size() - pos_;
            if (n > holds) throw Error(promised(holds));
            if (n == holds) {
                // The rest of the file, as IDX files end with their data: moved
                // to the front of the inflated buffer and handed over, not copied
                // into a second one (47 MB of new pages for MNIST's images).
                std::memmove(whole_.data(), whole_.data() + pos_, n);
                whole_.resize(n);
                v = std::move(whole_);
                whole_.clear();
                pos_ = 0;
                return;
            }
            v.reserve(n);
        } else if (gzdirect(file_)) {
            const auto at = static_cast<std::size_t>(gztell(file_));
            const std::size_t holds = file_size_ > at ? file_size_ - at : 0;
            if (n > holds) throw Error(promised(holds));
            v.reserve(n);
        } else {
            v.reserve(std::min<std::size_t>(n, 8 * file_size_ + 4096));
        }
        constexpr std::size_t chunk = 1 << 20;
        while (v.size() < n) {
            const std::size_t want = std::min(chunk, n - v.size());
            const std::size_t old = v.size();
            v.resize(old + want);
            const std::size_t got = read(v.data() + old, want);
            if (got < want) throw Error(promised(old + got));
        }
        unsigned char extra = 0;
        if (read(&extra, 1) != 0)
            throw Error(path_.string() + ": unexpected data after the " + std::to_string(n) + " bytes (" + what +
                        ") the header promises");
    }

    const std::filesystem::path& path() const { return path_; }

private:
    // zlib's message starts with the path, which ctnet's messages already do.
    std::string zlib_message(int& code) const {
        const char* msg = gzerror(file_, &code);
        std::string m = msg ? msg : "unknown zlib error";
        const std::string prefix = path_.string() + ": ";
        return m.rfind(prefix, 0) == 0 ? m.substr(prefix.size()) : m;
    }
    [[noreturn]] void fail_stream() {
        int code = 0;
        const std::string msg = zlib_message(code);
        if (code == Z_ERRNO) throw Error("cannot read " + path_.string() + ": " + std::strerror(errno));
        throw Error(path_.string() + ": corrupt gzip data (" + msg + ")");
    }
    // zlib reports a gzip stream cut short only through gzerror.
    void check_clean_end() {
        int code = 0;
        const std::string msg = zlib_message(code);
        if (code != Z_OK && code != Z_STREAM_END)
            throw Error(path_.string() + ": corrupt or truncated gzip data (" + msg + ")");
    }

    std::filesystem::path path_;
    gzFile file_ = nullptr;
    std::size_t file_size_ = 0;
    // The whole inflated file, when libdeflate read it (inflate_whole).
    bool in_memory_ = false;
    std::vector<std::uint8_t> whole_;
    std::size_t pos_ = 0;
};

std::string hex(std::uint32_t v) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%08X", v);
    return buf;
}

void check_magic(const GzReader& r, std::uint32_t magic, std::uint32_t want, const char* kind) {
    if (magic == want) return;
    std::string hint;
    if (magic == 0x00000801) hint = " (that is an IDX label file)";
    else if (magic == 0x00000803) hint = " (that is an IDX image file)";
    else if ((magic >> 8) == 0x08 || (magic >> 16) == 0)
        hint = " (an IDX file of another type or rank)";
    else
        hint = " (not an IDX file)";
    throw Error(r.path().string() + ": not an IDX " + kind + " file: magic number " + hex(magic) + ", expected " +
                hex(want) + hint);
}

std::uint32_t dimension(GzReader& r, const char* what) {
    const std::uint32_t d = r.read_u32(what);
    if (d == 0 || d > max_dimension)
        throw Error(r.path().string() + ": implausible " + std::string(what) + " " + std::to_string(d) +
                    " in the header");
    return d;
}

}  // namespace

IdxImages read_idx_images(const std::filesystem::path& path) {
    GzReader r(path);
    check_magic(r, r.read_u32("the magic number"), 0x00000803, "image");
    IdxImages out;
    out.count = dimension(r, "image count");
    out.rows = dimension(r, "row count");
    out.cols = dimension(r, "column count");
    if (out.rows * out.cols > (1u << 24))
        throw Error(path.string() + ": implausible image size " + std::to_string(out.rows) + "x" +
                    std::to_string(out.cols));
    r.read_exactly(out.pixels, out.count * out.rows * out.cols,
                   std::to_string(out.count) + " images of " + std::to_string(out.rows) + "x" + std::to_string(out.cols));
    return out;
}

std::vector<std::uint8_t> read_idx_labels(const std::filesystem::path& path, std::size_t classes) {
    GzReader r(path);
    check_magic(r, r.read_u32("the magic number"), 0x00000801, "label");
    const std::size_t count = dimension(r, "label count");
    std::vector<std::uint8_t> labels;
    r.read_exactly(labels, count, std::to_string(count) + " labels");
    for (std::size_t i = 0; i < labels.size(); ++i)
        if (labels[i] >= classes)
            throw Error(path.string() + ": label " + std::to_string(labels[i]) + " at position " + std::to_string(i) +
                        " is out of range (expected 0 to " + std::to_string(classes - 1) + ")");
    return labels;
}

}  // namespace ctnet
