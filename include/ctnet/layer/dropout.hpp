// dropout.hpp — Dropout (the book's) and InvertedDropout: a random share of the signal is dropped while training.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "../matrix/matrix.hpp"
#include "../random.hpp"
#include "layer.hpp"
#include "mode.hpp"

namespace ctnet::inline CTNET_ABI {

// Where the surviving signal is rescaled: `book` multiplies by (1 - ratio) at
// inference (the book's Dropout, 6.4.3); `inverted` divides by (1 - ratio) in
// training, so inference is the identity (what most libraries do).
enum class DropoutKind { book, inverted };

// Dropout (book 6.4.3). In training each element survives with probability
// 1 - ratio, the book's `mask = np.random.rand(*x.shape) > dropout_ratio`,
// and backward passes dout where it survived. The mask comes from the layer's
// own Rng, which the Model seeds from its seed and the layer's index, and
// which a checkpoint saves, so a resumed run draws the masks it would have.
//
// ratio is a run-time member (a floating-point template argument is not
// portable C++20 yet), a double in float models too, so that the same
// generator draws the same mask in float and in double; 0.5 is the book's
// default. Set it on the whole model or on one layer:
//
//     using Net = ctnet::Sequential<ctnet::Affine<784, 100>, ctnet::Relu, ctnet::Dropout,
//                                   ctnet::Affine<100, 10>, ctnet::SoftmaxWithLoss>;
//     ctnet::Model<Net, float, 100> net;
//     net.set_dropout(0.15);          // every Dropout of the network
//     net.layer<2>().ratio = 0.2;     // or this one alone, 0 <= ratio < 1
template <DropoutKind Kind>
struct BasicDropout {
    static constexpr std::string_view name = Kind == DropoutKind::book ? "Dropout" : "InvertedDropout";
    static constexpr std::size_t output_width(std::size_t in) { return in; }

    template <class T, std::size_t B, std::size_t In>
    struct Impl {
        double ratio = 0.5;
        Rng rng{0};
        // 1 where the element survived the last training pass, else 0. All
        // ones until then, so a train_frozen pass before any draw drops nothing.
        Matrix<T, B, In> mask;

        Impl() { mask.fill(T(1)); }

        // A fresh stream: Model::initialize passes detail::layer_seed(seed, index) (net/layer_state.hpp).
        void seed(std::uint64_t s) { rng = Rng(s); }

        void forward(const Matrix<T, B, In>& x, Matrix<T, B, In>& y, Mode mode) {
            CTNET_ASSERT(ratio >= 0.0 && ratio < 1.0, "Dropout: ratio must lie in [0, 1)");
            if (mode == Mode::train) draw_mask();
            if (mode == Mode::infer) {
                if constexpr (Kind == DropoutKind::book) y = x * static_cast<T>(1.0 - ratio);
                else y = x;
            } else {
                if constexpr (Kind == DropoutKind::book) y = x * mask;
                else y = x * mask * keep_scale();
            }
        }

        // dx = dout * mask (times the same 1 / (1 - ratio) as forward, inverted).
        template <bool WantDx>
        void backward(const Matrix<T, B, In>&, const Matrix<T, B, In>&, const Matrix<T, B, In>& dy,
                      Matrix<T, B, In>* dx) const {
            if constexpr (WantDx) {
                if constexpr (Kind == DropoutKind::book) *dx = dy * mask;
                else *dx = dy * mask * keep_scale();
            }
        }

        // The layer-state protocol (net/layer_state.hpp): what a checkpoint
        // keeps. The ratio is kept because the book's inference output
        // depends on it; the mask is not, the next training pass redraws it.
        template <class V>
        void visit_state(V& v) {
            v.scalar("ratio", ratio);
            v.rng("rng", rng);
        }

    private:
        // Row by row in the book's element order, one uniform draw each; the
        // comparison is in double whatever T is (see ratio).
        void draw_mask() {
            for (std::size_t i = 0; i < B; ++i) {
                T* row = mask.row_ptr(i);
                for (std::size_t j = 0; j < In; ++j) row[j] = rng.uniform() > ratio ? T(1) : T(0);
            }
        }
        T keep_scale() const { return static_cast<T>(1.0 / (1.0 - ratio)); }
    };
};

// The book's Dropout: training keeps x where the mask survives, inference
// gives x * (1 - ratio).
using Dropout = BasicDropout<DropoutKind::book>;
// Training gives x * mask / (1 - ratio), inference x itself.
using InvertedDropout = BasicDropout<DropoutKind::inverted>;

}  // namespace ctnet
