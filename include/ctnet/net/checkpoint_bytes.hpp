// checkpoint_bytes.hpp — the little-endian encoding of checkpoints and their sections: put, Reader, fnv1a.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "../config.hpp"

// Apart from checkpoint.hpp so that a section's writer (layer_state_io.hpp)
// can use it and still be called by save_checkpoint.
namespace ctnet::inline CTNET_ABI::detail::checkpoint {

// FNV-1a: enough to tell a damaged file from an intact one.
inline std::uint64_t fnv1a(const char* p, std::size_t n) {
    std::uint64_t h = 0xcbf29ce484222325ull;
    for (std::size_t i = 0; i < n; ++i) h = (h ^ static_cast<unsigned char>(p[i])) * 0x100000001b3ull;
    return h;
}

// Little-endian on every machine. Sections are written with the same helpers.
template <class U>
void put(std::string& out, U v) {
    static_assert(sizeof(U) == 1 || sizeof(U) == 4 || sizeof(U) == 8);
    using Bits = std::conditional_t<sizeof(U) == 8, std::uint64_t,
                                    std::conditional_t<sizeof(U) == 4, std::uint32_t, std::uint8_t>>;
    const auto bits = std::bit_cast<Bits>(v);
    for (std::size_t i = 0; i < sizeof(U); ++i) out.push_back(static_cast<char>((bits >> (8 * i)) & 0xFF));
}
inline void put_string(std::string& out, std::string_view s) {
    put(out, static_cast<std::uint32_t>(s.size()));
    out += s;
}

// Reads what put wrote, failing with "<what>: truncated (while reading ...)".
class Reader {
public:
    Reader(std::string_view data, std::string what) : data_(data), what_(std::move(what)) {}
    template <class U>
    U get(const char* field) {
        need(sizeof(U), field);
        using Bits = std::conditional_t<sizeof(U) == 8, std::uint64_t,
                                        std::conditional_t<sizeof(U) == 4, std::uint32_t, std::uint8_t>>;
        Bits bits = 0;
        for (std::size_t i = 0; i < sizeof(U); ++i)
            bits |= static_cast<Bits>(static_cast<Bits>(static_cast<unsigned char>(data_[pos_ + i])) << (8 * i));
        pos_ += sizeof(U);
        return std::bit_cast<U>(bits);
    }
    std::string_view get_bytes(std::uint64_t n, const char* field) {
        need(n, field);
        const std::string_view s = data_.substr(pos_, static_cast<std::size_t>(n));
        pos_ += static_cast<std::size_t>(n);
        return s;
    }
    std::string get_string(const char* field) { return std::string(get_bytes(get<std::uint32_t>(field), field)); }
    [[noreturn]] void fail(const std::string& why) const { throw Error(what_ + ": " + why); }
    std::size_t left() const { return data_.size() - pos_; }
    void expect_end(const char* after) const {
        if (left() != 0) fail(std::to_string(left()) + " unexpected bytes after " + after);
    }

private:
    void need(std::uint64_t n, const char* field) const {
        if (left() < n) fail(std::string("truncated (while reading ") + field + ")");
    }
    std::string_view data_;
    std::string what_;
    std::size_t pos_ = 0;
};

}  // namespace ctnet::detail::checkpoint
