// Tests for net/checkpoint.hpp: round trips, and every kind of bad file refused with the model untouched.
#include "ctnet/net/checkpoint.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <string>

#include "ctnet/net.hpp"
#include "../support/files.hpp"

namespace fs = std::filesystem;
using ctnet::test::TempDir;
using TwoLayerNet = ctnet::Sequential<ctnet::Affine<784, 50>, ctnet::Relu, ctnet::Affine<50, 10>, ctnet::SoftmaxWithLoss>;

namespace {

template <class Model>
bool same_parameters(Model& a, Model& b) {
    bool same = true;
    for (const auto& pa : a.parameters()) same = same && pa.values == b.parameters()[pa.name].values;
    return same;
}

template <class F>
void expect_refused(F load, const std::string& text) {
    BOOST_CHECK_EXCEPTION(load(), ctnet::Error, [&](const ctnet::Error& e) {
        BOOST_TEST_MESSAGE(e.what());
        return std::string(e.what()).find(text) != std::string::npos;
    });
}

}  // namespace

BOOST_AUTO_TEST_SUITE(checkpoint)

BOOST_AUTO_TEST_CASE(round_trip) {
    TempDir dir;
    ctnet::Model<TwoLayerNet, float, 10> a(ctnet::Init::he(), 1), b(ctnet::Init::he(), 2);
    ctnet::save_checkpoint(a, dir.path / "a.ckpt");
    BOOST_TEST(!same_parameters(a, b));
    ctnet::load_checkpoint(b, dir.path / "a.ckpt");
    BOOST_TEST(same_parameters(a, b));
}

BOOST_AUTO_TEST_CASE(bad_files_are_refused_and_the_model_is_unchanged) {
    TempDir dir;
    ctnet::Model<TwoLayerNet, float, 10> a(ctnet::Init::he(), 1), b(ctnet::Init::he(), 2), before = b;
    const auto good = dir.path / "a.ckpt";
    ctnet::save_checkpoint(a, good);
    const std::string bytes = ctnet::test::read_text(good);
    const auto bad = dir.path / "bad.ckpt";

    ctnet::test::write_bytes(bad, bytes.substr(0, bytes.size() / 2));
    expect_refused([&] { ctnet::load_checkpoint(b, bad); }, "checksum mismatch");
    std::string flipped = bytes;
    flipped[bytes.size() / 3] ^= 0x40;
    ctnet::test::write_bytes(bad, flipped);
    expect_refused([&] { ctnet::load_checkpoint(b, bad); }, "checksum mismatch");
    ctnet::test::write_bytes(bad, "not a checkpoint at all");
    expect_refused([&] { ctnet::load_checkpoint(b, bad); }, "not a ctnet checkpoint");
    expect_refused([&] { ctnet::load_checkpoint(b, dir.path / "missing.ckpt"); }, "cannot open");
    BOOST_TEST(same_parameters(b, before));

    // For another network, or another element type: both descriptions are named.
    using Wider = ctnet::Sequential<ctnet::Affine<784, 60>, ctnet::Relu, ctnet::Affine<60, 10>, ctnet::SoftmaxWithLoss>;
    ctnet::Model<Wider, float, 10> wider;
    expect_refused([&] { ctnet::load_checkpoint(wider, good); }, "Affine(784 -> 60)");
    ctnet::Model<TwoLayerNet, double, 10> in_double;
    expect_refused([&] { ctnet::load_checkpoint(in_double, good); }, "[double]");
}

BOOST_AUTO_TEST_SUITE_END()
