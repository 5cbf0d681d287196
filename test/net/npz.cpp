// Tests for net/npz.hpp: parameters through .npz in the book's names, shapes and orientation; refused files leave the model untouched.
#include "ctnet/net/npz.hpp"

#include <boost/test/unit_test.hpp>

#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "ctnet/io/npz.hpp"
#include "ctnet/net.hpp"
#include "../support/files.hpp"

namespace fs = std::filesystem;
using namespace ctnet::test;
using TwoLayerNet =
    ctnet::Sequential<ctnet::Affine<784, 50>, ctnet::Relu, ctnet::Affine<50, 10>, ctnet::SoftmaxWithLoss>;
using Shape = std::vector<std::size_t>;

namespace {

// Every parameter value's bits, in order: "untouched" means bit for bit.
template <class Model>
std::string bits_of(Model& m) {
    std::string out;
    for (const auto& p : m.parameters())
        out.append(reinterpret_cast<const char*>(p.values.data()), p.values.size() * sizeof(p.values[0]));
    return out;
}

// The model's parameters as arrays (W1 book-oriented, biases 1-D) in dtype, from ParamView.
template <class Model>
std::vector<ctnet::NpyArray> arrays_of(Model& m, const char* dtype) {
    std::vector<ctnet::NpyArray> out;
    for (const auto& p : m.parameters())
        out.push_back({p.name, p.rows == 1 && p.name[0] == 'b' ? Shape{p.cols} : Shape{p.rows, p.cols}, dtype,
                       std::vector<double>(p.values.begin(), p.values.end())});
    return out;
}

ctnet::NpyArray& named(std::vector<ctnet::NpyArray>& arrays, std::string_view name) {
    for (auto& a : arrays)
        if (a.name == name) return a;
    throw std::runtime_error("no array " + std::string(name));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(npz)

BOOST_AUTO_TEST_CASE(saves_the_books_names_shapes_and_orientation) {
    TempDir dir;
    ctnet::Model<TwoLayerNet, float, 4> net(ctnet::Init::he(), 1);
    for (std::size_t j = 0; j < 50; ++j) net.param("b1")(0, j) = 0.25f * float(j);
    ctnet::save_npz(net, dir.path / "net.npz");
    const auto arrays = ctnet::read_npz(dir.path / "net.npz");
    BOOST_TEST_REQUIRE(arrays.size() == 4u);
    const Shape shapes[] = {{784, 50}, {50}, {50, 10}, {10}};
    const char* names[] = {"W1", "b1", "W2", "b2"};
    for (std::size_t k = 0; k < 4; ++k) {
        BOOST_TEST(arrays[k].name == names[k]);
        BOOST_TEST(arrays[k].shape == shapes[k]);
        BOOST_TEST(arrays[k].dtype == "<f4");
    }
    // W1[i][j] (input pixel i, hidden unit j) is what Affine stores at W(j, i).
    const auto& W = net.layer<0>().W;
    for (std::size_t i = 0; i < 784; i += 7)
        for (std::size_t j = 0; j < 50; ++j) BOOST_TEST(arrays[0].values[i * 50 + j] == double(W(j, i)));
    for (std::size_t j = 0; j < 50; ++j) BOOST_TEST(arrays[1].values[j] == 0.25 * double(j));

    // A weight of one input is (1, N), not a vector: only a bias is 1-D.
    using OneInput = ctnet::Sequential<ctnet::Affine<1, 3>, ctnet::Relu, ctnet::Affine<3, 2>, ctnet::SoftmaxWithLoss>;
    ctnet::Model<OneInput, double, 2> small;
    ctnet::save_npz(small, dir.path / "small.npz");
    const auto s = ctnet::read_npz(dir.path / "small.npz");
    BOOST_TEST((s[0].shape == Shape{1, 3}));
    BOOST_TEST((s[1].shape == Shape{3}));
    BOOST_TEST(s[0].dtype == "<f8");
}

BOOST_AUTO_TEST_CASE(round_trips_bit_exact_in_float_and_double) {
    TempDir dir;
    ctnet::Model<TwoLayerNet, float, 10> a(ctnet::Init::he(), 1), b(ctnet::Init::he(), 2);
    a.param("b2")(0, 3) = -1.5e-42f;  // a subnormal survives too
    ctnet::save_npz(a, dir.path / "f.npz");
    BOOST_TEST(bits_of(a) != bits_of(b));
    ctnet::load_npz(b, dir.path / "f.npz");
    BOOST_TEST(bits_of(a) == bits_of(b));

    ctnet::Model<TwoLayerNet, double, 10> c(ctnet::Init::he(), 3), d(ctnet::Init::he(), 4);
    c.param("b1")(0, 0) = 0.1;
    ctnet::save_npz(c, dir.path / "d.npz");
    BOOST_TEST(ctnet::read_npz(dir.path / "d.npz")[0].dtype == "<f8");
    ctnet::load_npz(d, dir.path / "d.npz");
    BOOST_TEST(bits_of(c) == bits_of(d));
}

BOOST_AUTO_TEST_CASE(loads_float64_into_float_and_a_row_as_a_bias) {
    TempDir dir;
    ctnet::Model<TwoLayerNet, double, 10> source(ctnet::Init::he(), 5);
    source.param("b1")(0, 7) = 0.1;  // no float holds it: rounds to the nearest
    auto arrays = arrays_of(source, "<f8");
    named(arrays, "b2").shape = {1, 10};  // as the book's (1, N) arrays, or a reshaped vector
    ctnet::write_npz(dir.path / "f64.npz", arrays);
    ctnet::Model<TwoLayerNet, float, 10> net;
    ctnet::load_npz(net, dir.path / "f64.npz");
    const auto loaded = net.parameters();
    for (const auto& p : source.parameters()) {
        const auto& q = loaded[p.name];
        for (std::size_t k = 0; k < p.values.size(); ++k) BOOST_TEST(q.values[k] == static_cast<float>(p.values[k]));
    }
    BOOST_TEST(net.param("b1")(0, 7) == 0.1f);

    // float32 into a double model is exact.
    ctnet::Model<TwoLayerNet, float, 10> f(ctnet::Init::he(), 6);
    ctnet::save_npz(f, dir.path / "f32.npz");
    ctnet::Model<TwoLayerNet, double, 10> d;
    ctnet::load_npz(d, dir.path / "f32.npz");
    const auto widened = d.parameters();
    for (const auto& p : f.parameters())
        for (std::size_t k = 0; k < p.values.size(); ++k)
            BOOST_TEST(widened[p.name].values[k] == static_cast<double>(p.values[k]));
}

BOOST_AUTO_TEST_CASE(wrong_files_are_refused_and_the_model_is_untouched) {
    TempDir dir;
    ctnet::Model<TwoLayerNet, float, 10> net(ctnet::Init::he(), 1), other(ctnet::Init::he(), 2);
    const std::string before = bits_of(net);
    // Each file is other's parameters, right but for one thing; the wrong one
    // comes late, so that a loader writing as it checks would show.
    struct Case {
        const char* what;
        void (*spoil)(std::vector<ctnet::NpyArray>&);
        std::vector<std::string_view> says;
    };
    const std::vector<Case> cases = {
        {"b2 missing", [](auto& a) { a.pop_back(); }, {"no array 'b2'", "expects b2 of shape (10,)"}},
        {"an extra array",
         [](auto& a) {
             a.push_back({"W3", {10, 10}, "<f4", std::vector<double>(100)});
         },
         {"array W3 is not a parameter of this network", "W1, b1, W2, b2", "another network"}},
        {"b2 a column",
         [](auto& a) {
             named(a, "b2").shape = {10, 1};
         },
         {"array 'b2' has shape (10, 1), the network expects (10,)"}},
        {"W2 transposed",
         [](auto& a) {
             named(a, "W2").shape = {10, 50};
         },
         {"array 'W2' has shape (10, 50), the network expects (50, 10)"}},
        {"b2 as integers",
         [](auto& a) {
             named(a, "b2") = {"b2", {10}, "<i4", std::vector<double>(10, 1)};
         },
         {"array 'b2' has dtype '<i4'"}},
        {"b2 beyond float",
         [](auto& a) {
             named(a, "b2").dtype = "<f8";
             named(a, "b2").values[9] = 1e300;
         },
         {"array 'b2' holds 1e+300", "beyond the range of float"}},
    };
    for (const Case& c : cases) {
        BOOST_TEST_CONTEXT(c.what) {
            auto arrays = arrays_of(other, "<f4");
            c.spoil(arrays);
            const auto file = dir.path / "bad.npz";
            ctnet::write_npz(file, arrays);
            const std::string message = error_of([&] { ctnet::load_npz(net, file); });
            BOOST_TEST(mentions(message, {file.string()}));
            for (const std::string_view part : c.says) BOOST_TEST(mentions(message, {part}));
            BOOST_TEST(bits_of(net) == before);
        }
    }

    // Another network's file, and a file that is not an archive.
    using Wider = ctnet::Sequential<ctnet::Affine<784, 60>, ctnet::Relu, ctnet::Affine<60, 10>, ctnet::SoftmaxWithLoss>;
    ctnet::Model<Wider, float, 10> wider;
    ctnet::save_npz(wider, dir.path / "wider.npz");
    BOOST_TEST(mentions(error_of([&] { ctnet::load_npz(net, dir.path / "wider.npz"); }),
                        {"array 'W1' has shape (784, 60), the network expects (784, 50)"}));
    write_bytes(dir.path / "text.npz", "not an archive");
    BOOST_TEST(
        mentions(error_of([&] { ctnet::load_npz(net, dir.path / "text.npz"); }), {"text.npz", "not a zip archive"}));
    BOOST_TEST(bits_of(net) == before);
}

BOOST_AUTO_TEST_CASE(filter_banks_are_four_dimensional_in_the_books_element_order) {
    // The book's Convolution.W is (FN, C, FH, FW); ctnet stores filter f as
    // row f of FN x (C FH FW), element (c, i, j) at column (c FH + i) FW + j.
    using ConvNet = ctnet::Sequential<ctnet::Input<ctnet::Shape<2, 6, 6>{}>, ctnet::Convolution<3, 3, 3>,
                                      ctnet::Relu, ctnet::Affine<3 * 4 * 4, 5>, ctnet::SoftmaxWithLoss>;
    TempDir dir;
    ctnet::Model<ConvNet, double, 2> net(ctnet::Init::he(), 3), back;
    BOOST_TEST(net.param("W1").shape() == (Shape{3, 2, 3, 3}));
    BOOST_TEST(net.param("b1").shape() == (Shape{3}));
    BOOST_TEST(net.param("W2").shape() == (Shape{48, 5}));
    BOOST_TEST(net.grad("W1").shape() == (Shape{3, 2, 3, 3}));

    ctnet::save_npz(net, dir.path / "conv.npz");
    auto arrays = ctnet::read_npz(dir.path / "conv.npz");
    const ctnet::NpyArray& w1 = named(arrays, "W1");
    BOOST_TEST(w1.shape == (Shape{3, 2, 3, 3}));
    for (std::size_t f = 0; f < 3; ++f)
        for (std::size_t c = 0; c < 2; ++c)
            for (std::size_t i = 0; i < 3; ++i)
                for (std::size_t j = 0; j < 3; ++j)
                    BOOST_TEST(w1.values[((f * 2 + c) * 3 + i) * 3 + j] == net.param("W1")(f, (c * 3 + i) * 3 + j));

    ctnet::load_npz(back, dir.path / "conv.npz");
    BOOST_TEST(bits_of(back) == bits_of(net));

    // The filters flattened to the matrix ctnet stores are not the book's shape.
    named(arrays, "W1").shape = {3, 18};
    ctnet::write_npz(dir.path / "flat.npz", arrays);
    const std::string before = bits_of(back);
    BOOST_TEST(mentions(error_of([&] { ctnet::load_npz(back, dir.path / "flat.npz"); }),
                        {"array 'W1' has shape (3, 18), the network expects (3, 2, 3, 3)"}));
    BOOST_TEST(bits_of(back) == before);
}

BOOST_AUTO_TEST_SUITE_END()
