// checkpoint.hpp — save_checkpoint / load_checkpoint: a model's parameters in a validated binary file.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "../config.hpp"
#include "../io/atomic_file.hpp"
#include "param.hpp"

namespace ctnet::inline CTNET_ABI {

namespace detail::checkpoint {

inline constexpr char magic[8] = {'C', 'T', 'N', 'E', 'T', 'C', 'K', 'P'};
inline constexpr std::uint32_t version = 1;

// FNV-1a: enough to tell a damaged file from an intact one.
inline std::uint64_t fnv1a(const char* p, std::size_t n) {
    std::uint64_t h = 0xcbf29ce484222325ull;
    for (std::size_t i = 0; i < n; ++i) h = (h ^ static_cast<unsigned char>(p[i])) * 0x100000001b3ull;
    return h;
}

// Little-endian on every machine.
template <class U>
void put(std::string& out, U v) {
    auto bits = std::bit_cast<std::conditional_t<sizeof(U) == 8, std::uint64_t, std::uint32_t>>(v);
    for (std::size_t i = 0; i < sizeof(U); ++i) out.push_back(static_cast<char>((bits >> (8 * i)) & 0xFF));
}
inline void put_string(std::string& out, const std::string& s) {
    put(out, static_cast<std::uint32_t>(s.size()));
    out += s;
}

class Reader {
public:
    Reader(std::string data, std::filesystem::path path) : data_(std::move(data)), path_(std::move(path)) {}
    template <class U>
    U get(const char* what) {
        need(sizeof(U), what);
        std::conditional_t<sizeof(U) == 8, std::uint64_t, std::uint32_t> bits = 0;
        for (std::size_t i = 0; i < sizeof(U); ++i)
            bits |= static_cast<decltype(bits)>(static_cast<unsigned char>(data_[pos_ + i])) << (8 * i);
        pos_ += sizeof(U);
        return std::bit_cast<U>(bits);
    }
    std::string get_string(const char* what) {
        const auto n = get<std::uint32_t>(what);
        need(n, what);
        std::string s = data_.substr(pos_, n);
        pos_ += n;
        return s;
    }
    [[noreturn]] void fail(const std::string& why) const { throw Error("checkpoint " + path_.string() + ": " + why); }
    std::size_t pos() const { return pos_; }
    const std::string& data() const { return data_; }

private:
    void need(std::size_t n, const char* what) const {
        if (data_.size() - pos_ < n) fail(std::string("truncated (while reading ") + what + ")");
    }
    std::string data_;
    std::filesystem::path path_;
    std::size_t pos_ = 0;
};

}  // namespace detail::checkpoint

// Writes every parameter of the model, with the network's description, to
// path (atomically: a crash leaves the previous checkpoint intact).
template <class Model>
void save_checkpoint(Model& model, const std::filesystem::path& path) {
    namespace ck = detail::checkpoint;
    std::string out(ck::magic, sizeof ck::magic);
    ck::put(out, ck::version);
    ck::put_string(out, model.describe());
    std::uint32_t count = 0;
    model.for_each_param([&](const std::string&, auto, auto) { ++count; });
    ck::put(out, count);
    model.for_each_param([&](const std::string& name, auto p, auto) {
        ck::put_string(out, name);
        ck::put(out, static_cast<std::uint64_t>(p.rows()));
        ck::put(out, static_cast<std::uint64_t>(p.cols()));
        for (std::size_t i = 0; i < p.rows(); ++i)
            for (std::size_t j = 0; j < p.cols(); ++j) ck::put(out, p(i, j));
    });
    ck::put(out, ck::fnv1a(out.data(), out.size()));
    write_file_atomically(path, out);
}

// Reads a checkpoint written by save_checkpoint for the same network and
// element type. The whole file is checked first (magic, version, network,
// every name and shape, length, checksum); only then are the parameters
// replaced, so a failed load leaves the model as it was. Throws
// ctnet::Error naming the file and the problem (for another network, both
// descriptions).
template <class Model>
void load_checkpoint(Model& model, const std::filesystem::path& path) {
    namespace ck = detail::checkpoint;
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error("cannot open checkpoint " + path.string());
    ck::Reader r(std::string(std::istreambuf_iterator<char>(in), {}), path);
    if (r.data().size() < sizeof ck::magic || std::memcmp(r.data().data(), ck::magic, sizeof ck::magic) != 0)
        r.fail("not a ctnet checkpoint (wrong magic bytes)");
    if (r.data().size() < sizeof ck::magic + 8) r.fail("truncated");
    {
        ck::Reader tail(r.data().substr(r.data().size() - 8), path);
        if (tail.get<std::uint64_t>("checksum") != ck::fnv1a(r.data().data(), r.data().size() - 8))
            r.fail("checksum mismatch: the file is damaged or truncated");
    }
    (void)r.get<std::uint64_t>("magic");
    if (const auto v = r.get<std::uint32_t>("version"); v != ck::version)
        r.fail("format version " + std::to_string(v) + ", this ctnet reads version " + std::to_string(ck::version));
    if (const std::string net = r.get_string("network"); net != model.describe())
        r.fail("it holds the network '" + net + "', this model is '" + model.describe() + "'");

    using T = typename Model::Input::value_type;
    std::vector<std::vector<T>> values;
    std::vector<std::string> names;
    model.for_each_param([&](const std::string& name, auto, auto) { names.push_back(name); });
    if (const auto n = r.get<std::uint32_t>("parameter count"); n != names.size())
        r.fail(std::to_string(n) + " parameters, the model has " + std::to_string(names.size()));
    model.for_each_param([&](const std::string& name, auto p, auto) {
        const std::string stored = r.get_string("parameter name");
        const auto rows = r.get<std::uint64_t>("rows"), cols = r.get<std::uint64_t>("cols");
        if (stored != name || rows != p.rows() || cols != p.cols())
            r.fail("parameter '" + stored + "' " + std::to_string(rows) + "x" + std::to_string(cols) + " where the model has '" +
                   name + "' " + std::to_string(p.rows()) + "x" + std::to_string(p.cols()));
        std::vector<T> v(p.size());
        for (T& x : v) x = r.get<T>("values");
        values.push_back(std::move(v));
    });
    if (r.pos() + 8 != r.data().size()) r.fail("unexpected data after the parameters");

    std::size_t k = 0;
    model.for_each_param([&](const std::string&, auto p, auto) {
        const std::vector<T>& v = values[k++];
        for (std::size_t i = 0; i < p.rows(); ++i)
            for (std::size_t j = 0; j < p.cols(); ++j) p(i, j) = v[i * p.cols() + j];
    });
}

}  // namespace ctnet
