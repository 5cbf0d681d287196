// affine.hpp — Affine<In, Out>: y = x W + b, with dW = x^T dout (+ lambda W), db = column sums of dout, dx = dout W^T.
#pragma once

#include <cstddef>
#include <string_view>

#include "../matrix/matrix.hpp"
#include "../matrix/reduce.hpp"
#include "../random.hpp"
#include "init.hpp"
#include "layer.hpp"

namespace ctnet::inline CTNET_ABI {

// The fully connected layer (book 5.6). In is a width or a Shape<...>{} (an
// image is flattened, as the book's Affine reshapes its input).
//
// W is stored Out x In, the transpose of the book's In x Out. Then both large
// products of a step run along the In dimension, which is a whole number of
// packets for 784 (the book's orientation pads 50 columns to 56 or 64 and
// wastes up to 22% of every multiply). Parameter access (Model::param("W1"))
// presents the book's In x Out view.
//
//     using Net = ctnet::Sequential<ctnet::Affine<784, 50>, ctnet::Relu, ctnet::Affine<50, 10>,
//                                   ctnet::SoftmaxWithLoss>;
//     using Image = ctnet::Sequential<ctnet::Affine<ctnet::Shape<1, 28, 28>{}, 10>, ctnet::SoftmaxWithLoss>;
template <auto In, std::size_t Out>
struct Affine {
    static constexpr std::size_t input_width = detail::width_of<In>();
    static_assert(input_width > 0 && Out > 0, "ctnet: Affine<In, Out> needs positive widths");
    static constexpr std::string_view name = "Affine";
    static constexpr std::size_t output_width(std::size_t) { return Out; }

    template <class T, std::size_t B, std::size_t I>
    struct Impl {
        Matrix<T, Out, I> W;  // W(o, i) is the book's W[i][o]
        Matrix<T, 1, Out> b;
        Matrix<T, Out, I> dW;
        Matrix<T, 1, Out> db;
        // The L2 penalty's lambda (Model::set_weight_decay): the loss gains
        // 0.5 lambda sum W^2 and dW gains lambda W, as the book's
        // MultiLayerNet; the bias is exempt.
        T weight_decay = 0;

        void initialize(const Init& init, Rng& rng) {
            // Drawn in the book's element order, so the numbers do not depend on the storage.
            const T s = static_cast<T>(init.stddev_for(I));
            for (std::size_t i = 0; i < I; ++i)
                for (std::size_t o = 0; o < Out; ++o) W(o, i) = static_cast<T>(rng.normal()) * s;
            b.set_zero();
        }

        void forward(const Matrix<T, B, I>& x, Matrix<T, B, Out>& y) { y = dot(x, transpose(W)) + b; }

        template <bool WantDx>
        void backward(const Matrix<T, B, I>& x, const Matrix<T, B, Out>&, const Matrix<T, B, Out>& dy,
                      Matrix<T, B, I>* dx) {
            if constexpr (WantDx) *dx = dot(dy, W);  // dout W^T in the book's orientation
            dW = dot(transpose(dy), x);              // (x^T dout)^T
            if (weight_decay != T(0)) dW += weight_decay * W;
            db = col_sum(dy);                         // sum over the batch
        }

        // The penalty's share of the loss: 0.5 lambda sum W^2.
        T decay_loss() const { return weight_decay != T(0) ? T(0.5) * weight_decay * sum(W * W) : T(0); }

        // The SGD step fused into backward: W and b move by -lr times their
        // gradients as the products leave registers, and the gradients are
        // never stored. dx is taken first, from the W of this step.
        template <bool WantDx>
        void backward_sgd(const Matrix<T, B, I>& x, const Matrix<T, B, Out>& dy, Matrix<T, B, I>* dx, T lr) {
            if constexpr (WantDx) *dx = dot(dy, W);
            // W - lr (dW + lambda W): the decay first, from the W of this step.
            if (weight_decay != T(0)) W -= (lr * weight_decay) * W;
            W -= lr * dot(transpose(dy), x);
            b -= lr * col_sum(dy);
        }

        // f(name, value, gradient, stored_transposed) for each parameter.
        template <class F>
        void for_each_param(F&& f) {
            f(std::string_view("W"), W, dW, true);
            f(std::string_view("b"), b, db, false);
        }
    };
};

}  // namespace ctnet
