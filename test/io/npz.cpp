// Tests for io/npz.hpp: round trips, what numpy writes, zip64, and every malformation refused with its file and member named.
#include "ctnet/io/npz.hpp"

#include <boost/test/unit_test.hpp>
#include <sys/stat.h>
#include <zlib.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ctnet/config.hpp"
#include "../support/allocations.hpp"
#include "../support/files.hpp"

namespace fs = std::filesystem;
using namespace ctnet::test;
namespace allocations = ctnet::test::allocations;

namespace {

// What numpy 1.24 writes for
//     np.savez_compressed("fx.npz",
//         w=np.array([[0.5, -1.25, 3.0], [1e-38, -0.0, 65504.0]], np.float32),
//         f=np.asfortranarray(np.arange(6.0).reshape(2, 3) / 7),
//         s=np.array(-42, np.int64),
//         u=np.arange(24, dtype=np.uint8).reshape(2, 3, 2, 2),
//         i=np.array([-2147483648, 2147483647, 0], np.int32))
// deflated members with zip64 extra fields in their local headers, Fortran
// order, a 0-d and a 4-d array.
const char* const numpy_savez_compressed =
    "504b030414000000080000002100a540494e5e0000009800000005001400772e6e70790100100098000000000000005e00000000"
    "0000009bec17ea1b10c9c850c650ad9e925a9c5ca46ea5a06e9366a2aea3a09e965f54529498179f5f94920a12774bcc294e058a"
    "17672416a402f91a463a0ac69a3a0ab50a64032e0606067b068605fb19181c1cde3dce0172191a181ed4bb0300504b0304140000"
    "000800000021005b74c7395f000000b000000005001400662e6e707901001000b0000000000000005f000000000000009bec17ea"
    "1b10c9c850c650ad9e925a9c5ca46ea5a06e9366a1aea3a09e965f54529498179f5f94920a120f292a4d050a17672416a402b91a"
    "463a0ac69a3a0ab50ae4032e0628b8bd2d1784ec27a97802d12128fd084a5fb2df0e967e660f00504b0304140000000800000021"
    "0032c86ac4460000008800000005001400732e6e707901001000880000000000000046000000000000009bec17ea1b10c9c850c6"
    "50ad9e925a9c5ca46ea5a06e9369a1aea3a09e965f54529498179f5f94920a12774bcc294e058a17672416a402f91a9a3a0ab50a"
    "1401ae6bff210000504b030414000000080000002100d9932bcd630000009800000005001400752e6e7079010010009800000000"
    "00000063000000000000009bec17ea1b10c9c850c650ad9e925a9c5ca46ea5a05e536aa8aea3a09e965f54529498179f5f94920a"
    "12774bcc294e058a17672416a402f91a463a0ac63a0a40d2485347a156810cc0c5c0c8c4ccc2cac6cec1c9c5cdc3cbc72f202824"
    "2c222a260e00504b0304140000000800000021005cb470824f0000008c00000005001400692e6e7079010010008c000000000000"
    "004f000000000000009bec17ea1b10c9c850c650ad9e925a9c5ca46ea5a06e9369a2aea3a09e965f54529498179f5f94920a1277"
    "4bcc294e058a17672416a402f91ac63a9a3a0ab50a14002e06068686ffffffd703690600504b0102140314000000080000002100"
    "a540494e5e00000098000000050000000000000000000000800100000000772e6e7079504b01021403140000000800000021005b"
    "74c7395f000000b0000000050000000000000000000000800195000000662e6e7079504b010214031400000008000000210032c8"
    "6ac4460000008800000005000000000000000000000080012b010000732e6e7079504b0102140314000000080000002100d9932b"
    "cd63000000980000000500000000000000000000008001a8010000752e6e7079504b01021403140000000800000021005cb47082"
    "4f0000008c000000050000000000000000000000800142020000692e6e7079504b05060000000005000500ff000000c802000000"
    "00";

std::string from_hex(std::string_view hex) {
    std::string out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
        out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
    return out;
}

void put(std::string& out, std::uint64_t v, int n) {
    for (int i = 0; i < n; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
template <class U>
std::string le_bytes(std::initializer_list<U> values) {
    std::string out;
    for (const U v : values) {
        char b[sizeof(U)];
        std::memcpy(b, &v, sizeof(U));  // this test runs on little-endian machines, as numpy's '<' dtypes are
        out.append(b, sizeof(U));
    }
    return out;
}

// A .npy as the format's description has it: magic, version, header length, the dict padded to 64 bytes.
std::string npy_of(std::string dict, std::string_view data, int major = 1) {
    const std::size_t prefix = major == 1 ? 10 : 12;
    dict.append(63 - (prefix + dict.size()) % 64, ' ');
    dict += '\n';
    std::string out = "\x93NUMPY";
    out += static_cast<char>(major);
    out += '\0';
    put(out, dict.size(), major == 1 ? 2 : 4);
    return out + dict + std::string(data);
}
std::string npy_f4(std::string_view shape, std::string_view data) {
    return npy_of("{'descr': '<f4', 'fortran_order': False, 'shape': " + std::string(shape) + ", }", data);
}

std::string deflate_raw(const std::string& in) {
    z_stream zs{};
    deflateInit2(&zs, 9, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    std::string out(deflateBound(&zs, in.size()), '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    zs.avail_in = static_cast<uInt>(in.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    deflate(&zs, Z_FINISH);
    out.resize(zs.total_out);
    deflateEnd(&zs);
    return out;
}

// One member of a zip archive built by zip_of, from PKWARE's APPNOTE, with
// the knobs that make it wrong in one way at a time.
struct Member {
    std::string name = {}, data = {};
    std::uint16_t method = 0;  // 8: deflated here; any other value written as is
    bool zip64 = false;        // sizes and offset 0xFFFFFFFF, the real ones in a zip64 extra field
    std::uint16_t flags = 0;
    std::optional<std::uint32_t> crc = {}, size = {};  // instead of the true CRC-32 and uncompressed size
    std::optional<std::string> body = {};              // instead of the (compressed) data
};

std::string zip_of(const std::vector<Member>& members, bool zip64_end = false) {
    std::string zip, dir;
    for (const Member& m : members) {
        const std::string body = m.body ? *m.body : m.method == 8 ? deflate_raw(m.data) : m.data;
        const std::uint32_t crc = m.crc.value_or(static_cast<std::uint32_t>(
            crc32(0, reinterpret_cast<const Bytef*>(m.data.data()), static_cast<uInt>(m.data.size()))));
        const std::uint64_t size = m.size.value_or(m.data.size()), offset = zip.size();
        put(zip, 0x04034b50, 4);
        for (const auto& [v, n] : {std::pair<std::uint64_t, int>{20, 2},
                                   {m.flags, 2},
                                   {m.method, 2},
                                   {0, 2},
                                   {0x21, 2},
                                   {crc, 4},
                                   {body.size(), 4},
                                   {size, 4},
                                   {m.name.size(), 2},
                                   {0, 2}})
            put(zip, v, n);
        zip += m.name + body;
        const std::uint64_t big = 0xFFFFFFFF;
        put(dir, 0x02014b50, 4);
        for (const auto& [v, n] : {std::pair<std::uint64_t, int>{20, 2},
                                   {20, 2},
                                   {m.flags, 2},
                                   {m.method, 2},
                                   {0, 2},
                                   {0x21, 2},
                                   {crc, 4},
                                   {m.zip64 ? big : body.size(), 4},
                                   {m.zip64 ? big : size, 4},
                                   {m.name.size(), 2},
                                   {m.zip64 ? 28u : 0u, 2},
                                   {0, 2},
                                   {0, 2},
                                   {0, 2},
                                   {0, 4},
                                   {m.zip64 ? big : offset, 4}})
            put(dir, v, n);
        dir += m.name;
        if (m.zip64) {
            put(dir, 1, 2);
            put(dir, 24, 2);
            put(dir, size, 8);
            put(dir, body.size(), 8);
            put(dir, offset, 8);
        }
    }
    const std::uint64_t dir_offset = zip.size(), n = members.size();
    zip += dir;
    if (zip64_end) {
        const std::uint64_t at = zip.size();
        put(zip, 0x06064b50, 4);
        for (const auto& [v, k] : {std::pair<std::uint64_t, int>{44, 8},
                                   {45, 2},
                                   {45, 2},
                                   {0, 4},
                                   {0, 4},
                                   {n, 8},
                                   {n, 8},
                                   {dir.size(), 8},
                                   {dir_offset, 8}})
            put(zip, v, k);
        put(zip, 0x07064b50, 4);
        put(zip, 0, 4);
        put(zip, at, 8);
        put(zip, 1, 4);
    }
    put(zip, 0x06054b50, 4);
    put(zip, 0, 4);
    put(zip, zip64_end ? 0xFFFF : n, 2);
    put(zip, zip64_end ? 0xFFFF : n, 2);
    put(zip, zip64_end ? 0xFFFFFFFF : dir.size(), 4);
    put(zip, zip64_end ? 0xFFFFFFFF : dir_offset, 4);
    put(zip, 0, 2);
    return zip;
}

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
    // memcmp's pointers must not be null even for zero bytes, and an empty
    // vector's data() may be.
    return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
}

const ctnet::NpyArray& named(const std::vector<ctnet::NpyArray>& arrays, std::string_view name) {
    for (const auto& a : arrays)
        if (a.name == name) return a;
    BOOST_FAIL("no array " << name);
    return arrays.front();
}

using Shape = std::vector<std::size_t>;

}  // namespace

BOOST_AUTO_TEST_SUITE(npz)

BOOST_AUTO_TEST_CASE(round_trips_every_dtype_and_rank) {
    TempDir dir;
    const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
    const std::vector<ctnet::NpyArray> arrays = {
        {"W1", {2, 3}, "<f4", {0.5, -0.0, double(1e-40f), inf, nan, double(3.4028235e38f)}},
        {"b1", {3}, "<f8", {0.1, -1e-300, 2.5}},
        {"scalar", {}, "<i4", {-2147483648.0}},
        {"image", {2, 1, 2, 3}, "|u1", {0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255}},
        {"big", {2}, "<i8", {9007199254740992.0, -9223372036854775808.0}},
        {"empty", {0, 3}, "<f4", {}},
    };
    const auto file = dir.path / "all.npz";
    ctnet::write_npz(file, arrays);
    const auto back = ctnet::read_npz(file);
    BOOST_TEST_REQUIRE(back.size() == arrays.size());
    for (std::size_t k = 0; k < arrays.size(); ++k) {
        BOOST_TEST_CONTEXT(arrays[k].name) {
            BOOST_TEST(back[k].name == arrays[k].name);
            BOOST_TEST(back[k].shape == arrays[k].shape);
            BOOST_TEST(back[k].dtype == arrays[k].dtype);
            BOOST_TEST(same_bits(back[k].values, arrays[k].values));
        }
    }
    // The member is byte for byte what numpy.save writes: header padded so the data starts at byte 128.
    std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
    header.append(117 - header.size(), ' ');
    const std::string npy = std::string("\x93NUMPY\x01\x00\x76\x00", 10) + header + "\n" +
                            le_bytes<float>({0.5f, -0.0f, 1e-40f, INFINITY, NAN, 3.4028235e38f});
    BOOST_TEST(read_text(file).find("W1.npy" + npy) != std::string::npos);
    // The same arrays give the same bytes.
    ctnet::write_npz(dir.path / "again.npz", arrays);
    BOOST_TEST(read_text(file) == read_text(dir.path / "again.npz"));
}

BOOST_AUTO_TEST_CASE(reads_what_numpy_savez_compressed_writes) {
    TempDir dir;
    const auto file = dir.path / "fx.npz";
    write_bytes(file, from_hex(numpy_savez_compressed));
    const auto arrays = ctnet::read_npz(file);
    BOOST_TEST_REQUIRE(arrays.size() == 5u);
    BOOST_TEST(arrays[0].name == "w");  // the archive's order
    const auto& w = named(arrays, "w");
    BOOST_TEST((w.shape == Shape{2, 3}));
    BOOST_TEST(w.dtype == "<f4");
    BOOST_TEST(same_bits(w.values, {0.5, -1.25, 3.0, double(1e-38f), -0.0, 65504.0}));
    const auto& f = named(arrays, "f");  // stored in Fortran order, returned in C order
    BOOST_TEST(f.dtype == "<f8");
    BOOST_TEST((f.shape == Shape{2, 3}));
    for (std::size_t k = 0; k < 6; ++k) BOOST_TEST(f.values[k] == double(k) / 7.0);
    const auto& s = named(arrays, "s");
    BOOST_TEST((s.shape == Shape{}));
    BOOST_TEST(s.dtype == "<i8");
    BOOST_TEST((s.values == std::vector<double>{-42}));
    const auto& u = named(arrays, "u");
    BOOST_TEST((u.shape == Shape{2, 3, 2, 2}));
    BOOST_TEST(u.dtype == "|u1");
    for (std::size_t k = 0; k < 24; ++k) BOOST_TEST(u.values[k] == double(k));
    const auto& i = named(arrays, "i");
    BOOST_TEST(i.dtype == "<i4");
    BOOST_TEST((i.values == std::vector<double>{-2147483648.0, 2147483647.0, 0}));
}

BOOST_AUTO_TEST_CASE(npy_versions_fortran_order_and_zip64) {
    TempDir dir;
    // (2, 3, 4) in Fortran order: element (i, j, k) is at i + 2j + 6k and holds 100i + 10j + k.
    std::vector<float> fortran(24);
    for (int i = 0; i < 2; ++i)
        for (int j = 0; j < 3; ++j)
            for (int k = 0; k < 4; ++k) fortran[i + 2 * j + 6 * k] = float(100 * i + 10 * j + k);
    const std::string fortran_data(reinterpret_cast<const char*>(fortran.data()), fortran.size() * sizeof(float));
    const std::string f4 = le_bytes<float>({1.5f, -2.0f});
    const std::vector<Member> members = {
        {"v1.npy", npy_f4("(2,)", f4)},
        {.name = "v2.npy",
         .data = npy_of("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", f4, 2),
         .method = 8},
        {.name = "v3.npy",
         .data = npy_of("{\"shape\": (1, 2), \"fortran_order\": False, \"descr\": \"<f4\"}", f4, 3),
         .zip64 = true},
        {.name = "cube.npy",
         .data = npy_of("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3, 4), }", fortran_data),
         .method = 8,
         .zip64 = true},
    };
    for (const bool zip64_end : {false, true}) {
        BOOST_TEST_CONTEXT("zip64 end record " << zip64_end) {
            const auto file = dir.path / "v.npz";
            write_bytes(file, zip_of(members, zip64_end));
            const auto arrays = ctnet::read_npz(file);
            BOOST_TEST_REQUIRE(arrays.size() == 4u);
            for (const char* name : {"v1", "v2", "v3"})
                BOOST_TEST(named(arrays, name).values == (std::vector<double>{1.5, -2.0}));
            BOOST_TEST((named(arrays, "v3").shape == Shape{1, 2}));
            const auto& cube = named(arrays, "cube");
            BOOST_TEST((cube.shape == Shape{2, 3, 4}));
            for (std::size_t i = 0; i < 2; ++i)
                for (std::size_t j = 0; j < 3; ++j)
                    for (std::size_t k = 0; k < 4; ++k)
                        BOOST_TEST(cube.values[i * 12 + j * 4 + k] == double(100 * i + 10 * j + k));
        }
    }
}

BOOST_AUTO_TEST_CASE(every_malformation_names_the_file_and_member) {
    TempDir dir;
    const auto file = dir.path / "bad.npz";
    const std::string f4x6 = le_bytes<float>({1, 2, 3, 4, 5, 6});
    const std::string good = npy_f4("(2, 3)", f4x6);
    auto with_header = [&](const std::string& dict, const std::string& data) { return npy_of(dict, data); };
    struct Case {
        const char* what;
        std::string bytes;
        std::vector<std::string_view> says;
    };
    std::string cut = zip_of({{"W1.npy", good}});
    cut.resize(cut.size() / 2);
    std::string flipped = zip_of({{"W1.npy", good}});
    flipped[30 + 6 + 130] ^= 0x01;  // past the local header, its name and the .npy header: W1's data
    const std::string no_prefix = zip_of({{"a.npy", good}, {"b.npy", good}}).substr(100);
    std::string many = zip_of({{"W1.npy", good}});
    many[many.size() - 12] = 100;  // the end record's entry count
    std::string deflated = deflate_raw(good);
    const std::vector<Case> cases = {
        {"not a zip", "this is not an archive at all, just text", {"not a zip archive"}},
        {"empty", "", {"not a zip archive"}},
        {"cut in half", cut, {"truncated"}},
        {"start missing", no_prefix, {"central directory lies outside the file"}},
        {"too many entries", many, {"100 entries cannot fit"}},
        {"flipped bit", flipped, {"member 'W1.npy'", "CRC-32 mismatch"}},
        {"wrong CRC",
         zip_of({{.name = "W1.npy", .data = good, .method = 8, .crc = 0x12345678u}}),
         {"member 'W1.npy'", "CRC-32 mismatch"}},
        {"corrupt deflate",
         zip_of({{.name = "W1.npy", .data = good, .method = 8, .body = std::string(40, '\xFF')}}),
         {"member 'W1.npy'", "corrupt deflate data"}},
        {"deflate cut short",
         zip_of({{.name = "W1.npy", .data = good, .method = 8, .body = deflated.substr(0, deflated.size() / 2)}}),
         {"member 'W1.npy'", "truncated deflate data"}},
        {"inflates to more",
         zip_of({{.name = "W1.npy", .data = good, .method = 8, .size = 100u}}),
         {"member 'W1.npy'", "more than the 100 bytes"}},
        {"inflates to less",
         zip_of({{.name = "W1.npy", .data = good, .method = 8, .size = 1000u}}),
         {"member 'W1.npy'", "inflates to 152 bytes, 1000"}},
        {"deflate bomb claim",
         zip_of({{.name = "W1.npy", .data = good, .method = 8, .size = 0xFFFFFFF0u}}),
         {"member 'W1.npy'", "more than deflate can produce"}},
        {"stored size mismatch",
         zip_of({{.name = "W1.npy", .data = good, .size = 1000u}}),
         {"member 'W1.npy'", "claims 1000"}},
        {"encrypted", zip_of({{.name = "W1.npy", .data = good, .flags = 1}}), {"member 'W1.npy'", "encrypted"}},
        {"bzip2",
         zip_of({{.name = "W1.npy", .data = good, .method = 12}}),
         {"member 'W1.npy'", "compression method 12"}},
        {"not .npy", zip_of({{"notes.txt", "hello"}}), {"member 'notes.txt'", "not a .npy array"}},
        {"twice", zip_of({{"W1.npy", good}, {"W1.npy", good}}), {"member 'W1.npy'", "appears twice"}},
        {"no magic", zip_of({{"W1.npy", "PK not numpy at all"}}), {"member 'W1.npy'", "no \\x93NUMPY magic"}},
        {"version 4",
         zip_of({{"W1.npy", npy_of("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", f4x6, 4)}}),
         {"member 'W1.npy'", "version 4.0"}},
        {"header cut", zip_of({{"W1.npy", good.substr(0, 50)}}), {"member 'W1.npy'", "truncated .npy header"}},
        {"bad header",
         zip_of({{"W1.npy", with_header("{'descr': '<f4', 'shape': (2, 3)}", f4x6)}}),
         {"member 'W1.npy'", "malformed .npy header", "'fortran_order'"}},
        {"unknown key",
         zip_of({{"W1.npy", with_header("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), 'x': 1}", f4x6)}}),
         {"member 'W1.npy'", "unexpected key 'x'"}},
        {"float16",
         zip_of({{"W1.npy", with_header("{'descr': '<f2', 'fortran_order': False, 'shape': (3,), }", "123456")}}),
         {"member 'W1.npy'", "unsupported dtype '<f2'"}},
        {"big-endian",
         zip_of({{"W1.npy", with_header("{'descr': '>f8', 'fortran_order': False, 'shape': (1,), }", "12345678")}}),
         {"member 'W1.npy'", "big-endian dtype '>f8'"}},
        {"structured",
         zip_of(
             {{"W1.npy", with_header("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", "1234")}}),
         {"member 'W1.npy'", "structured dtypes"}},
        {"data short",
         zip_of({{"W1.npy", npy_f4("(2, 3)", f4x6.substr(0, 20))}}),
         {"member 'W1.npy'", "shape (2, 3) of '<f4' needs 24 bytes of data, the member holds 20"}},
        {"data long", zip_of({{"W1.npy", npy_f4("(5,)", f4x6)}}), {"member 'W1.npy'", "needs 20 bytes", "holds 24"}},
        {"absurd shape",
         zip_of({{"W1.npy", npy_f4("(100000, 100000, 100000)", f4x6)}}),
         {"member 'W1.npy'", "needs 4000000000000000 bytes"}},
        {"overflowing shape",
         zip_of({{"W1.npy", npy_f4("(4294967296, 4294967296, 4294967296)", f4x6)}}),
         {"member 'W1.npy'", "absurd shape"}},
        {"int64 beyond 2^53",
         zip_of({{"W1.npy", with_header("{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }",
                                        le_bytes<std::int64_t>({(std::int64_t(1) << 53) + 1}))}}),
         {"member 'W1.npy'", "9007199254740993"}},
    };
    for (const Case& c : cases) {
        BOOST_TEST_CONTEXT(c.what) {
            write_bytes(file, c.bytes);
            allocations::largest = 0;
            const std::string message = error_of([&] { ctnet::read_npz(file); });
            BOOST_TEST(mentions(message, {file.string()}));
            for (const std::string_view part : c.says) BOOST_TEST(mentions(message, {part}));
            // Nothing the file claims is allocated before it is checked: at most the file and its largest member.
            BOOST_TEST(allocations::largest.load() <= std::size_t(64) << 10);
        }
    }
}

BOOST_AUTO_TEST_CASE(only_regular_files_are_read) {
    TempDir dir;
    BOOST_TEST(mentions(error_of([&] { ctnet::read_npz(dir.path / "missing.npz"); }), {"cannot open", "missing.npz"}));
    BOOST_TEST(mentions(error_of([&] { ctnet::read_npz(dir.path); }), {dir.path.string(), "not a regular file"}));
    // Neither a FIFO without a writer nor an endless device may hang the reader or fill memory.
    const auto fifo = dir.path / "pipe.npz";
    BOOST_TEST_REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    BOOST_TEST(mentions(error_of([&] { ctnet::read_npz(fifo); }), {"pipe.npz", "not a regular file"}));
    if (fs::exists("/dev/zero"))
        BOOST_TEST(mentions(error_of([&] { ctnet::read_npz("/dev/zero"); }), {"/dev/zero", "not a regular file"}));
}

BOOST_AUTO_TEST_CASE(write_refuses_what_it_cannot_write_and_keeps_the_old_file) {
    TempDir dir;
    const auto file = dir.path / "a.npz";
    ctnet::write_npz(file, {{"W1", {2}, "<f4", {1, 2}}});
    const std::string before = read_text(file);
    struct Case {
        const char* what;
        std::vector<ctnet::NpyArray> arrays;
        std::vector<std::string_view> says;
    };
    const std::vector<Case> cases = {
        {"no name", {{"", {1}, "<f4", {1}}}, {"without a name"}},
        {"twice", {{"W1", {1}, "<f4", {1}}, {"W1", {1}, "<f8", {1}}}, {"array 'W1'", "two arrays with this name"}},
        {"dtype", {{"W1", {1}, "<f2", {1}}}, {"array 'W1'", "unsupported dtype '<f2'"}},
        {"big-endian", {{"W1", {1}, ">f4", {1}}}, {"array 'W1'", "big-endian"}},
        {"count", {{"W1", {2, 3}, "<f4", {1, 2, 3}}}, {"array 'W1'", "shape (2, 3) has 6 elements, 3 values given"}},
        {"fraction", {{"x", {1}, "|u1", {1.5}}}, {"array 'x'", "does not fit '|u1'"}},
        {"byte range", {{"x", {2}, "|u1", {255, 256}}}, {"array 'x'", "element 1"}},
        {"int32 range", {{"x", {1}, "<i4", {2147483648.0}}}, {"array 'x'", "'<i4'"}},
        {"float range", {{"x", {1}, "<f4", {1e39}}}, {"array 'x'", "'<f4'"}},
    };
    for (const Case& c : cases) {
        BOOST_TEST_CONTEXT(c.what) {
            const std::string message = error_of([&] { ctnet::write_npz(file, c.arrays); });
            BOOST_TEST(mentions(message, {file.string()}));
            for (const std::string_view part : c.says) BOOST_TEST(mentions(message, {part}));
            BOOST_TEST(read_text(file) == before);
        }
    }
    BOOST_TEST(mentions(error_of([&] { ctnet::write_npz(dir.path / "missing" / "a.npz", {}); }), {"cannot write"}));
}

BOOST_AUTO_TEST_CASE(shapes_print_as_numpy_prints_them) {
    BOOST_TEST(ctnet::npy_shape_string({}) == "()");
    BOOST_TEST(ctnet::npy_shape_string({50}) == "(50,)");
    BOOST_TEST(ctnet::npy_shape_string({784, 50}) == "(784, 50)");
    BOOST_TEST(ctnet::npy_shape_string({2, 3, 2, 2}) == "(2, 3, 2, 2)");
}

BOOST_AUTO_TEST_SUITE_END()
