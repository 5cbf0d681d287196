// target.hpp — what a Model takes as the targets of a batch, checked at compile time where the sizes are known.
//
// A target is one integer label per sample (std::array, std::vector, std::span,
// a C array) or a matrix of the network output's shape (one-hot rows, or any
// target values for IdentityWithMse). A mistake the types already show (a
// target of the wrong shape, a fixed number of labels that is not the batch
// size, a loss on a network without a loss layer) is one compile error naming
// the network's last layer and the sizes; a label range whose size only the
// value knows (std::vector, a dynamic std::span) is checked at run time.
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <type_traits>

#include "../config.hpp"
#include "../layer/softmax.hpp"
#include "../matrix/matrix.hpp"

namespace ctnet::inline CTNET_ABI::detail {

// How many labels a range holds when its type says so; std::dynamic_extent
// when only its value does.
template <class L>
inline constexpr std::size_t static_label_count = std::dynamic_extent;
template <class V, std::size_t N>
inline constexpr std::size_t static_label_count<std::array<V, N>> = N;
template <class V, std::size_t N>
inline constexpr std::size_t static_label_count<V[N]> = N;
template <class V, std::size_t N>
inline constexpr std::size_t static_label_count<std::span<V, N>> = N;  // dynamic_extent for a dynamic span

// The names below appear in compile errors with their arguments: the index
// and type of the network's last layer (its loss layer, if it has one), then
// the sizes or types involved.
template <std::size_t Index, class LastLayer>
inline constexpr bool network_ends_in_a_loss_layer = false;
template <class Target>
inline constexpr bool is_labels_or_a_target_matrix = false;
template <std::size_t Index, class LastLayer, class TargetElement, class OutputElement>
inline constexpr bool target_element_type_matches = std::is_same_v<TargetElement, OutputElement>;
template <std::size_t Index, class LastLayer, std::size_t TargetRows, std::size_t TargetCols, std::size_t OutputRows,
          std::size_t OutputCols>
inline constexpr bool target_shape_matches_output = TargetRows == OutputRows && TargetCols == OutputCols;
template <std::size_t Index, class LastLayer, std::size_t Labels, std::size_t Batch>
inline constexpr bool label_count_matches_batch = Labels == Batch;
template <std::size_t Index, class LossLayer, class Target>
inline constexpr bool loss_layer_takes_target = false;

// One asserting helper per mistake, keyed by the numbers and types alone, so
// that loss() and gradient() making the same mistake report it once.
template <std::size_t Index, class L>
constexpr void assert_ends_in_loss() {
    static_assert(network_ends_in_a_loss_layer<Index, L>,
                  "ctnet: loss(), gradient(), train_step() and evaluate() need a network that ends in a loss "
                  "layer, SoftmaxWithLoss or IdentityWithMse; this one ends in the layer below (its index and type)");
}
template <class Target>
constexpr void assert_is_target() {
    static_assert(is_labels_or_a_target_matrix<Target>,
                  "ctnet: a target is one integer label per sample (a std::array, std::vector, std::span or C array "
                  "of integers) or a Matrix of the network output's shape; the type below is neither");
}
template <std::size_t Index, class L, class TargetElement, class OutputElement>
constexpr void assert_target_element_type() {
    static_assert(target_element_type_matches<Index, L, TargetElement, OutputElement>,
                  "ctnet: the target matrix holds another element type than the network (below: the index and type "
                  "of the network's last layer, the target's element type, the network's)");
}
template <std::size_t Index, class L, std::size_t TargetRows, std::size_t TargetCols, std::size_t OutputRows,
          std::size_t OutputCols>
constexpr void assert_target_shape() {
    static_assert(target_shape_matches_output<Index, L, TargetRows, TargetCols, OutputRows, OutputCols>,
                  "ctnet: a target matrix (one-hot rows) must have the network output's shape, one row per sample "
                  "of the batch and one column per output (below: the index and type of the network's last layer, "
                  "the target's rows and cols, then the output's)");
}
template <std::size_t Index, class L, std::size_t Labels, std::size_t Batch>
constexpr void assert_label_count() {
    static_assert(label_count_matches_batch<Index, L, Labels, Batch>,
                  "ctnet: a batch takes one label per sample, and the number of labels differs from the batch size "
                  "(below: the index and type of the network's last layer, the number of labels, the batch size); "
                  "for any number of samples pass the inputs as a span: net.accuracy(std::span(x_test), t_test)");
}
template <std::size_t Index, class L, class Target>
constexpr void assert_loss_takes() {
    static_assert(loss_layer_takes_target<Index, L, Target>,
                  "ctnet: the loss layer does not take this kind of target (below: its index, the loss layer, the "
                  "target's type); IdentityWithMse takes a Matrix of the output's shape, not labels");
}

enum class TargetProblem { none, reported, no_loss, not_a_target, element_type, shape, label_count, not_taken };

// The first problem of giving Target to a Model<Net, T, B> for one batch,
// needing a loss layer when NeedsLoss. `reported`: an invalid network or a
// poisoned expression, whose mistake has had its error already.
template <class Net, class T, std::size_t B, bool NeedsLoss, class Target>
constexpr TargetProblem diagnose_target() {
    using P = TargetProblem;
    if constexpr (!Net::valid || any_poisoned<Target>) {
        return P::reported;
    } else if constexpr (NeedsLoss && !Net::has_loss) {
        return P::no_loss;
    } else {
        constexpr std::size_t outputs = Net::widths[Net::has_loss ? Net::size - 1 : Net::size];
        if constexpr (LabelRange<Target>) {
            constexpr std::size_t n = static_label_count<Target>;
            if constexpr (n != std::dynamic_extent && n != B) return P::label_count;
        } else if constexpr (Expression<Target>) {
            if constexpr (!std::is_same_v<typename Target::value_type, T>) return P::element_type;
            else if constexpr (Target::rows != B || Target::cols != outputs) return P::shape;
        } else {
            return P::not_a_target;
        }
        if constexpr (NeedsLoss) {
            using Loss = typename Net::template layer<Net::size - 1>::template Impl<T, B, outputs>;
            using Y = Matrix<T, B, outputs>;
            if constexpr (!requires(Loss& l, const Y& y, const Target& t, Y& dx) {
                              l.forward(y, t, B);
                              l.backward(y, t, B, dx);
                          })
                return P::not_taken;
        }
        return P::none;
    }
}

// A network without a loss layer cannot give a loss: one error naming its
// last layer. False, reporting nothing, for an invalid network.
template <class Net>
constexpr bool check_has_loss() {
    if constexpr (!Net::valid) {
        return false;
    } else {
        if constexpr (!Net::has_loss) assert_ends_in_loss<Net::size - 1, typename Net::template layer<Net::size - 1>>();
        return Net::has_loss;
    }
}

// Whether a Model<Net, T, B> takes Target as the targets of one batch (with
// a loss layer when NeedsLoss); if not, emits the one static_assert that says why.
template <class Net, class T, std::size_t B, bool NeedsLoss, class Target>
constexpr bool check_target() {
    using Tg = std::remove_cvref_t<Target>;
    using P = TargetProblem;
    constexpr P problem = diagnose_target<Net, T, B, NeedsLoss, Tg>();
    if constexpr (problem == P::no_loss) {
        check_has_loss<Net>();
    } else if constexpr (problem != P::none && problem != P::reported) {
        constexpr std::size_t last = Net::size - 1;
        using Last = typename Net::template layer<last>;
        constexpr std::size_t outputs = Net::widths[Net::has_loss ? last : Net::size];
        if constexpr (problem == P::not_a_target) assert_is_target<Tg>();
        else if constexpr (problem == P::element_type)
            assert_target_element_type<last, Last, typename Tg::value_type, T>();
        else if constexpr (problem == P::shape) assert_target_shape<last, Last, Tg::rows, Tg::cols, B, outputs>();
        else if constexpr (problem == P::label_count) assert_label_count<last, Last, static_label_count<Tg>, B>();
        else if constexpr (problem == P::not_taken) assert_loss_takes<last, Last, Tg>();
    }
    return problem == P::none;
}

}  // namespace ctnet::detail
