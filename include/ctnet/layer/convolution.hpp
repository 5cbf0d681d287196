// convolution.hpp — Convolution<FN, FH, FW, Stride, Pad>: the book's im2col convolution (7.4), forward and backward.
#pragma once

#include <cstddef>
#include <string_view>

#include "../matrix/matrix.hpp"
#include "../matrix/reduce.hpp"
#include "../random.hpp"
#include "init.hpp"
#include "layer.hpp"

namespace ctnet::inline CTNET_ABI {

// FN filters of FH x FW over every channel of the input, moved `Stride` at a
// time over the input padded with `Pad` zeros on each side (book 7.4): input
// C x H x W, output FN x OH x OW with OH = (H + 2 Pad - FH) / Stride + 1 (the
// same for OW). A filter larger than the padded input, or a stride that does
// not divide (H + 2 Pad - FH), is a compile error naming the layer.
//
// W is FN x (C FH FW), the book's (FN, C, FH, FW) array with each filter as
// one row, in the book's element order; b has FN values. Each sample is
// computed as one product of W with the im2col panel of that sample,
// transposed so that both operands are read along rows:
//
//     col(k, p)  = the input under filter element k = (c, i, j) at output position p = (oh, ow)
//     y_n        = W col + b                      FN x (OH OW): the output's layout
//     dW        += dy_n col^T,  db += row sums of dy_n
//     dcol       = W^T dy_n, then col2im adds each element back where it came from
//
// which are the book's forward and backward (col W^T and its transposes)
// with the products turned around.
//
//     using SimpleConvNet = ctnet::Sequential<ctnet::Input<ctnet::Shape<1, 28, 28>{}>,
//                                             ctnet::Convolution<30, 5, 5>, ctnet::Relu, ...>;
template <std::size_t FN, std::size_t FH, std::size_t FW, std::size_t Stride = 1, std::size_t Pad = 0>
struct Convolution {
    static_assert(FN > 0 && FH > 0 && FW > 0, "ctnet: Convolution<FN, FH, FW> needs at least one filter of 1 x 1");
    static_assert(Stride > 0, "ctnet: Convolution's stride must be at least 1");
    static constexpr std::string_view name = "Convolution";

    static constexpr ShapeProblem shape_problem(Dims in) {
        if (in.h + 2 * Pad < FH || in.w + 2 * Pad < FW) return ShapeProblem::filter_larger_than_padded_input;
        if ((in.h + 2 * Pad - FH) % Stride != 0 || (in.w + 2 * Pad - FW) % Stride != 0)
            return ShapeProblem::stride_does_not_divide;
        return ShapeProblem::none;
    }
    static constexpr Dims output_shape(Dims in) {
        if (shape_problem(in) != ShapeProblem::none) return {FN, 1, 1};  // reported by the network
        return {FN, (in.h + 2 * Pad - FH) / Stride + 1, (in.w + 2 * Pad - FW) / Stride + 1};
    }

    template <class T, std::size_t B, Dims In>
    struct Impl {
        static constexpr std::size_t C = In.c, H = In.h, Wd = In.w;
        static constexpr Dims Out = output_shape(In);
        static constexpr std::size_t OH = Out.h, OW = Out.w;
        static constexpr std::size_t K = C * FH * FW;  // values under one filter
        static constexpr std::size_t P = OH * OW;      // output positions
        static_assert(shape_problem(In) == ShapeProblem::none, "ctnet: Convolution bound to a shape it cannot take");

        Matrix<T, FN, K> W;  // filter f is row f: (c, i, j) in the book's order
        Matrix<T, 1, FN> b;
        Matrix<T, FN, K> dW;
        Matrix<T, 1, FN> db;
        T weight_decay = 0;  // Model::set_weight_decay, as Affine's

        void initialize(const Init& init, Rng& rng) {
            const T s = static_cast<T>(init.stddev_for(K));  // fan-in C FH FW, as the book's He weights
            for (std::size_t f = 0; f < FN; ++f)
                for (std::size_t k = 0; k < K; ++k) W(f, k) = static_cast<T>(rng.normal()) * s;
            b.set_zero();
        }

        void forward(const Matrix<T, B, In.size()>& x, Matrix<T, B, Out.size()>& y) {
            for (std::size_t n = 0; n < B; ++n) {
                im2col(x.row_ptr(n), col_);
                out_ = dot(W, col_);
                T* dst = y.row_ptr(n);
                for (std::size_t f = 0; f < FN; ++f) {
                    const T* src = out_.row_ptr(f);
                    for (std::size_t p = 0; p < P; ++p) dst[f * P + p] = src[p] + b(0, f);
                }
            }
        }

        template <bool WantDx>
        void backward(const Matrix<T, B, In.size()>& x, const Matrix<T, B, Out.size()>&,
                      const Matrix<T, B, Out.size()>& dy, Matrix<T, B, In.size()>* dx) {
            dW.set_zero();
            db.set_zero();
            for (std::size_t n = 0; n < B; ++n) {
                const T* src = dy.row_ptr(n);
                for (std::size_t f = 0; f < FN; ++f) {
                    T* d = out_.row_ptr(f);
                    T sum = 0;
                    for (std::size_t p = 0; p < P; ++p) sum += d[p] = src[f * P + p];
                    db(0, f) += sum;
                }
                im2col(x.row_ptr(n), col_);
                dW += dot(out_, transpose(col_));
                if constexpr (WantDx) {
                    col_ = dot(transpose(W), out_);
                    col2im(col_, dx->row_ptr(n));
                }
            }
            if (weight_decay != T(0)) dW += weight_decay * W;
        }

        T decay_loss() const { return weight_decay != T(0) ? T(0.5) * weight_decay * sum(W * W) : T(0); }

        template <class F>
        void for_each_param(F&& f) {
            f(std::string_view("W"), W, dW, false);
            f(std::string_view("b"), b, db, false);
        }

    private:
        // One sample's input (C x H x W, row after row) as col(k, p); padding reads as 0.
        static void im2col(const T* x, Matrix<T, K, P>& col) {
            for (std::size_t c = 0; c < C; ++c)
                for (std::size_t i = 0; i < FH; ++i)
                    for (std::size_t j = 0; j < FW; ++j) {
                        T* row = col.row_ptr((c * FH + i) * FW + j);
                        for (std::size_t oh = 0; oh < OH; ++oh) {
                            const std::size_t ih = oh * Stride + i;  // in the padded input
                            T* dst = row + oh * OW;
                            if (ih < Pad || ih >= H + Pad) {
                                for (std::size_t ow = 0; ow < OW; ++ow) dst[ow] = T(0);
                                continue;
                            }
                            const T* src = x + (c * H + (ih - Pad)) * Wd;
                            for (std::size_t ow = 0; ow < OW; ++ow) {
                                const std::size_t iw = ow * Stride + j;
                                dst[ow] = iw < Pad || iw >= Wd + Pad ? T(0) : src[iw - Pad];
                            }
                        }
                    }
        }

        // The reverse: each col(k, p) added to the input element it was read
        // from (the padding's share is dropped), as the book's col2im.
        static void col2im(const Matrix<T, K, P>& col, T* dx) {
            for (std::size_t v = 0; v < In.size(); ++v) dx[v] = T(0);
            for (std::size_t c = 0; c < C; ++c)
                for (std::size_t i = 0; i < FH; ++i)
                    for (std::size_t j = 0; j < FW; ++j) {
                        const T* row = col.row_ptr((c * FH + i) * FW + j);
                        for (std::size_t oh = 0; oh < OH; ++oh) {
                            const std::size_t ih = oh * Stride + i;
                            if (ih < Pad || ih >= H + Pad) continue;
                            T* dst = dx + (c * H + (ih - Pad)) * Wd;
                            const T* src = row + oh * OW;
                            for (std::size_t ow = 0; ow < OW; ++ow) {
                                const std::size_t iw = ow * Stride + j;
                                if (iw >= Pad && iw < Wd + Pad) dst[iw - Pad] += src[ow];
                            }
                        }
                    }
        }

        Matrix<T, K, P> col_;   // one sample's panel (and, in backward, its gradient)
        Matrix<T, FN, P> out_;  // one sample's output (and, in backward, its gradient)
    };
};

}  // namespace ctnet
