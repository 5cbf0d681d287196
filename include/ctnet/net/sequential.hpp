// sequential.hpp — Sequential<Layers...>: a network as a type-level list of layers whose widths chain.
#pragma once

#include <boost/hana/at.hpp>
#include <boost/hana/tuple.hpp>
#include <boost/hana/type.hpp>

#include <array>
#include <cstddef>
#include <utility>

#include "../config.hpp"
#include "../layer/layer.hpp"

namespace ctnet::inline CTNET_ABI {

namespace detail {

// Each problem a network can have, in the order they are looked for.
enum class NetworkProblem {
    none, empty, no_name, no_width_map, no_impl, first_width_unknown, width_mismatch, bad_shape, loss_not_last
};

struct NetworkDiagnosis {
    NetworkProblem problem = NetworkProblem::none;
    std::size_t index = 0;     // the layer at fault
    std::size_t expects = 0;   // its declared input width
    std::size_t receives = 0;  // the width the layer before it outputs
    Dims shape{};              // the shape it receives (bad_shape)
    ShapeProblem shape_problem = ShapeProblem::none;
};

// First: the shape Input<> declared before the layers, or 0 x 0 x 0 for none.
template <Dims First, class... Ls>
constexpr NetworkDiagnosis diagnose_network() {
    NetworkDiagnosis d;
    if constexpr (sizeof...(Ls) == 0) {
        d.problem = NetworkProblem::empty;
    } else {
        Dims shape = First;
        bool known = First.size() != 0;
        auto step = [&]<std::size_t I, class L>() {
            if (d.problem != NetworkProblem::none) return;
            d.index = I;
            if constexpr (!NamedLayer<L>) d.problem = NetworkProblem::no_name;
            else if constexpr (!WidthMappingLayer<L>) d.problem = NetworkProblem::no_width_map;
            else if constexpr (!BindableLayer<L>) d.problem = NetworkProblem::no_impl;
            else {
                if constexpr (FixedInputLayer<L>) {
                    if (known && L::input_width != shape.size()) {
                        d = {NetworkProblem::width_mismatch, I, L::input_width, shape.size()};
                        return;
                    }
                    if (!known) shape = Dims{1, 1, L::input_width};
                    known = true;
                } else if (!known) {
                    d.problem = NetworkProblem::first_width_unknown;
                    return;
                }
                if constexpr (requires { L::shape_problem(shape); }) {
                    if (const ShapeProblem p = L::shape_problem(shape); p != ShapeProblem::none) {
                        d.problem = NetworkProblem::bad_shape;
                        d.shape = shape;
                        d.shape_problem = p;
                        return;
                    }
                }
                if constexpr (LossLayer<L>) {
                    if (I + 1 != sizeof...(Ls)) {
                        d.problem = NetworkProblem::loss_not_last;
                        return;
                    }
                }
                shape = next_shape<L>(shape);
            }
        };
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            (step.template operator()<I, Ls>(), ...);
        }(std::index_sequence_for<Ls...>{});
    }
    return d;
}

// The names below appear in compile errors with their arguments: the layer's
// index in the network, the layer, and the widths involved.
template <std::size_t Index, class Layer>
inline constexpr bool layer_has_a_name = false;
template <std::size_t Index, class Layer>
inline constexpr bool layer_maps_input_to_output_width = false;
template <std::size_t Index, class Layer>
inline constexpr bool layer_has_an_impl_template = false;
template <class FirstLayer>
inline constexpr bool first_layer_declares_its_input_width = false;
template <std::size_t Index, class Layer, std::size_t ExpectsWidth, std::size_t ReceivesWidth>
inline constexpr bool layer_input_width_matches = ExpectsWidth == ReceivesWidth;
template <std::size_t Index, class Layer, std::size_t NetworkLength>
inline constexpr bool loss_layer_is_last = Index + 1 == NetworkLength;
template <std::size_t Index, class Layer, Dims Receives>
inline constexpr bool layer_window_fits_its_padded_input = false;
template <std::size_t Index, class Layer, Dims Receives>
inline constexpr bool layer_stride_divides_its_padded_input = false;


template <std::size_t I, class... Ls>
using layer_at = typename decltype(+boost::hana::at_c<I>(boost::hana::tuple_t<Ls...>))::type;

// One asserting helper per problem, with the index, the layer and the widths
// as template parameters, so both GCC and clang print them in the error.
template <std::size_t Index, class L>
constexpr void assert_named() {
    static_assert(layer_has_a_name<Index, L>,
                  "ctnet: not a layer (index and type below): it needs `static constexpr std::string_view name`");
}
template <std::size_t Index, class L>
constexpr void assert_width_map() {
    static_assert(layer_maps_input_to_output_width<Index, L>,
                  "ctnet: not a layer (index and type below): it needs "
                  "`static constexpr std::size_t output_width(std::size_t in)`");
}
template <std::size_t Index, class L>
constexpr void assert_impl() {
    static_assert(layer_has_an_impl_template<Index, L>,
                  "ctnet: not a layer (index and type below): it needs a member template "
                  "`template <class T, std::size_t Batch, std::size_t In> struct Impl`");
}
template <class L>
constexpr void assert_first_width() {
    static_assert(first_layer_declares_its_input_width<L>,
                  "ctnet: the first layer takes its width from a layer before it, and there is none; "
                  "start the network with a layer that declares its input width, such as Affine<784, 50>, or "
                  "declare the input's shape first, as Input<Shape<1, 28, 28>{}> before a Convolution");
}
template <std::size_t Index, class L, std::size_t Expects, std::size_t Receives>
constexpr void assert_widths_chain() {
    static_assert(layer_input_width_matches<Index, L, Expects, Receives>,
                  "ctnet: a layer's input width differs from the width the layer before it outputs "
                  "(below: the layer's index, the layer, the width it expects, the width it receives)");
}
template <std::size_t Index, class L, std::size_t Length>
constexpr void assert_loss_last() {
    static_assert(loss_layer_is_last<Index, L, Length>,
                  "ctnet: a loss layer must be the last layer of a network "
                  "(below: its index, the layer, the number of layers)");
}

template <std::size_t Index, class L, Dims Receives, ShapeProblem P>
constexpr void assert_shape() {
    if constexpr (P == ShapeProblem::filter_larger_than_padded_input)
        static_assert(layer_window_fits_its_padded_input<Index, L, Receives>,
                      "ctnet: a layer's filter or window is larger than the input it receives, padding included "
                      "(below: the layer's index, the layer, and the shape {channels, height, width} it receives)");
    else
        static_assert(layer_stride_divides_its_padded_input<Index, L, Receives>,
                      "ctnet: a layer's stride does not divide its input's size (padding included) minus its "
                      "window, so the window would not end at the edge (below: the layer's index, the layer, and "
                      "the shape {channels, height, width} it receives)");
}

// Emits the one static_assert that describes the network's first problem.
template <Dims First, class... Ls>
constexpr bool report_network() {
    constexpr NetworkDiagnosis d = diagnose_network<First, Ls...>();
    using P = NetworkProblem;
    if constexpr (d.problem == P::empty) {
        static_assert(d.problem != P::empty, "ctnet: Sequential<> needs at least one layer");
    } else if constexpr (d.problem != P::none) {
        using L = layer_at<d.index, Ls...>;
        if constexpr (d.problem == P::no_name) assert_named<d.index, L>();
        else if constexpr (d.problem == P::no_width_map) assert_width_map<d.index, L>();
        else if constexpr (d.problem == P::no_impl) assert_impl<d.index, L>();
        else if constexpr (d.problem == P::first_width_unknown) assert_first_width<L>();
        else if constexpr (d.problem == P::width_mismatch) assert_widths_chain<d.index, L, d.expects, d.receives>();
        else if constexpr (d.problem == P::bad_shape) assert_shape<d.index, L, d.shape, d.shape_problem>();
        else if constexpr (d.problem == P::loss_not_last) assert_loss_last<d.index, L, sizeof...(Ls)>();
    }
    return d.problem == P::none;
}

}  // namespace detail

// Layers repeated N times inside a Sequential, where they expand in place:
// the book's MultiLayerNet(hidden_size_list=[100] * 5) is
//
//     using MultiLayerNet = ctnet::Sequential<ctnet::Affine<784, 100>, ctnet::Relu,
//                                             ctnet::Repeat<4, ctnet::Affine<100, 100>, ctnet::Relu>,
//                                             ctnet::Affine<100, 10>, ctnet::SoftmaxWithLoss>;
//
// which is the same type as writing the eleven layers out (parameters W1..W6),
// and whose compile errors name the expanded index. Repeats nest.
template <std::size_t N, class... Layers>
struct Repeat {
    static_assert(sizeof...(Layers) > 0, "ctnet: Repeat<N, Layers...> needs at least one layer to repeat");
};

namespace detail {

template <class... Ls>
struct TypeList {};

template <class A, class B>
struct Concat;
template <class... A, class... B>
struct Concat<TypeList<A...>, TypeList<B...>> {
    using type = TypeList<A..., B...>;
};

template <class L>
struct Expand {
    using type = TypeList<L>;
};
template <class... Ls>
struct ExpandAll {
    using type = TypeList<>;
};
template <class L, class... Rest>
struct ExpandAll<L, Rest...> {
    using type = typename Concat<typename Expand<L>::type, typename ExpandAll<Rest...>::type>::type;
};
template <std::size_t N, class List>
struct Times {
    using type = typename Concat<List, typename Times<N - 1, List>::type>::type;
};
template <class List>
struct Times<0, List> {
    using type = TypeList<>;
};
template <std::size_t N, class... Ls>
struct Expand<Repeat<N, Ls...>> {
    using type = typename Times<N, typename ExpandAll<Ls...>::type>::type;
};

// The network of the layers as they stand once every Repeat is expanded;
// First is the shape an Input<> declared, 0 x 0 x 0 without one.
template <Dims First, class... Layers>
struct FlatSequential {
    // The layers as a Boost.Hana type list.
    static constexpr auto layers = boost::hana::tuple_t<Layers...>;
    static constexpr std::size_t size = sizeof...(Layers);
    // Evaluating `valid` reports the first mistake, if any, as a compile error.
    static constexpr bool valid = detail::report_network<First, Layers...>();

    template <std::size_t I>
    using layer = detail::layer_at<I, Layers...>;

    // shapes[i] is the shape layer i receives; shapes[size] the network's output.
    static constexpr std::array<Dims, sizeof...(Layers) + 1> shapes = [] {
        std::array<Dims, sizeof...(Layers) + 1> s{};
        if constexpr (valid) {
            std::size_t i = 0;
            if constexpr (First.size() != 0) s[0] = First;
            else s[0] = Dims{1, 1, layer<0>::input_width};
            ((s[i + 1] = next_shape<Layers>(s[i]), ++i), ...);
        }
        return s;
    }();

    // widths[i] is the input width of layer i (its shape's size); widths[size] the network's output width.
    static constexpr std::array<std::size_t, sizeof...(Layers) + 1> widths = [] {
        std::array<std::size_t, sizeof...(Layers) + 1> w{};
        for (std::size_t i = 0; i < w.size(); ++i) w[i] = shapes[i].size();
        return w;
    }();

    static constexpr bool has_loss = [] {
        if constexpr (valid) return LossLayer<layer<size - 1>>;
        else return false;
    }();
};

template <class List>
struct FlatOf;
template <class... Ls>
struct FlatOf<TypeList<Ls...>> {
    using type = FlatSequential<Dims{0, 0, 0}, Ls...>;
};
template <auto S, class... Ls>
struct FlatOf<TypeList<Input<S>, Ls...>> {
    using type = FlatSequential<dims_of<S>(), Ls...>;
};

}  // namespace detail

// A network: layers applied in order, each taking the previous one's output.
// An activation takes its width from the layer before it; a layer with a
// fixed input width must match it. A mistake (a width that does not chain, a
// loss layer that is not last, an empty network, a type that is not a layer)
// is one compile error naming the layer's index, the layer and the widths.
// Repeat<N, ...> among the layers expands in place.
//
//     using TwoLayerNet = ctnet::Sequential<ctnet::Affine<784, 50>, ctnet::Relu, ctnet::Affine<50, 10>,
//                                           ctnet::SoftmaxWithLoss>;
//
// Images: a network that starts with a shaped layer (Convolution, Pooling)
// declares its input's shape first, Input<Shape<channels, height, width>{}>;
// each layer then maps the shape it receives (a shape mistake, such as a
// filter larger than its padded input, is one compile error naming the
// layer's index, the layer and the shape), and Affine flattens.
//
//     using SimpleConvNet = ctnet::Sequential<ctnet::Input<ctnet::Shape<1, 28, 28>{}>,
//                                             ctnet::Convolution<30, 5, 5>, ctnet::Relu, ctnet::Pooling<2, 2, 2>,
//                                             ctnet::Affine<30 * 12 * 12, 100>, ctnet::Relu,
//                                             ctnet::Affine<100, 10>, ctnet::SoftmaxWithLoss>;
//
// Members: layers (a Hana type list), size, valid, layer<I>, shapes, widths,
// has_loss, all of the expanded list (Input<> is not a layer of it).
template <class... Layers>
struct Sequential : detail::FlatOf<typename detail::ExpandAll<Layers...>::type>::type {};

}  // namespace ctnet
