// layer.hpp — the Layer protocol: what a type must provide to be a layer of a Sequential network.
//
// A layer type is a *spec*: it names itself, maps an input width to an output
// width, and binds to an element type, a batch size and its input width as
// Impl<T, Batch, In>, which holds the layer's state and parameters:
//
//     struct Relu {
//         static constexpr std::string_view name = "Relu";
//         static constexpr std::size_t output_width(std::size_t in) { return in; }
//         template <class T, std::size_t B, std::size_t In>
//         struct Impl {
//             void forward(const Matrix<T, B, In>& x, Matrix<T, B, In>& y);
//             template <bool WantDx>
//             void backward(const Matrix<T, B, In>& x, const Matrix<T, B, In>& y,
//                           const Matrix<T, B, In>& dy, Matrix<T, B, In>* dx);
//         };
//     };
//
// backward receives the layer's forward input and output again (the Model
// keeps both alive), so Impl stores only what those cannot give (ReLU's mask).
// WantDx is false for the first layer, whose input gradient nobody reads.
// A layer with a fixed input width declares `input_width`; one with
// parameters gives Impl a for_each_param(f) that calls f(name, value, grad, transposed)
// (transposed: stored as the transpose of the book's shape) and an initialize().
// Loss layers set `is_loss = true` and have a different Impl (see
// softmax_with_loss.hpp); a network ends with at most one, as its last layer.
//
// Optional, each found by a requires-expression, so a layer without them
// keeps working untouched:
//   forward(x, y, Mode)  instead of forward(x, y), for a layer that computes
//                        differently in training (Dropout, BatchNorm; the book's
//                        train_flg): the Model passes Mode::infer from predict,
//                        accuracy, evaluate and loss(x, t), Mode::train from
//                        gradient and sgd_step, and Mode::train_frozen from
//                        numerical_gradient (layer/mode.hpp).
//   visit_state(v)       what the layer keeps besides parameters and must
//                        survive a checkpoint (running statistics, a generator),
//                        visited by name (net/layer_state.hpp).
//   seed(s)              a generator of the layer's own, seeded by the Model
//                        from its seed and the layer's index.
//   backward_sgd<WantDx>(x, dy, dx*, lr)  the SGD step fused into backward (Affine).
#pragma once

#include <concepts>
#include <cstddef>
#include <string_view>
#include <type_traits>

#include "../config.hpp"

namespace ctnet::inline CTNET_ABI {

// Each requirement on its own, so a type that is not a layer gets one line
// saying which part is missing (net/sequential.hpp asserts them in order).
template <class L>
concept NamedLayer = requires {
    { L::name } -> std::convertible_to<std::string_view>;
};

// The shape of one sample: channels, height and width. A vector of n values
// is 1 x 1 x n. A batch keeps each sample as one row of c * h * w values,
// channel after channel, each row by row (the book's NCHW reshaped to N x CHW).
struct Dims {
    std::size_t c = 1, h = 1, w = 1;
    constexpr std::size_t size() const { return c * h * w; }
    constexpr bool flat() const { return c == 1 && h == 1; }
    constexpr bool operator==(const Dims&) const = default;
};

// A layer that maps a shape to a shape (Convolution, Pooling): it declares
// `static constexpr Dims output_shape(Dims in)` instead of output_width, and
// its Impl is bound to the input's shape, Impl<T, Batch, Dims In>. It may
// also declare `static constexpr ShapeProblem shape_problem(Dims in)`, which
// the network turns into one compile error naming the layer and the shapes.
template <class L>
concept ShapedLayer = requires {
    { L::output_shape(Dims{}) } -> std::same_as<Dims>;
};

// What a shaped layer can find wrong with the shape it receives.
enum class ShapeProblem {
    none,
    filter_larger_than_padded_input,  // a convolution's filter, or a pooling window, does not fit
    stride_does_not_divide,           // (padded size - window) is not a multiple of the stride
};

template <class L>
concept WidthMappingLayer = ShapedLayer<L> || requires {
    typename std::integral_constant<std::size_t, L::output_width(std::size_t{1})>;
};

template <class L>
concept BindableLayer = requires { typename L::template Impl<float, 1, 1>; } ||
                        (ShapedLayer<L> && requires { typename L::template Impl<float, 1, Dims{1, 1, 1}>; });

template <class L>
concept Layer = NamedLayer<L> && WidthMappingLayer<L> && BindableLayer<L>;

template <class L>
concept LossLayer = Layer<L> && requires {
    requires L::is_loss;
};

// A layer that fixes its input width (Affine) rather than taking the width of
// the layer before it (activations).
template <class L>
concept FixedInputLayer = requires {
    { L::input_width } -> std::convertible_to<std::size_t>;
};

// The width of an input declared as a number or as a Shape<dims...>{}.
template <std::size_t... Dims>
struct Shape {
    static_assert(sizeof...(Dims) > 0, "ctnet: Shape<> needs at least one dimension");
    static constexpr std::size_t size = (Dims * ...);
};

// Marks the shape of a network's input when its first layer does not fix
// it: a convolutional network starts with Input<Shape<1, 28, 28>{}>. It adds
// no layer (no buffer, no copy); a first Affine declares its width itself.
template <auto S>
struct Input {};

namespace detail {
template <class S>
inline constexpr bool is_shape = false;
template <std::size_t... D>
inline constexpr bool is_shape<Shape<D...>> = true;

// A Shape<...>{} or a width as Dims: Shape<n> is 1 x 1 x n, Shape<h, w> 1 x h x w.
template <auto S>
constexpr Dims dims_of() {
    using Sh = std::remove_cvref_t<decltype(S)>;
    if constexpr (is_shape<Sh>) {
        return []<std::size_t... D>(Shape<D...>) {
            constexpr std::size_t n = sizeof...(D);
            static_assert(n <= 3, "ctnet: a Shape has at most three dimensions (channels, height, width)");
            constexpr std::size_t d[] = {D...};
            if constexpr (n == 1) return Dims{1, 1, d[0]};
            else if constexpr (n == 2) return Dims{1, d[0], d[1]};
            else return Dims{d[0], d[1], d[2]};
        }(Sh{});
    } else {
        return Dims{1, 1, static_cast<std::size_t>(S)};
    }
}

// The shape layer L outputs for input `in`: a shaped layer says; a layer
// with a fixed input width (Affine) flattens; any other keeps the shape when
// it keeps the width (ReLU, Dropout: element by element), else flattens.
template <class L>
constexpr Dims next_shape(Dims in) {
    if constexpr (ShapedLayer<L>) {
        return L::output_shape(in);
    } else {
        const std::size_t out = L::output_width(in.size());
        return !FixedInputLayer<L> && out == in.size() ? in : Dims{1, 1, out};
    }
}

// L bound to an element type, a batch and its input: a shaped layer
// (Convolution, Pooling) to the input's shape, any other to its width.
template <class L, class T, std::size_t B, Dims In>
struct Bind {
    using type = typename L::template Impl<T, B, In.size()>;
};
template <ShapedLayer L, class T, std::size_t B, Dims In>
struct Bind<L, T, B, In> {
    using type = typename L::template Impl<T, B, In>;
};
template <class L, class T, std::size_t B, Dims In>
using bound_layer = typename Bind<L, T, B, In>::type;

template <auto In>
constexpr std::size_t width_of() {
    if constexpr (is_shape<std::remove_cvref_t<decltype(In)>>) return decltype(In)::size;
    else return static_cast<std::size_t>(In);
}
}  // namespace detail

}  // namespace ctnet
