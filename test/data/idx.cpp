// Tests for data/idx.hpp: IDX files built byte by byte, raw and gzip, good and broken in every way a download can be.
#include "ctnet/data/idx.hpp"

#include <boost/test/unit_test.hpp>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include "ctnet/config.hpp"
#include "ctnet/random.hpp"
#include "../support/allocations.hpp"
#include "../support/files.hpp"

namespace fs = std::filesystem;
using namespace ctnet::test;
namespace allocations = ctnet::test::allocations;

namespace {

constexpr std::uint32_t images_magic = 0x00000803, labels_magic = 0x00000801;

void put_u32(Bytes& b, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) b.push_back(static_cast<std::uint8_t>(v >> shift));
}

// An idx3 file with whatever header it is given: the data need not match it.
Bytes idx_images(std::uint32_t count, std::uint32_t rows, std::uint32_t cols, const Bytes& pixels,
                 std::uint32_t magic = images_magic) {
    Bytes b;
    put_u32(b, magic);
    put_u32(b, count);
    put_u32(b, rows);
    put_u32(b, cols);
    b.insert(b.end(), pixels.begin(), pixels.end());
    return b;
}

Bytes idx_labels(std::uint32_t count, const Bytes& labels, std::uint32_t magic = labels_magic) {
    Bytes b;
    put_u32(b, magic);
    put_u32(b, count);
    b.insert(b.end(), labels.begin(), labels.end());
    return b;
}

// n bytes that are neither constant nor random: every value 0..255 occurs and deflate has something to do.
Bytes pattern(std::size_t n, unsigned salt = 0) {
    Bytes b(n);
    for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>((i * 7 + (i / 13) * 31 + salt) % 256);
    return b;
}

Bytes prefix(const Bytes& b, std::size_t n) { return Bytes(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(n)); }

fs::path write_raw(const fs::path& p, const Bytes& b) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
    BOOST_TEST_REQUIRE(static_cast<bool>(out.flush()));
    return p;
}

// Written by zlib itself, as gzip(1) would; the reader under test never sees how.
fs::path write_gz(const fs::path& p, const Bytes& b) {
    gzFile f = gzopen(p.c_str(), "wb9");
    BOOST_TEST_REQUIRE(f != nullptr);
    const int wrote = b.empty() ? 0 : gzwrite(f, b.data(), static_cast<unsigned>(b.size()));
    BOOST_TEST_REQUIRE(static_cast<std::size_t>(wrote) == b.size());
    BOOST_TEST_REQUIRE(gzclose(f) == Z_OK);
    return p;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(idx)

BOOST_AUTO_TEST_CASE(raw_and_gzip_files_give_back_the_bytes_written) {
    TempDir dir;
    // Small, odd dimensions (rows != cols) so a transposed or swapped header shows; and sizes
    // below, at and above the reader's 1 MiB chunk, since it grows its buffer in steps.
    struct Case {
        std::uint32_t count, rows, cols;
    };
    for (const Case c : {Case{3, 4, 5}, Case{1, 1, 1}, Case{1024, 32, 32}, Case{1500, 28, 28}}) {
        BOOST_TEST_CONTEXT(c.count << " images of " << c.rows << "x" << c.cols) {
            const Bytes pixels = pattern(std::size_t(c.count) * c.rows * c.cols, c.rows);
            const Bytes file = idx_images(c.count, c.rows, c.cols, pixels);
            for (const fs::path& p : {write_raw(dir.path / "images-idx3-ubyte", file),
                                      write_gz(dir.path / "images-idx3-ubyte.gz", file)}) {
                const ctnet::IdxImages got = ctnet::read_idx_images(p);
                BOOST_TEST(got.count == c.count);
                BOOST_TEST(got.rows == c.rows);
                BOOST_TEST(got.cols == c.cols);
                BOOST_TEST(got.pixels == pixels);
            }
        }
    }
    // Every label value 0..9, in an order that is not sorted.
    const Bytes labels = {3, 0, 9, 1, 8, 2, 7, 6, 5, 4, 9, 0};
    const Bytes file = idx_labels(static_cast<std::uint32_t>(labels.size()), labels);
    BOOST_TEST(ctnet::read_idx_labels(write_raw(dir.path / "labels-idx1-ubyte", file)) == labels);
    BOOST_TEST(ctnet::read_idx_labels(write_gz(dir.path / "labels-idx1-ubyte.gz", file)) == labels);
}

BOOST_AUTO_TEST_CASE(labels_up_to_the_class_limit_are_accepted) {
    TempDir dir;
    // 9 is the largest label ten classes allow; with classes = 3, 2 is.
    const Bytes nines(50, 9);
    const auto p = write_raw(dir.path / "nines", idx_labels(50, nines));
    BOOST_TEST(ctnet::read_idx_labels(p) == nines);
    BOOST_TEST(ctnet::read_idx_labels(p, 10) == nines);
    const Bytes three = {0, 1, 2, 2, 1, 0};
    BOOST_TEST(ctnet::read_idx_labels(write_gz(dir.path / "three.gz", idx_labels(6, three)), 3) == three);
    // All 256 byte values are labels when 256 classes are asked for.
    Bytes every(256);
    for (std::size_t i = 0; i < 256; ++i) every[i] = static_cast<std::uint8_t>(255 - i);
    BOOST_TEST(ctnet::read_idx_labels(write_raw(dir.path / "every", idx_labels(256, every)), 256) == every);
}

BOOST_AUTO_TEST_CASE(a_label_out_of_range_is_named_with_its_position) {
    TempDir dir;
    // Positions 3 and 5 are bad; the message names the first.
    const Bytes labels = {0, 9, 4, 11, 2, 200, 1};
    for (const fs::path& p : {write_raw(dir.path / "labels", idx_labels(7, labels)),
                              write_gz(dir.path / "labels.gz", idx_labels(7, labels))}) {
        BOOST_TEST(mentions(error_of([&] { ctnet::read_idx_labels(p); }), {p.string(), "label 11", "position 3"}));
        // The limit is the caller's: with four classes the first bad one is the 9 at position 1.
        BOOST_TEST(mentions(error_of([&] { ctnet::read_idx_labels(p, 4); }), {p.string(), "label 9", "position 1"}));
    }
}

BOOST_AUTO_TEST_CASE(a_missing_file_is_named) {
    TempDir dir;
    const auto p = dir.path / "no-such-file-idx3-ubyte.gz";
    BOOST_TEST(mentions(error_of([&] { ctnet::read_idx_images(p); }), {p.string()}));
    BOOST_TEST(mentions(error_of([&] { ctnet::read_idx_labels(p); }), {p.string()}));
    // A directory is not a file either, and a FIFO is refused before it is opened (which would wait for a writer).
    BOOST_TEST(mentions(error_of([&] { ctnet::read_idx_images(dir.path); }), {dir.path.string(), "not a regular file"}));
    const auto fifo = dir.path / "fifo-idx1-ubyte";
    BOOST_TEST_REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    BOOST_TEST(mentions(error_of([&] { ctnet::read_idx_labels(fifo); }), {fifo.string(), "not a regular file"}));
}

BOOST_AUTO_TEST_CASE(a_wrong_magic_number_says_what_the_file_is) {
    TempDir dir;
    const auto labels = write_gz(dir.path / "labels.gz", idx_labels(4, {1, 2, 3, 4}));
    const auto images = write_raw(dir.path / "images", idx_images(1, 2, 2, {1, 2, 3, 4}));
    // The two files swapped, the usual mistake: each message says which kind it got.
    BOOST_TEST(mentions(error_of([&] { ctnet::read_idx_images(labels); }),
                        {labels.string(), "0x00000801", "label file"}));
    BOOST_TEST(mentions(error_of([&] { ctnet::read_idx_labels(images); }),
                        {images.string(), "0x00000803", "image file"}));
    // An IDX file of floats, and something that is no IDX file at all (a zip archive's first bytes).
    const auto floats = write_raw(dir.path / "floats", idx_images(1, 1, 1, {0, 0, 0, 0}, 0x00000D03));
    BOOST_TEST(mentions(error_of([&] { ctnet::read_idx_images(floats); }), {floats.string(), "0x00000D03"}));
    const auto zip = write_raw(dir.path / "archive.zip", idx_images(1, 1, 1, {0}, 0x504B0304));
    BOOST_TEST(mentions(error_of([&] { ctnet::read_idx_images(zip); }), {zip.string(), "0x504B0304", "not an IDX"}));
    BOOST_TEST(mentions(error_of([&] { ctnet::read_idx_labels(zip); }), {zip.string(), "0x504B0304", "not an IDX"}));
}

BOOST_AUTO_TEST_CASE(zero_and_absurd_dimensions_throw_at_once) {
    TempDir dir;
    // Headers claiming nothing, or up to terabytes, over a file that holds 784 bytes. Each
    // must fail from the header or from the data actually present, without asking for memory
    // the file cannot fill (a reader that sized its buffer from the header would).
    struct Case {
        std::uint32_t count, rows, cols;
        const char* says;
    };
    const Case cases[] = {
        {0, 28, 28, "count 0"},
        {1, 0, 28, "row count 0"},
        {1, 28, 0, "column count 0"},
        {1u << 31, 28, 28, "2147483648"},
        {0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu, "4294967295"},
        {1, 1u << 31, 1u << 31, "row count 2147483648"},  // one image of 2^31 x 2^31
        {1u << 28, 28, 28, ""},        // within any per-dimension limit: caught by the missing data
        {1, 1u << 14, 1u << 14, ""},   // a single 256-megapixel image
        {1u << 20, 1u << 12, 1u << 12, ""},
        {1u << 24, 1, 1, ""},
    };
    for (const Case& c : cases) {
        BOOST_TEST_CONTEXT(c.count << " images of " << c.rows << "x" << c.cols) {
            const auto p = write_raw(dir.path / "absurd", idx_images(c.count, c.rows, c.cols, pattern(784)));
            const auto gz = write_gz(dir.path / "absurd.gz", idx_images(c.count, c.rows, c.cols, pattern(784)));
            for (const fs::path& f : {p, gz}) {
                allocations::largest = 0;
                const auto start = std::chrono::steady_clock::now();
                BOOST_TEST(mentions(error_of([&] { ctnet::read_idx_images(f); }), {f.string(), c.says}));
                const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
                BOOST_TEST(allocations::largest.load() <= std::size_t(16) << 20);
                BOOST_TEST(took.count() < 2.0);
            }
        }
    }
    for (const std::uint32_t count : {0u, 1u << 28, 1u << 31, 0xFFFFFFFFu}) {
        BOOST_TEST_CONTEXT(count << " labels") {
            const auto p = write_gz(dir.path / "labels.gz", idx_labels(count, Bytes(100, 1)));
            allocations::largest = 0;
            BOOST_TEST(mentions(error_of([&] { ctnet::read_idx_labels(p); }), {p.string()}));
            BOOST_TEST(allocations::largest.load() <= std::size_t(16) << 20);
        }
    }
}

BOOST_AUTO_TEST_CASE(a_header_claiming_more_than_the_file_holds_costs_no_more_than_the_file) {
    TempDir dir;
    // A megabyte of pixels under a header claiming 2^28 images (210 GB). A raw file is
    // checked against its size before anything is allocated; the message says what the
    // header claims and what the file holds. (Sizing the buffer by deflate's 1032:1 limit
    // for raw files too asked for 1 GiB here, and for 45 GiB on a 47 MB file.)
    const Bytes mib = pattern(1 << 20, 5);
    const auto raw = write_raw(dir.path / "claims-idx3-ubyte", idx_images(1u << 28, 28, 28, mib));
    allocations::largest = 0;
    BOOST_TEST(mentions(error_of([&] { ctnet::read_idx_images(raw); }),
                        {raw.string(), "268435456 images of 28x28", "210453397504 bytes", "holds 1048576"}));
    BOOST_TEST(allocations::largest.load() <= std::size_t(64) << 10);
    const auto labels = write_raw(dir.path / "claims-idx1-ubyte", idx_labels(1u << 28, Bytes(1 << 20, 3)));
    allocations::largest = 0;
    BOOST_TEST(mentions(error_of([&] { ctnet::read_idx_labels(labels); }),
                        {labels.string(), "268435456 labels", "holds 1048576"}));
    BOOST_TEST(allocations::largest.load() <= std::size_t(64) << 10);

    // gzip: the buffer follows the data that arrives. 256 KiB that deflate cannot shrink
    // and 768 KiB it can: a reader that reserved 1032 times the compressed size asked for
    // 270 MB; this one may use at most about twice the 1 MiB the stream holds.
    ctnet::Rng rng(7);
    Bytes mixed(1 << 20, 0);
    for (std::size_t i = 0; i < (256u << 10); ++i) mixed[i] = static_cast<std::uint8_t>(rng.below(256));
    const auto gz = write_gz(dir.path / "claims-idx3-ubyte.gz", idx_images(1u << 28, 28, 28, mixed));
    BOOST_TEST_REQUIRE(fs::file_size(gz) > std::size_t(200) << 10);
    allocations::largest = 0;
    BOOST_TEST(mentions(error_of([&] { ctnet::read_idx_images(gz); }),
                        {gz.string(), "truncated", "268435456 images of 28x28", "holds 1048576"}));
    BOOST_TEST(allocations::largest.load() <= std::size_t(5) << 19);

    // A gzip bomb: 16 MiB of zeros in a few kilobytes, under the same lying header. The
    // zeros really are there, so they are read, into at most twice the room they need.
    const auto bomb = write_gz(dir.path / "bomb-idx3-ubyte.gz", idx_images(1u << 28, 28, 28, Bytes(16u << 20, 0)));
    BOOST_TEST_REQUIRE(fs::file_size(bomb) < std::size_t(64) << 10);
    allocations::largest = 0;
    BOOST_TEST(mentions(error_of([&] { ctnet::read_idx_images(bomb); }),
                        {bomb.string(), "truncated", "holds " + std::to_string(16u << 20)}));
    BOOST_TEST(allocations::largest.load() <= std::size_t(2) * ((16 << 20) + (1 << 20)));  // + the last 1 MiB read

    // Honest files of the same sizes still load, raw in one allocation of exactly their pixels.
    const auto honest = write_raw(dir.path / "honest-idx3-ubyte", idx_images(1 << 10, 32, 32, mib));
    allocations::largest = 0;
    BOOST_TEST(ctnet::read_idx_images(honest).pixels == mib);
    BOOST_TEST(allocations::largest.load() == mib.size());
    const auto honest_gz = write_gz(dir.path / "honest-idx3-ubyte.gz", idx_images(1 << 10, 32, 32, mixed));
    BOOST_TEST(ctnet::read_idx_images(honest_gz).pixels == mixed);
}

BOOST_AUTO_TEST_CASE(truncated_files_throw_and_say_how_much_is_there) {
    TempDir dir;
    const Bytes pixels = pattern(2 * 3 * 4);
    const Bytes file = idx_images(2, 3, 4, pixels);
    // Every cut inside the 16-byte header.
    for (std::size_t n = 0; n < 16; ++n) {
        BOOST_TEST_CONTEXT("the first " << n << " bytes") {
            for (const fs::path& p : {write_raw(dir.path / "cut", prefix(file, n)),
                                      write_gz(dir.path / "cut.gz", prefix(file, n))})
                BOOST_TEST(mentions(error_of([&] { ctnet::read_idx_images(p); }), {p.string(), "header"}));
        }
    }
    // Every cut inside the pixels: the message gives both sizes.
    for (std::size_t n = 16; n < file.size(); ++n) {
        BOOST_TEST_CONTEXT("the first " << n << " bytes") {
            for (const fs::path& p : {write_raw(dir.path / "cut", prefix(file, n)),
                                      write_gz(dir.path / "cut.gz", prefix(file, n))})
                BOOST_TEST(mentions(error_of([&] { ctnet::read_idx_images(p); }),
                                    {p.string(), "truncated", "24 bytes", "holds " + std::to_string(n - 16)}));
        }
    }
    // A cut past the reader's first 1 MiB chunk counts what the earlier chunks held too.
    const Bytes big = idx_images(2000, 28, 28, pattern(2000 * 784));
    const auto p = write_gz(dir.path / "big.gz", prefix(big, 16 + (1 << 20) + 5));
    BOOST_TEST(mentions(error_of([&] { ctnet::read_idx_images(p); }),
                        {p.string(), "1568000 bytes", "holds " + std::to_string((1 << 20) + 5)}));
    // Labels the same way.
    const Bytes labels = idx_labels(10, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
    for (std::size_t n = 0; n < labels.size(); ++n) {
        BOOST_TEST_CONTEXT("the first " << n << " bytes of a label file") {
            const auto q = write_raw(dir.path / "labels", prefix(labels, n));
            BOOST_TEST(mentions(error_of([&] { ctnet::read_idx_labels(q); }), {q.string()}));
        }
    }
}

BOOST_AUTO_TEST_CASE(trailing_bytes_throw) {
    TempDir dir;
    // Data past what the header promises means the header is wrong; nothing is guessed.
    Bytes file = idx_images(2, 3, 4, pattern(24));
    for (const std::size_t extra : {1, 2, 100}) {
        BOOST_TEST_CONTEXT(extra << " extra bytes") {
            Bytes longer = file;
            longer.insert(longer.end(), extra, 0);
            for (const fs::path& p : {write_raw(dir.path / "long", longer), write_gz(dir.path / "long.gz", longer)})
                BOOST_TEST(mentions(error_of([&] { ctnet::read_idx_images(p); }), {p.string(), "after", "24 bytes"}));
            Bytes labels = idx_labels(3, {1, 2, 3});
            labels.insert(labels.end(), extra, 1);
            const auto q = write_gz(dir.path / "labels.gz", labels);
            BOOST_TEST(mentions(error_of([&] { ctnet::read_idx_labels(q); }), {q.string(), "after", "3 bytes"}));
        }
    }
}

BOOST_AUTO_TEST_CASE(a_gzip_file_cut_short_throws) {
    TempDir dir;
    const Bytes file = idx_images(20, 28, 28, pattern(20 * 784));
    const Bytes gz = read_bytes(write_gz(dir.path / "whole.gz", file));
    BOOST_TEST_REQUIRE(gz.size() > 30);
    // Every proper prefix: inside the gzip header, the deflate data, the CRC and the length
    // trailer. The IDX bytes may all be there (a cut in the trailer), but the stream is not.
    for (std::size_t n = 0; n < gz.size(); ++n) {
        BOOST_TEST_CONTEXT("the first " << n << " of " << gz.size() << " bytes") {
            const auto p = write_raw(dir.path / "cut.gz", prefix(gz, n));
            BOOST_TEST(mentions(error_of([&] { ctnet::read_idx_images(p); }), {p.string()}));
        }
    }
    // The trailer alone missing is reported as the gzip problem it is.
    const auto p = write_raw(dir.path / "no-trailer.gz", prefix(gz, gz.size() - 8));
    BOOST_TEST(mentions(error_of([&] { ctnet::read_idx_images(p); }), {p.string(), "gzip"}));
}

BOOST_AUTO_TEST_CASE(corrupt_deflate_data_throws) {
    TempDir dir;
    const Bytes file = idx_images(20, 28, 28, pattern(20 * 784));
    const Bytes gz = read_bytes(write_gz(dir.path / "whole.gz", file));
    // One byte changed in the middle of the compressed data, and the same file with every byte
    // after the gzip header scrambled: either deflate itself fails or the CRC-32 does.
    Bytes flipped = gz;
    flipped[gz.size() / 2] ^= 0x55;
    const auto p = write_raw(dir.path / "flipped.gz", flipped);
    BOOST_TEST(mentions(error_of([&] { ctnet::read_idx_images(p); }), {p.string(), "gzip"}));
    Bytes scrambled = gz;
    for (std::size_t i = 10; i < gz.size(); ++i) scrambled[i] = static_cast<std::uint8_t>(scrambled[i] * 37 + i);
    const auto q = write_raw(dir.path / "scrambled.gz", scrambled);
    BOOST_TEST(mentions(error_of([&] { ctnet::read_idx_images(q); }), {q.string(), "gzip"}));
    // A wrong CRC-32 over intact deflate data: all the bytes decompress, and still the file is refused.
    Bytes bad_crc = gz;
    bad_crc[gz.size() - 8] ^= 1;
    const auto r = write_raw(dir.path / "bad-crc.gz", bad_crc);
    BOOST_TEST(mentions(error_of([&] { ctnet::read_idx_images(r); }), {r.string(), "gzip"}));
}

BOOST_AUTO_TEST_CASE(damaged_files_load_correctly_or_throw_ctnet_error) {
    TempDir dir;
    // Four valid files, then a few hundred variants of them: bytes changed, files cut at
    // random lengths, bytes inserted. Each must load consistently or throw ctnet::Error
    // naming the file; a crash, a hang or another exception fails the whole program.
    const Bytes pixels = pattern(6 * 5 * 4, 9);
    const Bytes images = idx_images(6, 5, 4, pixels);
    const Bytes label_values = {3, 1, 4, 1, 5, 9, 2, 6};
    const Bytes labels = idx_labels(8, label_values);
    struct Base {
        Bytes bytes;
        bool gz, is_images;
    };
    const Base bases[] = {
        {read_bytes(write_gz(dir.path / "images.gz", images)), true, true},
        {images, false, true},
        {read_bytes(write_gz(dir.path / "labels.gz", labels)), true, false},
        {labels, false, false},
    };
    ctnet::Rng rng(20240521);
    int loaded[4] = {}, threw[4] = {};
    constexpr int per_base = 120;
    for (std::size_t b = 0; b < 4; ++b)
        for (int i = 0; i < per_base; ++i) {
            const Base& base = bases[b];
            Bytes v = base.bytes;
            std::string how;
            switch (i % 3) {
                case 0: {  // 1 to 4 bytes changed
                    const auto flips = 1 + rng.below(4);
                    for (std::uint64_t k = 0; k < flips; ++k) {
                        const auto at = rng.below(v.size());
                        v[at] ^= static_cast<std::uint8_t>(1 + rng.below(255));
                        how += " flip@" + std::to_string(at);
                    }
                    break;
                }
                case 1: {  // cut anywhere, keeping 0 to size-1 bytes
                    const auto keep = rng.below(v.size());
                    v.resize(keep);
                    how = " cut@" + std::to_string(keep);
                    break;
                }
                default: {  // 1 to 8 bytes inserted anywhere, the end included
                    const auto at = rng.below(v.size() + 1);
                    const auto n = 1 + rng.below(8);
                    for (std::uint64_t k = 0; k < n; ++k)
                        v.insert(v.begin() + static_cast<std::ptrdiff_t>(at), static_cast<std::uint8_t>(rng.below(256)));
                    how = " insert " + std::to_string(n) + "@" + std::to_string(at);
                }
            }
            const auto p = write_raw(dir.path / ("variant-" + std::to_string(i) + (base.gz ? ".gz" : "")), v);
            // Only a file that starts with the gzip magic is decompressed; anything else is read as it is.
            const bool read_as_gzip = v.size() >= 2 && v[0] == 0x1f && v[1] == 0x8b;
            BOOST_TEST_CONTEXT((base.gz ? "gzip " : "raw ") << (base.is_images ? "images" : "labels") << how) {
                try {
                    if (base.is_images) {
                        const ctnet::IdxImages got = ctnet::read_idx_images(p);
                        BOOST_TEST(got.count * got.rows * got.cols == got.pixels.size());
                        if (read_as_gzip) {
                            // Past the CRC-32 check: the data is the original.
                            BOOST_TEST(got.pixels == pixels);
                        } else {
                            // Read as it is: the header and the bytes after it are what the file holds.
                            BOOST_TEST_REQUIRE(v.size() >= 16);
                            BOOST_TEST(got.count == (std::size_t(v[4]) << 24 | v[5] << 16 | v[6] << 8 | v[7]));
                            BOOST_TEST(got.rows == (std::size_t(v[8]) << 24 | v[9] << 16 | v[10] << 8 | v[11]));
                            BOOST_TEST(got.cols == (std::size_t(v[12]) << 24 | v[13] << 16 | v[14] << 8 | v[15]));
                            BOOST_TEST(got.pixels == Bytes(v.begin() + 16, v.end()));
                        }
                    } else {
                        // Half the time every byte is a valid label, so changed labels load too.
                        const std::size_t classes = i % 2 ? 256 : 10;
                        const Bytes got = ctnet::read_idx_labels(p, classes);
                        for (const std::uint8_t l : got) BOOST_TEST(l < classes);
                        if (read_as_gzip) BOOST_TEST(got == label_values);
                        else BOOST_TEST(got == Bytes(v.begin() + 8, v.end()));
                    }
                    ++loaded[b];
                } catch (const ctnet::Error& e) {
                    BOOST_TEST(mentions(e.what(), {p.string()}));
                    ++threw[b];
                }
            }
        }
    const char* names[] = {"gzip images", "raw images", "gzip labels", "raw labels"};
    for (std::size_t b = 0; b < 4; ++b) {
        BOOST_TEST_MESSAGE("fuzz, " << names[b] << ": " << loaded[b] << " variants loaded, " << threw[b]
                                    << " threw ctnet::Error");
        BOOST_TEST(loaded[b] + threw[b] == per_base);
        BOOST_TEST(threw[b] > 0);
    }
    // Some variants load on each path (few gzip ones can: only a change to the header's
    // time stamp or OS byte, or bytes after the stream, leaves it intact), so no check above went unused.
    BOOST_TEST(loaded[0] + loaded[2] > 0);
    BOOST_TEST(loaded[1] > 0);
    BOOST_TEST(loaded[3] > 0);
}

BOOST_AUTO_TEST_SUITE_END()
