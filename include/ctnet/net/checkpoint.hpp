// checkpoint.hpp — save_checkpoint / load_checkpoint: a model's parameters, and named extra sections, in one validated file.
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "../config.hpp"
#include "../io/atomic_file.hpp"
#include "../io/read_file.hpp"
#include "checkpoint_bytes.hpp"
#include "layer_state_io.hpp"
#include "param.hpp"

namespace ctnet {

// A named blob stored after a checkpoint's parameters: optimizer state
// ("optimizer", optim/state_io.hpp) and a training run's position ("run",
// train/run_state.hpp). load_checkpoint hands them back; the model ignores
// them. The section "layers" is the model's own (layer_state_io.hpp):
// save_checkpoint adds it and load_checkpoint consumes it.
struct CheckpointSection {
    std::string name;
    std::string bytes;
};

}  // namespace ctnet

namespace ctnet::inline CTNET_ABI {

namespace detail::checkpoint {

inline constexpr char magic[8] = {'C', 'T', 'N', 'E', 'T', 'C', 'K', 'P'};
// 1: parameters only. 2: parameters, then named sections (version 1 files still load).
inline constexpr std::uint32_t version = 2;

// A checkpoint file taken apart and checked for structure (magic, checksum,
// version, every length), before any model is involved.
struct Parsed {
    std::string network;
    std::size_t element_bytes = 0;  // 4 for "[float]", 8 for "[double]"
    struct Param {
        std::string name;
        std::uint64_t rows = 0, cols = 0;
        std::string_view values;  // rows * cols little-endian values, into the file's bytes
    };
    std::vector<Param> params;
    std::vector<CheckpointSection> sections;
};

inline Parsed parse(std::string_view data, const std::string& what) {
    Reader r(data, what);
    if (data.size() < sizeof magic || std::memcmp(data.data(), magic, sizeof magic) != 0)
        r.fail("not a ctnet checkpoint (wrong magic bytes)");
    if (data.size() < sizeof magic + 4 + 8) r.fail("truncated");
    Reader tail(data.substr(data.size() - 8), what);
    if (tail.get<std::uint64_t>("checksum") != fnv1a(data.data(), data.size() - 8))
        r.fail("checksum mismatch: the file is damaged or truncated");
    Reader body(data.substr(0, data.size() - 8), what);
    (void)body.get<std::uint64_t>("magic");
    const auto v = body.get<std::uint32_t>("version");
    if (v < 1 || v > version)
        r.fail("format version " + std::to_string(v) + ", this ctnet reads versions 1 to " + std::to_string(version));
    Parsed p;
    p.network = body.get_string("network");
    // The description ends with the element type: " [float]" or " [double]".
    const auto ends_with = [&](std::string_view s) {
        return p.network.size() >= s.size() && p.network.compare(p.network.size() - s.size(), s.size(), s) == 0;
    };
    p.element_bytes = ends_with(" [float]") ? 4 : ends_with(" [double]") ? 8 : 0;
    if (p.element_bytes == 0) r.fail("the network '" + p.network + "' names no element type ([float] or [double])");
    const auto count = body.get<std::uint32_t>("parameter count");
    for (std::uint32_t i = 0; i < count; ++i) {
        Parsed::Param param;
        param.name = body.get_string("parameter name");
        param.rows = body.get<std::uint64_t>("rows");
        param.cols = body.get<std::uint64_t>("cols");
        // Checked against what is left before multiplying, so no product can overflow.
        const std::uint64_t left = body.left() / p.element_bytes;
        if (param.rows != 0 && param.cols > left / param.rows)
            r.fail("parameter '" + param.name + "' claims " + std::to_string(param.rows) + "x" +
                   std::to_string(param.cols) + " values, more than the file holds");
        param.values = body.get_bytes(param.rows * param.cols * p.element_bytes, "values");
        p.params.push_back(std::move(param));
    }
    if (v >= 2) {
        const auto sections = body.get<std::uint32_t>("section count");
        for (std::uint32_t i = 0; i < sections; ++i) {
            CheckpointSection s;
            s.name = body.get_string("section name");
            s.bytes = std::string(body.get_bytes(body.get<std::uint64_t>("section length"), "section"));
            p.sections.push_back(std::move(s));
        }
    }
    body.expect_end(v >= 2 ? "the last section" : "the parameters");
    return p;
}

template <class T>
std::string where(const ParamView<T>& p, std::size_t i, std::size_t j) {
    // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on "'" + std::string.
    std::string s(1, '\'');
    s += p.name();
    s += "' (" + std::to_string(i) + ", " + std::to_string(j) + ")";
    return s;
}

}  // namespace detail::checkpoint

// Writes every parameter of the model, with the network's description and
// any extra sections, to path, atomically (a crash leaves the previous
// checkpoint intact) and, by default, flushed to disk. A network whose layers
// keep state (BatchNorm's running statistics, Dropout's generator and ratio)
// gets the section "layers" too, so a resumed run continues exactly and a
// loaded model predicts as the saved one. A parameter or a statistic that is
// NaN or infinite (a diverged model) is refused with ctnet::Error naming it
// and its position, and nothing is written.
//
//     ctnet::save_checkpoint(net, "out/model.ckpt");
template <class Model>
void save_checkpoint(Model& model, const std::filesystem::path& path,
                     const std::vector<CheckpointSection>& sections = {},
                     Durability durability = Durability::durable) {
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
            for (std::size_t j = 0; j < p.cols(); ++j) {
                if (!std::isfinite(p(i, j)))
                    throw Error("cannot save checkpoint " + path.string() + ": parameter " + ck::where(p, i, j) +
                                " is " + (std::isnan(p(i, j)) ? "NaN" : "infinite") +
                                "; the model has diverged (a learning rate too high, or a NaN in the input?)");
                ck::put(out, p(i, j));
            }
    });
    const auto put_section = [&](std::string_view name, std::string_view bytes) {
        ck::put_string(out, name);
        ck::put(out, static_cast<std::uint64_t>(bytes.size()));
        out += bytes;
    };
    ck::put(out, static_cast<std::uint32_t>(sections.size() + (Model::has_layer_state ? 1 : 0)));
    for (const CheckpointSection& s : sections) {
        if (s.name == "layers")
            throw Error("cannot save checkpoint " + path.string() +
                        ": the section name 'layers' is the model's own (its layers' state), choose another");
        put_section(s.name, s.bytes);
    }
    if constexpr (Model::has_layer_state)
        put_section("layers", detail::layer_state_io::write(model, "cannot save checkpoint " + path.string()));
    ck::put(out, ck::fnv1a(out.data(), out.size()));
    write_file_atomically(path, out, durability);
}

// Reads a checkpoint written by save_checkpoint for the same network and
// element type, with its layers' state, and returns its extra sections (none
// for a file of version 1 or one saved without them; "layers" is consumed).
// Only a regular file is read, and only if its size is plausible for this
// model; the whole file is checked (magic, checksum, version, network, every
// name, shape and length, that every value is finite) before the parameters
// and the layers' state are replaced, so a failed load leaves the model as it
// was. Throws ctnet::Error naming the file and the problem (for another
// network, both descriptions).
//
//     ctnet::load_checkpoint(net, "out/model.ckpt");
template <class Model>
std::vector<CheckpointSection> load_checkpoint_bytes(Model& model, std::string_view data, const std::string& what);

// The largest file load_checkpoint reads for this model: sections hold
// optimizer state (at most a few copies of the parameters) and a run's
// history; anything far larger is not a checkpoint of this model.
template <class Model>
std::size_t checkpoint_size_limit(Model& model) {
    using T = typename Model::Input::value_type;
    std::size_t param_bytes = 0;
    model.for_each_param([&](const std::string&, auto p, auto) { param_bytes += p.size() * sizeof(T); });
    return 16 * param_bytes + (256u << 20);
}

template <class Model>
std::vector<CheckpointSection> load_checkpoint(Model& model, const std::filesystem::path& path) {
    const std::string data = read_regular_file(path, checkpoint_size_limit(model));
    return load_checkpoint_bytes(model, data, "checkpoint " + path.string());
}

// The same for a checkpoint's bytes already read (a distributed run's rank 0
// reads the file and sends them to the others); `what` names them in errors.
template <class Model>
std::vector<CheckpointSection> load_checkpoint_bytes(Model& model, std::string_view data, const std::string& what) {
    namespace ck = detail::checkpoint;
    using T = typename Model::Input::value_type;
    ck::Parsed file = ck::parse(data, what);
    if (file.network != model.describe())
        throw Error(what + ": it holds the network '" + file.network + "', this model is '" + model.describe() + "'");

    std::vector<std::string> names;
    model.for_each_param([&](const std::string& name, auto, auto) { names.push_back(name); });
    if (file.params.size() != names.size())
        throw Error(what + ": " + std::to_string(file.params.size()) + " parameters, the model has " +
                    std::to_string(names.size()));
    std::size_t k = 0;
    model.for_each_param([&](const std::string& name, auto p, auto) {
        const ck::Parsed::Param& stored = file.params[k++];
        if (stored.name != name || stored.rows != p.rows() || stored.cols != p.cols())
            throw Error(what + ": parameter '" + stored.name + "' " + std::to_string(stored.rows) + "x" +
                        std::to_string(stored.cols) + " where the model has '" + name + "' " +
                        std::to_string(p.rows()) + "x" + std::to_string(p.cols()));
        ck::Reader r(stored.values, what);
        for (std::size_t i = 0; i < p.rows(); ++i)
            for (std::size_t j = 0; j < p.cols(); ++j)
                if (const T v = r.get<T>("values"); !std::isfinite(v))
                    throw Error(what + ": parameter " + ck::where(p, i, j) + " is " +
                                (std::isnan(v) ? "NaN" : "infinite") + ": a checkpoint of a diverged model");
    });

    // The layers' state: a network that keeps some must find it (without
    // BatchNorm's running statistics the model would predict nonsense).
    std::vector<CheckpointSection> sections;
    const CheckpointSection* layers = nullptr;
    for (CheckpointSection& s : file.sections)
        if (s.name == "layers") layers = &s;
        else sections.push_back(std::move(s));
    if (Model::has_layer_state && !layers)
        throw Error(what + ": it holds no state for this network's layers (BatchNorm's running statistics, "
                           "Dropout's generator), though it names the same network");
    if (layers) detail::layer_state_io::read(model, layers->bytes, what, false);

    k = 0;
    model.for_each_param([&](const std::string&, auto p, auto) {
        ck::Reader r(file.params[k++].values, what);
        for (std::size_t i = 0; i < p.rows(); ++i)
            for (std::size_t j = 0; j < p.cols(); ++j) p(i, j) = r.get<T>("values");
    });
    if (layers) detail::layer_state_io::read(model, layers->bytes, what, true);
    return sections;
}

// The sections of a checkpoint, read and checked without a model (for a
// program that must know what a run was before it builds one).
inline std::vector<CheckpointSection> read_checkpoint_sections(const std::filesystem::path& path) {
    const std::string data = read_regular_file(path, std::size_t(1) << 32);
    return detail::checkpoint::parse(data, "checkpoint " + path.string()).sections;
}

// The section called name, or nullptr.
inline const CheckpointSection* find_section(const std::vector<CheckpointSection>& sections, std::string_view name) {
    for (const CheckpointSection& s : sections)
        if (s.name == name) return &s;
    return nullptr;
}

}  // namespace ctnet
