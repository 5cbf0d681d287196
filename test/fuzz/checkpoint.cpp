// checkpoint.cpp — fuzzes ctnet::load_checkpoint, and that a refused file leaves the model's parameters as they were.
//
// Input: one mode byte, then the file's bytes. Mode bit 0 set: the harness
// appends the FNV-1a checksum of those bytes (docs/checkpoint_format.md), so
// mutations get past the checksum to the parser behind it; clear: the bytes
// are the file as they are. The harness only calls load_checkpoint, so it
// keeps working whatever sections later format versions add.
#include <cstdint>
#include <cstring>
#include <vector>

#include "ctnet/net.hpp"
#include "ctnet/net/checkpoint.hpp"
#include "fuzz_support.hpp"

namespace {

using Net = ctnet::Sequential<ctnet::Affine<4, 3>, ctnet::Relu, ctnet::Affine<3, 2>, ctnet::SoftmaxWithLoss>;
using SmallModel = ctnet::Model<Net, float, 2>;

// Every parameter value's bytes, in order: a NaN compares equal to itself here.
std::vector<unsigned char> parameter_bytes(SmallModel& model) {
    std::vector<unsigned char> bytes;
    model.for_each_param([&](const std::string&, auto p, auto) {
        for (std::size_t i = 0; i < p.rows(); ++i)
            for (std::size_t j = 0; j < p.cols(); ++j) {
                unsigned char b[sizeof(float)];
                std::memcpy(b, &p(i, j), sizeof b);
                bytes.insert(bytes.end(), b, b + sizeof b);
            }
    });
    return bytes;
}

std::string with_checksum(std::string bytes) {
    std::uint64_t h = 0xcbf29ce484222325ull;
    for (const char c : bytes) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ull;
    for (int i = 0; i < 8; ++i) bytes.push_back(static_cast<char>((h >> (8 * i)) & 0xFF));
    return bytes;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static SmallModel model(ctnet::Init::he(), 1);
    if (size < 1) return -1;
    std::string bytes(reinterpret_cast<const char*>(data + 1), size - 1);
    if (data[0] & 1) bytes = with_checksum(std::move(bytes));
    const auto path = ctnet::fuzz::scratch_dir() / "model.ckpt";
    ctnet::fuzz::write_file(path, bytes);
    const std::vector<unsigned char> before = parameter_bytes(model);
    const bool loaded = ctnet::fuzz::expect_success_or_error("load_checkpoint", [&] { ctnet::load_checkpoint(model, path); });
    if (!loaded && parameter_bytes(model) != before) {
        std::fprintf(stderr, "FINDING: load_checkpoint refused the file but changed the model's parameters\n");
        std::abort();
    }
    return 0;
}
