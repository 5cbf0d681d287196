// npz.hpp — save_npz / load_npz: a model's parameters as a NumPy .npz file, under the book's names and shapes.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include "../config.hpp"
#include "../io/npz.hpp"
#include "param.hpp"

namespace ctnet::inline CTNET_ABI {

namespace detail::npz {
inline std::string number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}
}  // namespace detail::npz

// Writes every parameter of the model as an .npz that numpy.load reads into
// the book's params dictionary: W1, b1, W2, b2, ... in the book's
// orientation (W1 is (784, 50), though Affine stores it 50 x 784), each bias
// a vector, b1 of shape (50,). A parameter is a vector when its ParamView is
// one row that is not transposed (ParamView::is_vector). Float models write
// '<f4', double models '<f8'; the file is replaced atomically.
//
//     ctnet::save_npz(net, "params.npz");     // Python: params = numpy.load("params.npz")
template <class Model>
void save_npz(Model& model, const std::filesystem::path& path) {
    using T = typename Model::Input::value_type;
    std::vector<NpyArray> arrays;
    model.for_each_param([&](const std::string& name, auto p, auto) {
        NpyArray a{name, p.shape(), std::is_same_v<T, float> ? "<f4" : "<f8", {}};
        a.values.reserve(p.size());
        for (std::size_t i = 0; i < p.rows(); ++i)
            for (std::size_t j = 0; j < p.cols(); ++j) a.values.push_back(static_cast<double>(p(i, j)));
        arrays.push_back(std::move(a));
    });
    write_npz(path, arrays);
}

// Reads parameters saved by save_npz or by NumPy (numpy.savez(path, **params)
// with the book's TwoLayerNet.params), float32 or float64 whatever the
// model's element type. A bias may also be a (1, N) array. Everything is
// checked before the model is touched, so a failed load leaves it exactly as
// it was: the file (see read_npz), that it holds exactly the model's
// parameters (a missing one, or one this network does not have, is named
// with what the network has), each array's dtype and shape (named, with the
// shape the network expects), and for a float model that every float64 value
// fits a float. Throws ctnet::Error naming the file.
template <class Model>
void load_npz(Model& model, const std::filesystem::path& path) {
    using T = typename Model::Input::value_type;
    const std::vector<NpyArray> arrays = read_npz(path);
    auto fail = [&](const std::string& why) { throw Error(path.string() + ": " + why); };

    std::string known;
    model.for_each_param([&](const std::string& name, auto, auto) { known += (known.empty() ? "" : ", ") + name; });
    std::vector<const NpyArray*> found;  // in the model's order
    model.for_each_param([&](const std::string& name, auto p, auto) {
        const NpyArray* a = nullptr;
        for (const NpyArray& x : arrays)
            if (x.name == name) a = &x;
        const std::string expected = npy_shape_string(p.shape());
        if (!a) fail("no array '" + name + "' (the network expects " + name + " of shape " + expected + ")");
        found.push_back(a);
    });
    std::string extra;
    std::size_t extras = 0;
    for (const NpyArray& x : arrays)
        if (std::find(found.begin(), found.end(), &x) == found.end()) extra += (extras++ ? ", " : "") + x.name;
    if (extras)
        fail((extras == 1 ? "array " + extra + " is not a parameter" : "arrays " + extra + " are not parameters") +
             " of this network, which has " + known + " (is the file for another network?)");

    std::size_t k = 0;
    model.for_each_param([&](const std::string& name, auto p, auto) {
        const NpyArray& a = *found[k++];
        const std::string shape = npy_shape_string(a.shape), expected = npy_shape_string(p.shape());
        const bool as_row = p.is_vector() && a.shape == std::vector<std::size_t>{1, p.cols()};
        if (a.shape != p.shape() && !as_row)
            fail("array '" + name + "' has shape " + shape + ", the network expects " + expected);
        if (a.dtype != "<f4" && a.dtype != "<f8")
            fail("array '" + name + "' has dtype '" + a.dtype + "', the network reads float32 or float64");
        if constexpr (std::is_same_v<T, float>)
            for (const double v : a.values)
                if (std::isfinite(v) && std::fabs(v) > std::numeric_limits<float>::max())
                    fail("array '" + name + "' holds " + detail::npz::number(v) + ", beyond the range of float");
    });

    k = 0;
    model.for_each_param([&](const std::string&, auto p, auto) {
        const std::vector<double>& v = found[k++]->values;
        for (std::size_t i = 0; i < p.rows(); ++i)
            for (std::size_t j = 0; j < p.cols(); ++j) p(i, j) = static_cast<T>(v[i * p.cols() + j]);
    });
}

}  // namespace ctnet
