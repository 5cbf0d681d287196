// npz.cpp — the zip container (central directory, zip64, deflate via zlib) and the .npy format inside it.
#include "ctnet/io/npz.hpp"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <set>
#include <string_view>

#include "ctnet/config.hpp"
#include "ctnet/io/atomic_file.hpp"
#include "ctnet/io/read_file.hpp"

namespace ctnet {

namespace {

namespace fs = std::filesystem;

// What an error is about: the file, and the member or array when there is one.
struct Context {
    const fs::path& path;
    std::string what;  // "member 'W1.npy'", "array 'W1'" or empty
    [[noreturn]] void fail(const std::string& why) const {
        throw Error(path.string() + ": " + (what.empty() ? "" : what + ": ") + why);
    }
};

// ---- little-endian fields -----------------------------------------------------

std::uint64_t get_le(std::string_view d, std::size_t pos, std::size_t n) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < n; ++i) v |= std::uint64_t(static_cast<unsigned char>(d[pos + i])) << (8 * i);
    return v;
}
void put_le(std::string& out, std::uint64_t v, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

std::uint32_t crc_of(std::string_view s) {
    uLong crc = crc32(0, nullptr, 0);
    for (std::size_t pos = 0; pos < s.size();) {
        const auto n = static_cast<uInt>(std::min<std::size_t>(s.size() - pos, 1u << 30));
        crc = crc32(crc, reinterpret_cast<const Bytef*>(s.data() + pos), n);
        pos += n;
    }
    return static_cast<std::uint32_t>(crc);
}

// ---- dtypes -----------------------------------------------------------------

enum class Kind { f4, f8, u1, i4, i8 };
struct Dtype {
    std::string_view name;
    std::size_t size;
    Kind kind;
};
constexpr std::array<Dtype, 5> dtypes{
    {{"<f4", 4, Kind::f4}, {"<f8", 8, Kind::f8}, {"|u1", 1, Kind::u1}, {"<i4", 4, Kind::i4}, {"<i8", 8, Kind::i8}}};
constexpr double two_to_63 = 9223372036854775808.0;

const Dtype* find_dtype(std::string_view name) {
    for (const Dtype& t : dtypes)
        if (t.name == name) return &t;
    return nullptr;
}

[[noreturn]] void fail_dtype(const Context& ctx, const std::string& name) {
    std::string known;
    for (const Dtype& t : dtypes) known += (known.empty() ? "" : ", ") + std::string(t.name);
    if (name.size() > 1 && name[0] == '>' && find_dtype("<" + name.substr(1)))
        ctx.fail("big-endian dtype '" + name + "' is not supported (save it little-endian: a.astype('<" +
                 name.substr(1) + "'))");
    ctx.fail("unsupported dtype '" + name + "' (supported: " + known + ")");
}

// One value of type t at p; a 64-bit integer that a double cannot hold exactly is refused.
double decode(const Dtype& t, const char* p, const Context& ctx) {
    const std::uint64_t bits = get_le(std::string_view(p, t.size), 0, t.size);
    switch (t.kind) {
        case Kind::f4: return std::bit_cast<float>(static_cast<std::uint32_t>(bits));
        case Kind::f8: return std::bit_cast<double>(bits);
        case Kind::u1: return static_cast<double>(bits);
        case Kind::i4: return static_cast<std::int32_t>(static_cast<std::uint32_t>(bits));
        case Kind::i8: break;
    }
    const auto v = static_cast<std::int64_t>(bits);
    const auto d = static_cast<double>(v);
    if (d >= two_to_63 || static_cast<std::int64_t>(d) != v)
        ctx.fail("the int64 value " + std::to_string(v) + " has no exact double (|v| > 2^53)");
    return d;
}

// A number as %.17g prints it: all its digits, none invented.
std::string number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

// Whether v is an integer in [lo, hi).
bool integer_in(double v, double lo, double hi) { return std::floor(v) == v && v >= lo && v < hi; }

bool fits(const Dtype& t, double v) {
    switch (t.kind) {
        case Kind::f4: return !std::isfinite(v) || std::fabs(v) <= std::numeric_limits<float>::max();
        case Kind::f8: return true;
        case Kind::u1: return integer_in(v, 0, 256);
        case Kind::i4: return integer_in(v, -2147483648.0, 2147483648.0);
        case Kind::i8: return integer_in(v, -two_to_63, two_to_63);
    }
    return false;
}

void encode(std::string& out, const Dtype& t, double v) {
    switch (t.kind) {
        case Kind::f4: put_le(out, std::bit_cast<std::uint32_t>(static_cast<float>(v)), 4); break;
        case Kind::f8: put_le(out, std::bit_cast<std::uint64_t>(v), 8); break;
        case Kind::u1: put_le(out, static_cast<std::uint64_t>(v), 1); break;
        case Kind::i4: put_le(out, static_cast<std::uint32_t>(static_cast<std::int32_t>(v)), 4); break;
        case Kind::i8: put_le(out, static_cast<std::uint64_t>(static_cast<std::int64_t>(v)), 8); break;
    }
}

// Elements of shape, or a failure if the product overflows.
std::size_t element_count(const std::vector<std::size_t>& shape, std::size_t item_size, const Context& ctx) {
    std::size_t n = 1;
    for (const std::size_t d : shape) {
        if (d != 0 && n > std::numeric_limits<std::size_t>::max() / d)
            ctx.fail("absurd shape " + npy_shape_string(shape));
        n *= d;
    }
    if (n > std::numeric_limits<std::size_t>::max() / item_size) ctx.fail("absurd shape " + npy_shape_string(shape));
    return n;
}

// ---- the .npy header: a Python dict literal --------------------------------------

struct NpyHeader {
    std::string descr;
    bool fortran_order = false;
    std::vector<std::size_t> shape;
};

// Reads exactly what numpy writes, {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), },
// with any spacing and either quote; anything else is a malformed header.
class HeaderParser {
public:
    HeaderParser(std::string_view text, const Context& ctx) : text_(text), ctx_(ctx) {}

    NpyHeader parse() {
        NpyHeader h;
        bool seen[3] = {};
        expect('{');
        while (!next_is('}')) {
            const std::string key = string_literal();
            expect(':');
            int k = 0;
            if (key == "descr") {
                if (next_is('[')) ctx_.fail("structured dtypes (a list as 'descr') are not supported");
                h.descr = string_literal();
            } else if (key == "fortran_order") {
                k = 1;
                h.fortran_order = boolean();
            } else if (key == "shape") {
                k = 2;
                h.shape = tuple();
            } else {
                bad("unexpected key '" + key + "'");
            }
            if (seen[k]) bad("key '" + key + "' appears twice");
            seen[k] = true;
            if (!next_is('}')) expect(',');
        }
        expect('}');
        skip_space();
        if (pos_ != text_.size()) bad("text after the dictionary");
        if (!seen[0] || !seen[1] || !seen[2]) bad("it needs the keys 'descr', 'fortran_order' and 'shape'");
        return h;
    }

private:
    [[noreturn]] void bad(const std::string& why) const {
        const std::string shown(text_.substr(0, 120));
        ctx_.fail("malformed .npy header (" + why + "): " + shown);
    }
    void skip_space() {
        while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n')) ++pos_;
    }
    bool next_is(char c) {
        skip_space();
        return pos_ < text_.size() && text_[pos_] == c;
    }
    void expect(char c) {
        if (!next_is(c)) bad(std::string("expected '") + c + "'");
        ++pos_;
    }
    std::string string_literal() {
        if (!next_is('\'') && !next_is('"')) bad("expected a string");
        const char quote = text_[pos_++];
        const std::size_t end = text_.find(quote, pos_);
        if (end == std::string_view::npos) bad("unterminated string");
        std::string s(text_.substr(pos_, end - pos_));
        if (s.find('\\') != std::string::npos) bad("escapes in a string");
        pos_ = end + 1;
        return s;
    }
    bool boolean() {
        skip_space();
        for (const std::string_view word : {"True", "False"})
            if (text_.substr(pos_, word.size()) == word) {
                pos_ += word.size();
                return word == "True";
            }
        bad("expected True or False");
    }
    std::vector<std::size_t> tuple() {
        std::vector<std::size_t> dims;
        expect('(');
        while (!next_is(')')) {
            if (pos_ == text_.size() || text_[pos_] < '0' || text_[pos_] > '9') bad("expected a dimension");
            std::size_t d = 0;
            while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') {
                if (d > (std::numeric_limits<std::size_t>::max() - 9) / 10) ctx_.fail("absurd dimension in the shape");
                d = d * 10 + static_cast<std::size_t>(text_[pos_++] - '0');
            }
            if (pos_ < text_.size() && text_[pos_] == 'L') ++pos_;  // Python 2's long literal
            dims.push_back(d);
            if (!next_is(')')) expect(',');
        }
        expect(')');
        return dims;
    }

    std::string_view text_;
    const Context& ctx_;
    std::size_t pos_ = 0;
};

NpyArray parse_npy(std::string_view m, std::string name, const Context& ctx) {
    static constexpr std::string_view magic("\x93NUMPY", 6);
    if (m.size() < 10 || m.substr(0, 6) != magic) ctx.fail("not a .npy array (no \\x93NUMPY magic)");
    const int major = static_cast<unsigned char>(m[6]), minor = static_cast<unsigned char>(m[7]);
    if ((major != 1 && major != 2 && major != 3) || minor != 0)
        ctx.fail(".npy format version " + std::to_string(major) + "." + std::to_string(minor) +
                 " (this reader knows 1.0, 2.0 and 3.0)");
    const std::size_t start = major == 1 ? 10 : 12;
    if (m.size() < start) ctx.fail("truncated .npy header");
    const std::size_t header_len = get_le(m, 8, start - 8);
    if (header_len > m.size() - start) ctx.fail("truncated .npy header");
    const NpyHeader h = HeaderParser(m.substr(start, header_len), ctx).parse();

    const Dtype* t = find_dtype(h.descr);
    if (!t) fail_dtype(ctx, h.descr);
    const std::string_view data = m.substr(start + header_len);
    const std::size_t count = element_count(h.shape, t->size, ctx);
    if (count * t->size != data.size())
        ctx.fail("shape " + npy_shape_string(h.shape) + " of '" + h.descr + "' needs " +
                 std::to_string(count * t->size) + " bytes of data, the member holds " + std::to_string(data.size()));

    NpyArray a{std::move(name), h.shape, h.descr, std::vector<double>(count)};
    if (!h.fortran_order || h.shape.size() < 2) {
        for (std::size_t k = 0; k < count; ++k) a.values[k] = decode(*t, data.data() + k * t->size, ctx);
        return a;
    }
    // Fortran order: the first index runs fastest. Walk the data in that
    // order and keep the C offset of the current index alongside.
    const std::size_t rank = h.shape.size();
    std::vector<std::size_t> index(rank, 0), c_stride(rank, 1);
    for (std::size_t i = rank - 1; i-- > 0;) c_stride[i] = c_stride[i + 1] * h.shape[i + 1];
    std::size_t c = 0;
    for (std::size_t k = 0; k < count; ++k) {
        a.values[c] = decode(*t, data.data() + k * t->size, ctx);
        for (std::size_t i = 0; i < rank; ++i) {
            c += c_stride[i];
            if (++index[i] < h.shape[i]) break;
            c -= c_stride[i] * h.shape[i];
            index[i] = 0;
        }
    }
    return a;
}

std::string npy_bytes(const NpyArray& a, const Dtype& t, const Context& ctx) {
    std::string header = "{'descr': '" + std::string(t.name) +
                         "', 'fortran_order': False, 'shape': " + npy_shape_string(a.shape) + ", }";
    // numpy pads the header with spaces and a newline so the data starts on a 64-byte boundary.
    header.append(63 - (10 + header.size()) % 64, ' ');
    header += '\n';
    if (header.size() > 0xFFFF) ctx.fail("too many dimensions for a version 1.0 .npy header");
    std::string out("\x93NUMPY\x01\x00", 8);
    put_le(out, header.size(), 2);
    out += header;
    out.reserve(out.size() + a.values.size() * t.size);
    for (const double v : a.values) encode(out, t, v);
    return out;
}

// ---- the zip container ------------------------------------------------------------

constexpr std::uint32_t sig_local = 0x04034b50, sig_central = 0x02014b50, sig_end = 0x06054b50, sig_end64 = 0x06064b50,
                        sig_locator64 = 0x07064b50;
constexpr std::size_t local_size = 30, central_size = 46, end_size = 22, end64_size = 56, locator64_size = 20;
// Deflate cannot expand more than this (258 bytes from 2 bits, see zlib's FAQ).
constexpr std::size_t deflate_max_ratio = 1032;

struct Entry {
    std::string name;
    std::uint16_t flags = 0, method = 0;
    std::uint32_t crc = 0;
    std::uint64_t compressed = 0, size = 0, offset = 0;
};

struct Directory {
    std::vector<Entry> entries;
    std::uint64_t offset = 0;  // where it starts: every member's data lies before it
};

// The central directory, every offset and size checked against the file.
Directory read_directory(std::string_view d, const Context& ctx) {
    auto u16 = [&](std::size_t p) { return static_cast<std::uint16_t>(get_le(d, p, 2)); };
    auto u32 = [&](std::size_t p) { return static_cast<std::uint32_t>(get_le(d, p, 4)); };
    auto u64 = [&](std::size_t p) { return get_le(d, p, 8); };

    // The end record is the last 22 bytes, unless a comment (at most 65535 bytes) follows it.
    std::size_t end = std::string_view::npos;
    if (d.size() >= end_size)
        for (std::size_t p = d.size() - end_size + 1, lowest = p > 65536 ? p - 65536 : 0; p-- > lowest;)
            if (u32(p) == sig_end && p + end_size + u16(p + 20) == d.size()) {
                end = p;
                break;
            }
    if (end == std::string_view::npos)
        ctx.fail(d.substr(0, 4) == std::string_view("PK\x03\x04", 4)
                     ? "truncated: a zip archive without its end of central directory record"
                     : "not a zip archive (an .npz file is one)");

    std::uint64_t disk = u16(end + 4), directory_disk = u16(end + 6), entries = u16(end + 10);
    std::uint64_t directory_size = u32(end + 12), directory_offset = u32(end + 16);
    std::uint64_t directory_limit = end;  // what the central directory may not run into
    if (end >= locator64_size && u32(end - locator64_size) == sig_locator64) {
        const std::uint64_t at = u64(end - locator64_size + 8);
        if (at > end - locator64_size || end - locator64_size - at < end64_size || u32(at) != sig_end64)
            ctx.fail("damaged zip64 end of central directory record");
        disk = u32(at + 16);
        directory_disk = u32(at + 20);
        entries = u64(at + 32);
        directory_size = u64(at + 40);
        directory_offset = u64(at + 48);
        directory_limit = at;
    }
    if (disk != 0 || directory_disk != 0) ctx.fail("a zip archive split over several disks");
    if (directory_offset > directory_limit || directory_size > directory_limit - directory_offset)
        ctx.fail("truncated or damaged: the central directory lies outside the file");
    if (entries > directory_size / central_size)
        ctx.fail("damaged: " + std::to_string(entries) + " entries cannot fit a central directory of " +
                 std::to_string(directory_size) + " bytes");

    Directory out{{}, directory_offset};
    out.entries.reserve(entries);
    const std::uint64_t directory_end = directory_offset + directory_size;
    std::size_t p = directory_offset;
    for (std::uint64_t k = 0; k < entries; ++k) {
        if (directory_end - p < central_size || u32(p) != sig_central)
            ctx.fail("damaged central directory (entry " + std::to_string(k) + ")");
        Entry e;
        e.flags = u16(p + 8);
        e.method = u16(p + 10);
        e.crc = u32(p + 16);
        e.compressed = u32(p + 20);
        e.size = u32(p + 24);
        e.offset = u32(p + 42);
        const std::size_t name_len = u16(p + 28), extra_len = u16(p + 30), comment_len = u16(p + 32);
        if (directory_end - p - central_size < name_len + extra_len + comment_len)
            ctx.fail("damaged central directory (entry " + std::to_string(k) + ")");
        e.name = d.substr(p + central_size, name_len);
        const Context member{ctx.path, "member '" + e.name + "'"};
        if (u16(p + 34) != 0) member.fail("a zip archive split over several disks");
        // Zip64: the 8-byte values of the fields that hold 0xFFFFFFFF, in this order.
        const std::string_view extra = d.substr(p + central_size + name_len, extra_len);
        for (std::size_t q = 0; q + 4 <= extra.size();) {
            const std::size_t id = get_le(extra, q, 2), len = get_le(extra, q + 2, 2);
            if (len > extra.size() - q - 4) member.fail("damaged extra field in the central directory");
            if (id == 1) {
                std::size_t r = q + 4;
                for (std::uint64_t* field : {&e.size, &e.compressed, &e.offset})
                    if (*field == 0xFFFFFFFF) {
                        if (r + 8 > q + 4 + len) member.fail("zip64 extra field too short");
                        *field = get_le(extra, r, 8);
                        r += 8;
                    }
            }
            q += 4 + len;
        }
        out.entries.push_back(std::move(e));
        p += central_size + name_len + extra_len + comment_len;
    }
    return out;
}

// A member's bytes, inflated if deflated; the CRC-32 is checked.
std::string member_bytes(std::string_view d, const Entry& e, std::uint64_t data_limit, const Context& ctx) {
    if (e.flags & 1) ctx.fail("encrypted");
    if (e.offset > data_limit || data_limit - e.offset < local_size || get_le(d, e.offset, 4) != sig_local)
        ctx.fail("damaged: no local header where the central directory says");
    const std::uint64_t start = e.offset + local_size + get_le(d, e.offset + 26, 2) + get_le(d, e.offset + 28, 2);
    if (start > data_limit || e.compressed > data_limit - start)
        ctx.fail("truncated or damaged: its data runs past the end of the archive's data");
    if (d.substr(e.offset + local_size, get_le(d, e.offset + 26, 2)) != e.name)
        ctx.fail("damaged: the local header names another member");
    const std::string_view in = d.substr(start, e.compressed);

    std::string out;
    if (e.method == 0) {
        if (e.size != e.compressed)
            ctx.fail("stored member of " + std::to_string(e.compressed) + " bytes claims " + std::to_string(e.size));
        out.assign(in);
    } else if (e.method == 8) {
        if (e.size / deflate_max_ratio > e.compressed)
            ctx.fail("claims " + std::to_string(e.size) + " bytes inflated from " + std::to_string(e.compressed) +
                     ", more than deflate can produce");
        // One byte of room beyond the claimed size makes a longer stream visible.
        out.resize(e.size + 1);
        z_stream zs{};
        if (inflateInit2(&zs, -MAX_WBITS) != Z_OK) ctx.fail("zlib cannot start inflating");
        struct End {
            z_stream* zs;
            ~End() { inflateEnd(zs); }
        } end{&zs};
        std::size_t in_pos = 0, out_pos = 0;
        for (;;) {
            const auto in_n = static_cast<uInt>(std::min<std::size_t>(in.size() - in_pos, 1u << 30));
            const auto out_n = static_cast<uInt>(std::min<std::size_t>(out.size() - out_pos, 1u << 30));
            zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data() + in_pos));
            zs.avail_in = in_n;
            zs.next_out = reinterpret_cast<Bytef*>(out.data() + out_pos);
            zs.avail_out = out_n;
            const int rc = inflate(&zs, Z_NO_FLUSH);
            in_pos += in_n - zs.avail_in;
            out_pos += out_n - zs.avail_out;
            if (out_pos > e.size) ctx.fail("inflates to more than the " + std::to_string(e.size) + " bytes recorded");
            if (rc == Z_STREAM_END) break;
            if (rc == Z_BUF_ERROR) ctx.fail("truncated deflate data");
            if (rc != Z_OK) ctx.fail(std::string("corrupt deflate data (") + (zs.msg ? zs.msg : "zlib error") + ")");
        }
        if (out_pos != e.size)
            ctx.fail("inflates to " + std::to_string(out_pos) + " bytes, " + std::to_string(e.size) + " recorded");
        if (in_pos != in.size()) ctx.fail("data after the end of its deflate stream");
        out.resize(e.size);
    } else {
        ctx.fail("compression method " + std::to_string(e.method) + " (numpy writes only stored and deflate)");
    }
    if (crc_of(out) != e.crc) ctx.fail("CRC-32 mismatch: the archive is damaged");
    return out;
}

}  // namespace

std::string npy_shape_string(const std::vector<std::size_t>& shape) {
    std::string s = "(";
    for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + (shape.size() == 1 ? ",)" : ")");
}

std::vector<NpyArray> read_npz(const std::filesystem::path& path) {
    const std::string data = read_regular_file(path);
    const Context file{path, ""};
    const Directory directory = read_directory(data, file);
    std::vector<NpyArray> arrays;
    std::set<std::string> names;
    for (const Entry& e : directory.entries) {
        const Context member{path, "member '" + e.name + "'"};
        if (e.name.size() < 4 || e.name.compare(e.name.size() - 4, 4, ".npy") != 0)
            member.fail("not a .npy array (every member of an .npz file is NAME.npy)");
        std::string name = e.name.substr(0, e.name.size() - 4);
        if (!names.insert(name).second) member.fail("appears twice in the archive");
        arrays.push_back(parse_npy(member_bytes(data, e, directory.offset, member), std::move(name), member));
    }
    return arrays;
}

void write_npz(const std::filesystem::path& path, const std::vector<NpyArray>& arrays) {
    std::string zip, directory;
    std::set<std::string> names;
    for (const NpyArray& a : arrays) {
        const Context ctx{path, "array '" + a.name + "'"};
        if (a.name.empty()) Context{path, ""}.fail("an array without a name");
        if (!names.insert(a.name).second) ctx.fail("two arrays with this name");
        const Dtype* t = find_dtype(a.dtype);
        if (!t) fail_dtype(ctx, a.dtype);
        if (const std::size_t n = element_count(a.shape, t->size, ctx); n != a.values.size())
            ctx.fail("shape " + npy_shape_string(a.shape) + " has " + std::to_string(n) + " elements, " +
                     std::to_string(a.values.size()) + " values given");
        for (std::size_t k = 0; k < a.values.size(); ++k)
            if (!fits(*t, a.values[k]))
                ctx.fail("value " + number(a.values[k]) + " (element " + std::to_string(k) + ") does not fit '" +
                         a.dtype + "'");
        const std::string member = a.name + ".npy";
        const std::string npy = npy_bytes(a, *t, ctx);
        if (member.size() > 0xFFFF) ctx.fail("name too long for a zip archive");
        if (zip.size() + npy.size() + member.size() + local_size >= 0xFFFFFFFF)
            ctx.fail("the archive would pass 4 GiB, which needs zip64 (not written by this writer)");
        const bool utf8 = std::any_of(member.begin(), member.end(), [](char c) { return c & 0x80; });
        const std::uint32_t crc = crc_of(npy), offset = static_cast<std::uint32_t>(zip.size());
        // The fields local and central headers share: version needed 2.0,
        // flags, stored, 1980-01-01 00:00, CRC, sizes, name length, no extra field.
        auto common = [&](std::string& out) {
            put_le(out, 20, 2);
            put_le(out, utf8 ? 0x0800 : 0, 2);
            put_le(out, 0, 2);
            put_le(out, 0, 2);
            put_le(out, (1 << 5) | 1, 2);
            put_le(out, crc, 4);
            put_le(out, npy.size(), 4);
            put_le(out, npy.size(), 4);
            put_le(out, member.size(), 2);
            put_le(out, 0, 2);
        };
        put_le(zip, sig_local, 4);
        common(zip);
        zip += member;
        zip += npy;
        put_le(directory, sig_central, 4);
        put_le(directory, 20, 2);  // made by: version 2.0
        common(directory);
        put_le(directory, 0, 2);  // comment length
        put_le(directory, 0, 2);  // disk
        put_le(directory, 0, 2);  // internal attributes
        put_le(directory, 0, 4);  // external attributes
        put_le(directory, offset, 4);
        directory += member;
    }
    if (arrays.size() > 0xFFFF || zip.size() + directory.size() >= 0xFFFFFFFF)
        Context{path, ""}.fail("too many or too large arrays for a zip archive without zip64");
    const std::size_t directory_offset = zip.size();
    zip += directory;
    put_le(zip, sig_end, 4);
    put_le(zip, 0, 4);  // this disk, the directory's disk
    put_le(zip, arrays.size(), 2);
    put_le(zip, arrays.size(), 2);
    put_le(zip, directory.size(), 4);
    put_le(zip, directory_offset, 4);
    put_le(zip, 0, 2);  // comment length
    write_file_atomically(path, zip);
}

}  // namespace ctnet
