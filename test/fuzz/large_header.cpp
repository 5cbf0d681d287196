// large_header.cpp — fuzzes the IDX readers with headers claiming up to 2^32-1 per dimension over bodies of up to 64 MiB.
//
// The input is a small descriptor that the harness expands into a real file,
// so a few bytes stand for a file far larger than the fuzzer's inputs:
//
//   byte 0      flags: bit 0 labels (idx1) rather than images (idx3); bit 1
//               gzip; bit 2 the magic number below rather than the right one;
//               bit 3 the body is as long as the header claims (at most
//               64 MiB), plus the signed byte 17
//   bytes 1-16  magic, count, rows, cols: big-endian u32, written as the IDX
//               header (labels: magic and count only)
//   byte 17     bit 3 clear: the body length has this many bits (mod 27, so
//               under 64 MiB), taken from the top of bytes 18-21
//   bytes 18-21 the body length's bits, big-endian
//   bytes 22-   the body's first bytes; the rest of it is zeros
//
// Missing bytes read as zero. A raw file is sparse (ftruncate), a gzip file
// one gzip member whose zeros are spliced from a precompressed 1 MiB deflate
// segment, so neither costs what it claims to write. A reader that
// allocates by the header's claim rather than by what the file holds is a
// finding twice over: the harness counts the heap the read holds at its
// peak, which may not pass twice the file's content (a growing buffer) plus
// eight times its compressed size and zlib's buffers; and libFuzzer's
// -rss_limit_mb and -malloc_limit_mb (test/fuzz/run.py sets them) cap the
// whole process.
//
// With CTNET_FUZZ_EXPECT_ERROR set (the deterministic check of
// test/fuzz/meson.build), every read must throw ctnet::Error, and each
// message is printed.
#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <cstring>

#include <sanitizer/allocator_interface.h>

#include "ctnet/data/idx.hpp"
#include "fuzz_support.hpp"

namespace {

// The heap a read holds: what it allocates less what it frees, at its
// highest, counted by sanitizer hooks only while a read runs.
struct HeapCount {
    bool on = false;
    long long live = 0, peak = 0;
};
HeapCount heap;

void count_malloc(const volatile void*, std::size_t n) {
    if (!heap.on) return;
    heap.live += static_cast<long long>(n);
    heap.peak = std::max(heap.peak, heap.live);
}
void count_free(const volatile void* p) {
    if (heap.on && p) heap.live -= static_cast<long long>(__sanitizer_get_allocated_size(p));
}

constexpr std::size_t mib = std::size_t(1) << 20;
constexpr std::uint64_t max_body = 64 * mib;

struct Descriptor {
    bool labels = false, gzip = false, own_magic = false, exact = false;
    std::uint32_t magic = 0, count = 0, rows = 0, cols = 0;
    std::uint64_t body = 0;
    std::string prefix;
};

std::uint32_t be32(const std::uint8_t* p) {
    return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) | p[3];
}
void put_be32(std::string& out, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xFF));
}

Descriptor parse(const std::uint8_t* data, std::size_t size) {
    std::uint8_t fixed[22] = {};
    std::memcpy(fixed, data, std::min(size, sizeof fixed));
    Descriptor d;
    d.labels = fixed[0] & 1;
    d.gzip = fixed[0] & 2;
    d.own_magic = fixed[0] & 4;
    d.exact = fixed[0] & 8;
    d.magic = d.own_magic ? be32(fixed + 1) : d.labels ? 0x801 : 0x803;
    d.count = be32(fixed + 5);
    d.rows = be32(fixed + 9);
    d.cols = be32(fixed + 13);
    if (d.exact) {
        const std::uint64_t claim =
            d.labels ? d.count : std::min<std::uint64_t>(std::uint64_t(d.count) * d.rows, max_body) * d.cols;
        const auto delta = static_cast<std::int8_t>(fixed[17]);
        d.body = std::min<std::uint64_t>(claim, max_body);
        d.body = delta < 0 && d.body < std::uint64_t(-delta) ? 0 : std::min(d.body + delta, max_body);
    } else {
        const unsigned bits = fixed[17] % 27;
        d.body = bits ? be32(fixed + 18) >> (32 - bits) : 0;
    }
    if (size > sizeof fixed) d.prefix.assign(reinterpret_cast<const char*>(data + sizeof fixed), size - sizeof fixed);
    if (d.prefix.size() > d.body) d.prefix.resize(d.body);
    return d;
}

std::string header(const Descriptor& d) {
    std::string h;
    put_be32(h, d.magic);
    put_be32(h, d.count);
    if (!d.labels) {
        put_be32(h, d.rows);
        put_be32(h, d.cols);
    }
    return h;
}

// A raw deflate segment of `bytes` from a fresh stream: ends on a byte
// boundary (Z_FULL_FLUSH) and refers to nothing before it, so such segments
// can be spliced one after another; Z_FINISH marks the last block final.
std::string deflate_segment(std::string_view bytes, int flush) {
    z_stream zs{};
    if (deflateInit2(&zs, 1, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) std::abort();
    std::string out(deflateBound(&zs, bytes.size()) + 64, '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
    zs.avail_in = static_cast<uInt>(bytes.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&zs, flush);
    if (rc != (flush == Z_FINISH ? Z_STREAM_END : Z_OK) || zs.avail_in != 0 || zs.avail_out == 0) std::abort();
    out.resize(zs.total_out);
    deflateEnd(&zs);
    return out;
}

const std::string& zeros_1mib() {
    static const std::string z(mib, '\0');
    return z;
}

std::uint32_t crc_of(std::string_view s, std::uint32_t crc = 0) {
    return static_cast<std::uint32_t>(crc32(crc, reinterpret_cast<const Bytef*>(s.data()), static_cast<uInt>(s.size())));
}

// One gzip member holding `start` followed by `zeros` zero bytes.
std::string gzip_with_zeros(const std::string& start, std::uint64_t zeros) {
    static const std::string zero_segment = deflate_segment(zeros_1mib(), Z_FULL_FLUSH);
    static const std::uint32_t zero_crc = crc_of(zeros_1mib());
    std::string out("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff", 10);
    std::uint32_t crc = crc_of(start);
    out += deflate_segment(start, Z_FULL_FLUSH);
    for (std::uint64_t left = zeros; left > mib; left -= mib) {
        out += zero_segment;
        crc = static_cast<std::uint32_t>(crc32_combine(crc, zero_crc, static_cast<z_off_t>(mib)));
    }
    const std::size_t last = zeros ? static_cast<std::size_t>((zeros - 1) % mib + 1) : 0;
    const std::string_view tail(zeros_1mib().data(), last);
    out += deflate_segment(tail, Z_FINISH);
    crc = static_cast<std::uint32_t>(crc32_combine(crc, crc_of(tail), static_cast<z_off_t>(last)));
    const std::uint64_t total = start.size() + zeros;
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((crc >> (8 * i)) & 0xFF));
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((total >> (8 * i)) & 0xFF));
    return out;
}

// A raw file of `start` followed by `zeros` zero bytes that were never written.
void write_sparse(const std::filesystem::path& path, const std::string& start, std::uint64_t zeros) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0 || ::write(fd, start.data(), start.size()) != static_cast<ssize_t>(start.size()) ||
        ::ftruncate(fd, static_cast<off_t>(start.size() + zeros)) != 0) {
        std::perror(path.c_str());
        std::abort();
    }
    ::close(fd);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    __sanitizer_install_malloc_and_free_hooks(count_malloc, count_free);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const bool expect_error = std::getenv("CTNET_FUZZ_EXPECT_ERROR") != nullptr;
    const Descriptor d = parse(data, size);
    const std::string start = header(d) + d.prefix;
    const std::uint64_t zeros = d.body - d.prefix.size();
    const auto path = ctnet::fuzz::scratch_dir() / (d.labels ? "labels-idx1-ubyte" : "images-idx3-ubyte");
    std::uint64_t file_size = start.size() + zeros;
    if (d.gzip) {
        const std::string file = gzip_with_zeros(start, zeros);
        file_size = file.size();
        ctnet::fuzz::write_file(path, file);
    } else {
        write_sparse(path, start, zeros);
    }

    heap = {true, 0, 0};
    const bool read = ctnet::fuzz::expect_success_or_error(d.labels ? "read_idx_labels" : "read_idx_images", [&] {
        try {
            if (d.labels) {
                const std::vector<std::uint8_t> labels = ctnet::read_idx_labels(path, 256);
                if (labels.size() != d.count || d.count != d.body) std::abort();
            } else {
                const ctnet::IdxImages images = ctnet::read_idx_images(path);
                if (images.pixels.size() != d.body || images.count != d.count) std::abort();
            }
        } catch (const ctnet::Error& e) {
            if (expect_error)
                std::fprintf(stderr, "refused: %s %s, header %u x %u x %u, body %llu bytes: %s\n", d.gzip ? "gzip" : "raw ",
                             d.labels ? "labels" : "images", d.count, d.rows, d.cols,
                             static_cast<unsigned long long>(d.body), e.what());
            throw;
        }
    });
    heap.on = false;
    // What the file can need: a raw file's content (twice, to spare); a gzip
    // file's three times (its buffer doubles as data arrives, and while it
    // does the old and the new copy are both held; it may double once more
    // for data that does not arrive) and the reader's first guess of eight
    // times the compressed size; and a constant 6 MiB: zlib's 1 MiB input
    // and 2 MiB output buffers, the reader's 1 MiB read chunk, and room.
    const std::uint64_t content = start.size() + zeros;
    const std::uint64_t bound = (d.gzip ? 3 * content + 8 * file_size : 2 * content) + 6 * mib;
    if (static_cast<std::uint64_t>(heap.peak) > bound) {
        std::fprintf(stderr,
                     "FINDING: reading a %s file of %llu bytes (%llu bytes of content) held %lld bytes of heap at "
                     "once, more than the %llu it can need\n",
                     d.gzip ? "gzip" : "raw", static_cast<unsigned long long>(file_size),
                     static_cast<unsigned long long>(content), heap.peak, static_cast<unsigned long long>(bound));
        std::abort();
    }
    if (ctnet::fuzz::verbose())
        std::fprintf(stderr, "heap at its peak: %lld bytes, bound %llu\n", heap.peak, static_cast<unsigned long long>(bound));
    if (read && expect_error) {
        std::fprintf(stderr, "FINDING: a read that had to fail succeeded\n");
        std::abort();
    }
    return 0;
}
