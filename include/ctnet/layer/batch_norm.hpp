// batch_norm.hpp — BatchNorm: each column normalised by the batch's mean and variance, then scaled by gamma and shifted by beta.
#pragma once

#include <cstddef>
#include <string_view>

#include "../matrix/matrix.hpp"
#include "../matrix/reduce.hpp"
#include "../random.hpp"
#include "init.hpp"
#include "layer.hpp"
#include "mode.hpp"

namespace ctnet::inline CTNET_ABI {

// Batch normalisation (book 6.3), computed as the book's common/layers.py
// BatchNormalization computes it, operation for operation:
//
//   train  mu = mean(x), xc = x - mu, var = mean(xc^2), std = sqrt(var + eps),
//          xn = xc / std (means and variances per column, over the batch);
//          running = momentum * running + (1 - momentum) * batch statistic
//   infer  xn = (x - running_mean) / sqrt(running_var + eps)
//   both   y = gamma * xn + beta
//
// gamma (ones) and beta (zeros) are parameters: optimizers, checkpoints and
// the gradient check see them as gamma1, beta1, ... (numbered as the book
// numbers them, by BatchNorm layer). They take no weight decay, as the book
// decays W alone. The running statistics start at zero, as the book's
// (inference before any training step divides by sqrt(eps)), and are kept in
// a checkpoint's "layers" section.
//
//     using Net = ctnet::Sequential<ctnet::Affine<784, 100>, ctnet::BatchNorm, ctnet::Relu,
//                                   ctnet::Affine<100, 10>, ctnet::SoftmaxWithLoss>;
struct BatchNorm {
    static constexpr std::string_view name = "BatchNorm";
    static constexpr std::size_t output_width(std::size_t in) { return in; }
    // The book writes 10e-7.
    static constexpr double eps = 10e-7;

    template <class T, std::size_t B, std::size_t In>
    struct Impl {
        Matrix<T, 1, In> gamma, beta, dgamma, dbeta;
        Matrix<T, 1, In> running_mean, running_var;
        T momentum = T(0.9);
        // The last training pass's, for backward (the book's self.xc, xn, std).
        Matrix<T, B, In> xc, xn;
        Matrix<T, 1, In> stddev;

        Impl() { gamma.fill(T(1)); }

        // gamma = 1, beta = 0 and fresh running statistics; draws nothing.
        void initialize(const Init&, Rng&) {
            gamma.fill(T(1));
            beta.set_zero();
            running_mean.set_zero();
            running_var.set_zero();
        }

        void forward(const Matrix<T, B, In>& x, Matrix<T, B, In>& y, Mode mode) {
            if (!trains(mode)) {
                // The book keeps this xc and xn local: backward still sees the training pass's.
                scratch_a_ = sqrt(running_var + static_cast<T>(eps));
                y = gamma * ((x - running_mean) / scratch_a_) + beta;
                return;
            }
            scratch_a_ = col_sum(x) / static_cast<T>(B);  // mu
            xc = x - scratch_a_;
            scratch_b_ = col_sum(xc * xc) / static_cast<T>(B);  // var
            stddev = sqrt(scratch_b_ + static_cast<T>(eps));
            xn = xc / stddev;
            if (mode == Mode::train) {
                running_mean = momentum * running_mean + (T(1) - momentum) * scratch_a_;
                running_var = momentum * running_var + (T(1) - momentum) * scratch_b_;
            }
            y = gamma * xn + beta;
        }

        // The book's backward, term for term (dxn = gamma * dout is not stored but recomputed).
        template <bool WantDx>
        void backward(const Matrix<T, B, In>&, const Matrix<T, B, In>&, const Matrix<T, B, In>& dy,
                      Matrix<T, B, In>* dx) {
            dbeta = col_sum(dy);
            dgamma = col_sum(xn * dy);
            if constexpr (WantDx) {
                Matrix<T, B, In>& dxc = *dx;  // built in place: dx is a buffer of the model's, not an input
                dxc = gamma * dy / stddev;
                scratch_a_ = -col_sum(gamma * dy * xc / (stddev * stddev));  // dstd
                scratch_b_ = T(0.5) * scratch_a_ / stddev;                   // dvar
                dxc += (T(2) / static_cast<T>(B)) * xc * scratch_b_;
                scratch_a_ = col_sum(dxc);  // dmu
                dxc -= scratch_a_ / static_cast<T>(B);
            }
        }

        template <class F>
        void for_each_param(F&& f) {
            f(std::string_view("gamma"), gamma, dgamma, false);
            f(std::string_view("beta"), beta, dbeta, false);
        }

        // The layer-state protocol (net/layer_state.hpp): what a checkpoint
        // keeps besides gamma and beta.
        template <class V>
        void visit_state(V& v) {
            v.matrix("running_mean", running_mean);
            v.matrix("running_var", running_var);
        }

    private:
        // Rows of per-column values that live only inside one call; members,
        // so that a wide layer allocates nothing in a step.
        Matrix<T, 1, In> scratch_a_, scratch_b_;
    };
};

}  // namespace ctnet
