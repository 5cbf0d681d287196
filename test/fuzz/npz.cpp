// npz.cpp — fuzzes ctnet::read_npz on zip archives as they come, and on archives the harness builds around fuzzed .npy members.
//
// Input: one mode byte, then either the file's bytes (mode bit 0 clear), or
// (bit 0 set) members as parts (fuzz_support.hpp, Parts): a name, its .npy
// bytes, the next name, ... The harness wraps them in a correct zip archive,
// CRC-32s included, so the mutations reach the .npy parser behind the zip
// checks. Bit 1: members deflated (else stored); bit 2: zip64 end records;
// bit 3: sizes and offsets in zip64 extra fields.
#include <zlib.h>

#include <cstdint>

#include "ctnet/io/npz.hpp"
#include "fuzz_support.hpp"

namespace {

void put(std::string& out, std::uint64_t v, int n) {
    for (int i = 0; i < n; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

std::string deflate_raw(const std::string& bytes) {
    z_stream zs{};
    if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) std::abort();
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

// A zip archive as numpy.savez writes one, of the named members.
std::string zip(ctnet::fuzz::Parts& parts, unsigned mode) {
    const bool deflated = mode & 2, zip64_end = mode & 4, zip64_extra = mode & 8;
    std::string out, directory;
    std::size_t entries = 0;
    for (std::string name = parts.next(); !name.empty() && entries < 16; name = parts.next(), ++entries) {
        const std::string data = parts.next();
        const std::string stored = deflated ? deflate_raw(data) : data;
        const auto crc = static_cast<std::uint32_t>(
            crc32(0, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size())));
        const std::uint64_t offset = out.size();
        const std::uint32_t small = zip64_extra ? 0xFFFFFFFF : 0;
        std::string extra;
        if (zip64_extra) {
            put(extra, 1, 2);
            put(extra, 24, 2);
            put(extra, data.size(), 8);
            put(extra, stored.size(), 8);
            put(extra, offset, 8);
        }
        auto common = [&](std::string& h) {
            put(h, zip64_extra ? 45 : 20, 2);  // version needed
            put(h, 0, 2);                      // flags
            put(h, deflated ? 8 : 0, 2);
            put(h, 0, 4);  // time, date
            put(h, crc, 4);
            put(h, small ? small : stored.size(), 4);
            put(h, small ? small : data.size(), 4);
            put(h, name.size(), 2);
            put(h, extra.size(), 2);
        };
        put(out, 0x04034b50, 4);
        common(out);
        out += name + extra + stored;
        put(directory, 0x02014b50, 4);
        put(directory, 45, 2);  // made by
        common(directory);
        put(directory, 0, 2);  // comment length
        put(directory, 0, 2);  // disk
        put(directory, 0, 2);  // internal attributes
        put(directory, 0, 4);  // external attributes
        put(directory, small ? small : offset, 4);
        directory += name + extra;
    }
    const std::uint64_t directory_offset = out.size();
    out += directory;
    if (zip64_end) {
        const std::uint64_t end64 = out.size();
        put(out, 0x06064b50, 4);
        put(out, 44, 8);
        put(out, 45, 2);
        put(out, 45, 2);
        put(out, 0, 4);
        put(out, 0, 4);
        put(out, entries, 8);
        put(out, entries, 8);
        put(out, directory.size(), 8);
        put(out, directory_offset, 8);
        put(out, 0x07064b50, 4);
        put(out, 0, 4);
        put(out, end64, 8);
        put(out, 1, 4);
    }
    put(out, 0x06054b50, 4);
    put(out, 0, 4);
    put(out, zip64_end ? 0xFFFF : entries, 2);
    put(out, zip64_end ? 0xFFFF : entries, 2);
    put(out, zip64_end ? 0xFFFFFFFF : directory.size(), 4);
    put(out, zip64_end ? 0xFFFFFFFF : directory_offset, 4);
    put(out, 0, 2);
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return -1;
    std::string bytes;
    if (data[0] & 1) {
        ctnet::fuzz::Parts parts(data + 1, size - 1);
        bytes = zip(parts, data[0]);
    } else {
        bytes.assign(reinterpret_cast<const char*>(data + 1), size - 1);
    }
    const auto path = ctnet::fuzz::scratch_dir() / "arrays.npz";
    ctnet::fuzz::write_file(path, bytes);
    ctnet::fuzz::expect_success_or_error("read_npz", [&] {
        for (const ctnet::NpyArray& a : ctnet::read_npz(path)) {
            std::size_t n = 1;
            for (const std::size_t d : a.shape) n *= d;
            if (a.values.size() != n) std::abort();
        }
    });
    return 0;
}
