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

template <class L>
concept WidthMappingLayer = requires {
    typename std::integral_constant<std::size_t, L::output_width(std::size_t{1})>;
};

template <class L>
concept BindableLayer = requires { typename L::template Impl<float, 1, 1>; };

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

namespace detail {
template <class S>
inline constexpr bool is_shape = false;
template <std::size_t... D>
inline constexpr bool is_shape<Shape<D...>> = true;

template <auto In>
constexpr std::size_t width_of() {
    if constexpr (is_shape<std::remove_cvref_t<decltype(In)>>) return decltype(In)::size;
    else return static_cast<std::size_t>(In);
}
}  // namespace detail

}  // namespace ctnet
