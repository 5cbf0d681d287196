// Tests for net/layer_state.hpp and the checkpoint's "layers" section (net/layer_state_io.hpp):
// a reload continues the same masks and statistics, and a wrong or damaged file changes nothing.
#include "ctnet/net/layer_state.hpp"

#include <boost/test/unit_test.hpp>

#include <array>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "ctnet/net.hpp"
#include "ctnet/optim.hpp"
#include "../support/files.hpp"
#include "../support/reference.hpp"

using ctnet::Affine;
using ctnet::test::TempDir;
using Net = ctnet::Sequential<Affine<12, 10>, ctnet::BatchNorm, ctnet::Relu, ctnet::Dropout, Affine<10, 4>,
                              ctnet::SoftmaxWithLoss>;
using NoBatchNorm = ctnet::Sequential<Affine<12, 10>, ctnet::Relu, ctnet::Dropout, Affine<10, 4>, ctnet::SoftmaxWithLoss>;
using Plain = ctnet::Sequential<Affine<12, 10>, ctnet::Relu, Affine<10, 4>, ctnet::SoftmaxWithLoss>;
using Model = ctnet::Model<Net, float, 8>;

namespace {

const auto x = ctnet::test::random_matrix<float, 8, 12>(1, 0, 1);
const std::array<int, 8> t{0, 1, 2, 3, 3, 2, 1, 0};

// A few training steps: the running statistics move and the generator advances.
void train(Model& net, int steps) {
    for (int i = 0; i < steps; ++i) net.sgd_step(x, t, 0.1f);
}

template <class F>
void expect_refused(F load, const std::string& text) {
    BOOST_CHECK_EXCEPTION(load(), ctnet::Error, [&](const ctnet::Error& e) {
        BOOST_TEST_MESSAGE(e.what());
        return std::string(e.what()).find(text) != std::string::npos;
    });
}

// The file's bytes with its checksum made valid again after an edit.
std::string resealed(std::string bytes) {
    const std::uint64_t sum = ctnet::detail::checkpoint::fnv1a(bytes.data(), bytes.size() - 8);
    std::memcpy(bytes.data() + bytes.size() - 8, &sum, 8);
    return bytes;
}

// Where the "layers" section's contents begin in a file, and their length.
std::pair<std::size_t, std::size_t> layers_section(const std::string& bytes) {
    const std::string key = "layers";
    const std::size_t name = bytes.rfind(key);
    BOOST_TEST_REQUIRE(name != std::string::npos);
    std::uint64_t length = 0;
    std::memcpy(&length, bytes.data() + name + key.size(), 8);
    return {name + key.size() + 8, static_cast<std::size_t>(length)};
}

bool same_state(Model& a, Model& b) {
    return a.layer<1>().running_mean == b.layer<1>().running_mean &&
           a.layer<1>().running_var == b.layer<1>().running_var && a.layer<3>().rng.state() == b.layer<3>().rng.state() &&
           a.layer<3>().ratio == b.layer<3>().ratio;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(layer_state)

BOOST_AUTO_TEST_CASE(a_reloaded_model_draws_the_masks_and_keeps_the_statistics_it_would_have) {
    TempDir dir;
    auto a = std::make_unique<Model>(ctnet::Init::he(), 1);
    a->set_dropout(0.3);
    train(*a, 3);
    ctnet::save_checkpoint(*a, dir.path / "a.ckpt");
    auto b = std::make_unique<Model>(ctnet::Init::he(), 2);  // other weights, another stream, ratio 0.5
    train(*b, 1);
    BOOST_TEST(!same_state(*a, *b));
    ctnet::load_checkpoint(*b, dir.path / "a.ckpt");
    BOOST_TEST(b->layer<3>().ratio == 0.3);
    BOOST_TEST(same_state(*a, *b));
    // Both continue alike: the next mask, the next loss, the next statistics.
    // (A model that never saw the file, c, continues as a does: the reload changed nothing.)
    auto c = std::make_unique<Model>(*a);
    const float la = a->sgd_step(x, t, 0.1f), lb = b->sgd_step(x, t, 0.1f), lc = c->sgd_step(x, t, 0.1f);
    BOOST_TEST((a->layer<3>().mask == b->layer<3>().mask));
    BOOST_TEST((a->layer<3>().mask == c->layer<3>().mask));
    BOOST_TEST(la == lb);
    BOOST_TEST(la == lc);
    BOOST_TEST(same_state(*a, *b));
    // And they predict alike, from the running statistics.
    BOOST_TEST((a->predict(x) == b->predict(x)));
}

BOOST_AUTO_TEST_CASE(the_section_names_each_piece_of_state) {
    TempDir dir;
    Model net(ctnet::Init::he(), 1);
    ctnet::save_checkpoint(net, dir.path / "a.ckpt");
    const auto sections = ctnet::read_checkpoint_sections(dir.path / "a.ckpt");
    const auto* layers = ctnet::find_section(sections, "layers");
    BOOST_TEST_REQUIRE(layers != nullptr);
    for (const char* name : {"BatchNorm1/running_mean", "BatchNorm1/running_var", "Dropout1/ratio", "Dropout1/rng"})
        BOOST_TEST(layers->bytes.find(name) != std::string::npos, name);
    // load_checkpoint consumes it and hands back the caller's own sections.
    ctnet::save_checkpoint(net, dir.path / "b.ckpt", {{"notes", "hello"}});
    const auto back = ctnet::load_checkpoint(net, dir.path / "b.ckpt");
    BOOST_TEST_REQUIRE(back.size() == 1u);
    BOOST_TEST(back[0].name == "notes");
    BOOST_TEST(back[0].bytes == "hello");
    expect_refused([&] { ctnet::save_checkpoint(net, dir.path / "c.ckpt", {{"layers", ""}}); }, "the model's own");
}

BOOST_AUTO_TEST_CASE(a_network_without_layer_state_writes_no_section_and_loads_as_before) {
    TempDir dir;
    static_assert(!ctnet::Model<Plain, float, 8>::has_layer_state && Model::has_layer_state);
    ctnet::Model<Plain, float, 8> a(ctnet::Init::he(), 1), b(ctnet::Init::he(), 2);
    ctnet::save_checkpoint(a, dir.path / "a.ckpt");
    BOOST_TEST(ctnet::read_checkpoint_sections(dir.path / "a.ckpt").empty());
    ctnet::load_checkpoint(b, dir.path / "a.ckpt");
    BOOST_TEST(a.parameters()["W2"].values == b.parameters()["W2"].values);
}

BOOST_AUTO_TEST_CASE(a_checkpoint_of_another_network_is_refused) {
    TempDir dir;
    Model net(ctnet::Init::he(), 1);
    ctnet::Model<NoBatchNorm, float, 8> without(ctnet::Init::he(), 1);
    ctnet::save_checkpoint(net, dir.path / "bn.ckpt");
    ctnet::save_checkpoint(without, dir.path / "plain.ckpt");
    // A BatchNorm missing or extra: both descriptions named.
    expect_refused([&] { ctnet::load_checkpoint(without, dir.path / "bn.ckpt"); },
                   "it holds the network 'Affine(12 -> 10) > BatchNorm(10) > Relu(10)");
    expect_refused([&] { ctnet::load_checkpoint(net, dir.path / "plain.ckpt"); },
                   "this model is 'Affine(12 -> 10) > BatchNorm(10)");
    // The book's Dropout and the inverted one are different networks.
    using Inverted = ctnet::Sequential<Affine<12, 10>, ctnet::BatchNorm, ctnet::Relu, ctnet::InvertedDropout,
                                       Affine<10, 4>, ctnet::SoftmaxWithLoss>;
    ctnet::Model<Inverted, float, 8> inverted;
    expect_refused([&] { ctnet::load_checkpoint(inverted, dir.path / "bn.ckpt"); }, "InvertedDropout(10)");
}

BOOST_AUTO_TEST_CASE(a_missing_or_damaged_layers_section_is_refused_and_the_model_is_unchanged) {
    TempDir dir;
    auto a = std::make_unique<Model>(ctnet::Init::he(), 1);
    train(*a, 2);
    const auto good = dir.path / "a.ckpt";
    ctnet::save_checkpoint(*a, good);
    const std::string bytes = ctnet::test::read_text(good);
    auto b = std::make_unique<Model>(ctnet::Init::he(), 2);
    train(*b, 1);
    const auto before = std::make_unique<Model>(*b);
    const auto unchanged = [&] {
        for (const auto& p : b->parameters()) BOOST_TEST(p.values == before->parameters()[p.name].values, p.name);
        BOOST_TEST(same_state(*b, *before));
    };
    const auto bad = dir.path / "bad.ckpt";

    // Without the section (as a hand-made file would be): the section count
    // set to 0 and the section cut out.
    const auto [at, length] = layers_section(bytes);
    const std::size_t section_start = at - 8 - 4 - 6;  // its name's length, name, then its length
    std::string cut = bytes.substr(0, section_start) + bytes.substr(at + length);
    const std::uint32_t zero = 0;
    std::memcpy(cut.data() + section_start - 4, &zero, 4);
    ctnet::test::write_bytes(bad, resealed(cut));
    expect_refused([&] { ctnet::load_checkpoint(*b, bad); }, "holds no state for this network's layers");
    unchanged();

    // A NaN running variance (its last value; the generator's 48 bytes follow it).
    std::string nan = bytes;
    const float q = std::numeric_limits<float>::quiet_NaN();
    const std::size_t dropout_entries = (4 + 14 + 1 + 8) + (4 + 12 + 1 + 48);  // "Dropout1/ratio", "Dropout1/rng"
    std::memcpy(nan.data() + at + length - dropout_entries - 4, &q, 4);
    ctnet::test::write_bytes(bad, resealed(nan));
    expect_refused([&] { ctnet::load_checkpoint(*b, bad); }, "layer state 'BatchNorm1/running_var' is NaN");
    unchanged();

    // A generator of all-zero words, which would draw zeros forever.
    std::string zeros = bytes;
    std::memset(zeros.data() + at + length - 48, 0, 48);
    ctnet::test::write_bytes(bad, resealed(zeros));
    expect_refused([&] { ctnet::load_checkpoint(*b, bad); }, "'Dropout1/rng' is not a generator state");
    unchanged();

    // An entry count that does not match the network's four entries.
    std::string more = bytes, fewer = bytes;
    std::memset(more.data() + at, 9, 1);
    ctnet::test::write_bytes(bad, resealed(more));
    expect_refused([&] { ctnet::load_checkpoint(*b, bad); }, "5 more entries than this network keeps");
    unchanged();
    std::memset(fewer.data() + at, 3, 1);
    ctnet::test::write_bytes(bad, resealed(fewer));
    expect_refused([&] { ctnet::load_checkpoint(*b, bad); }, "the layer state ends before 'Dropout1/rng'");
    unchanged();

    // The good file still loads.
    ctnet::load_checkpoint(*b, good);
    BOOST_TEST(same_state(*a, *b));
}

BOOST_AUTO_TEST_CASE(a_diverged_statistic_is_not_saved) {
    TempDir dir;
    Model net(ctnet::Init::he(), 1);
    const auto path = dir.path / "a.ckpt";
    ctnet::save_checkpoint(net, path);
    const std::string good = ctnet::test::read_text(path);
    net.layer<1>().running_var(0, 7) = std::numeric_limits<float>::infinity();
    expect_refused([&] { ctnet::save_checkpoint(net, path); }, "layer state 'BatchNorm1/running_var' is infinite at (0, 7)");
    BOOST_TEST(ctnet::test::read_text(path) == good);
}

BOOST_AUTO_TEST_CASE(the_state_copy_carries_a_float_model_into_double_and_back_exactly) {
    Model f(ctnet::Init::he(), 1);
    train(f, 2);
    auto d = std::make_unique<ctnet::Model<Net, double, 8>>();
    ctnet::detail::LayerStateCopy s;
    s.capture(f);
    s.apply(*d);
    for (std::size_t j = 0; j < 10; ++j) BOOST_TEST(d->layer<1>().running_var(0, j) == double(f.layer<1>().running_var(0, j)));
    BOOST_TEST((d->layer<3>().rng.state() == f.layer<3>().rng.state()));
    Model g(ctnet::Init::he(), 5);
    s.apply(g);
    BOOST_TEST(same_state(f, g));
}

BOOST_AUTO_TEST_SUITE_END()
