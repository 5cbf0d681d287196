// Tests for net/checkpoint.hpp: round trips, and every kind of bad file refused with the model untouched.
#include "ctnet/net/checkpoint.hpp"

#include <boost/test/unit_test.hpp>

#include <sys/stat.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
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

BOOST_AUTO_TEST_CASE(only_regular_files_of_a_plausible_size_are_read) {
    TempDir dir;
    ctnet::Model<TwoLayerNet, float, 10> b(ctnet::Init::he(), 2), before = b;
    // /dev/zero grew memory until bad_alloc; a FIFO blocked forever; a
    // directory threw std::ios_base::failure without its path.
    expect_refused([&] { ctnet::load_checkpoint(b, "/dev/zero"); }, "/dev/zero: not a regular file");
    const auto fifo = dir.path / "fifo.ckpt";
    BOOST_TEST_REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    expect_refused([&] { ctnet::load_checkpoint(b, fifo); }, "not a regular file");
    expect_refused([&] { ctnet::load_checkpoint(b, dir.path); }, dir.path.string() + ": not a regular file (a directory)");
    // A missing file says why.
    expect_refused([&] { ctnet::load_checkpoint(b, dir.path / "missing.ckpt"); }, "No such file or directory");
    // A file far larger than any checkpoint of this model is refused by its size, unread.
    const auto huge = dir.path / "huge.ckpt";
    { std::ofstream(huge) << "x"; }
    fs::resize_file(huge, std::uintmax_t(1) << 33);  // sparse: 8 GiB claimed, nothing allocated
    expect_refused([&] { ctnet::load_checkpoint(b, huge); }, "more than the");
    BOOST_TEST(same_parameters(b, before));
}

BOOST_AUTO_TEST_CASE(a_model_with_nan_or_infinite_weights_is_neither_saved_nor_loaded) {
    TempDir dir;
    ctnet::Model<TwoLayerNet, float, 10> a(ctnet::Init::he(), 1);
    const auto path = dir.path / "a.ckpt";
    ctnet::save_checkpoint(a, path);
    const std::string good = ctnet::test::read_text(path);
    a.param("W2")(3, 7) = std::numeric_limits<float>::quiet_NaN();
    expect_refused([&] { ctnet::save_checkpoint(a, path); }, "parameter 'W2' (3, 7) is NaN");
    BOOST_TEST(ctnet::test::read_text(path) == good);  // the previous checkpoint is intact
    a.param("W2")(3, 7) = std::numeric_limits<float>::infinity();
    expect_refused([&] { ctnet::save_checkpoint(a, path); }, "parameter 'W2' (3, 7) is infinite");

    // A file holding a NaN (written by hand, with a valid checksum) is refused on load.
    std::string bad = good;
    const std::size_t at = good.size() - 8 - 4 - 40;  // b2's first value: the last parameter, before the section count
    const float nan = std::numeric_limits<float>::quiet_NaN();
    std::memcpy(bad.data() + at, &nan, 4);
    const std::uint64_t sum = ctnet::detail::checkpoint::fnv1a(bad.data(), bad.size() - 8);
    std::memcpy(bad.data() + bad.size() - 8, &sum, 8);
    ctnet::test::write_bytes(dir.path / "nan.ckpt", bad);
    ctnet::Model<TwoLayerNet, float, 10> b(ctnet::Init::he(), 2), before = b;
    expect_refused([&] { ctnet::load_checkpoint(b, dir.path / "nan.ckpt"); }, "parameter 'b2' (0, 0) is NaN");
    BOOST_TEST(same_parameters(b, before));
}

BOOST_AUTO_TEST_CASE(sections_round_trip_and_version_1_files_still_load) {
    TempDir dir;
    ctnet::Model<TwoLayerNet, double, 10> a(ctnet::Init::he(), 1), b(ctnet::Init::he(), 2);
    const std::vector<ctnet::CheckpointSection> sections = {{"one", "abc"}, {"two", std::string("\0\1\2", 3)}, {"", ""}};
    ctnet::save_checkpoint(a, dir.path / "a.ckpt", sections);
    const auto back = ctnet::load_checkpoint(b, dir.path / "a.ckpt");
    BOOST_TEST_REQUIRE(back.size() == 3u);
    for (std::size_t i = 0; i < 3; ++i) BOOST_TEST((back[i].name == sections[i].name && back[i].bytes == sections[i].bytes));
    BOOST_TEST(same_parameters(a, b));
    BOOST_TEST(ctnet::read_checkpoint_sections(dir.path / "a.ckpt").size() == 3u);

    // Version 1: the same bytes without the section count, version field 1.
    ctnet::save_checkpoint(a, dir.path / "v2.ckpt");
    std::string v1 = ctnet::test::read_text(dir.path / "v2.ckpt");
    v1.erase(v1.size() - 12, 4);  // the u32 section count (0) before the checksum
    v1[8] = 1;
    const std::uint64_t sum = ctnet::detail::checkpoint::fnv1a(v1.data(), v1.size() - 8);
    std::memcpy(v1.data() + v1.size() - 8, &sum, 8);
    ctnet::test::write_bytes(dir.path / "v1.ckpt", v1);
    ctnet::Model<TwoLayerNet, double, 10> c(ctnet::Init::he(), 3);
    BOOST_TEST(ctnet::load_checkpoint(c, dir.path / "v1.ckpt").empty());
    BOOST_TEST(same_parameters(a, c));
    // A version from the future is refused rather than guessed at.
    v1[8] = 3;
    const std::uint64_t sum3 = ctnet::detail::checkpoint::fnv1a(v1.data(), v1.size() - 8);
    std::memcpy(v1.data() + v1.size() - 8, &sum3, 8);
    ctnet::test::write_bytes(dir.path / "v3.ckpt", v1);
    expect_refused([&] { ctnet::load_checkpoint(c, dir.path / "v3.ckpt"); }, "format version 3, this ctnet reads versions 1 to 2");
}

BOOST_AUTO_TEST_SUITE_END()
