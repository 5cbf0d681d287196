// convolution.hpp — Convolution<FN, FH, FW, Stride, Pad>: the book's im2col convolution (7.4), forward and backward.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string_view>
#include <type_traits>
#include <vector>

#include "../matrix/gemm.hpp"
#include "../matrix/matrix.hpp"
#include "../matrix/reduce.hpp"
#include "../parallel/pool.hpp"
#include "../random.hpp"
#include "direct_convolution.hpp"
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
// one row, in the book's element order; b has FN values. The images are
// taken in groups, as many as fill half the L2 cache with their im2col
// panels; each panel is transposed, so both operands of the products are
// read along rows, and a group's panels stand side by side:
//
//     col(k, p)  = the input under filter element k = (c, i, j) at output position p = (oh, ow)
//     out        = W col                          FN x (G OH OW): each image's output, + b, in its layout
//     dW        += dout col^T,  db += row sums of dout
//     dcol       = W^T dout, then col2im adds each element back where it came from
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
        // Images per product: as many panels side by side as fill half the
        // L2 cache (the panel is read FN times, by every filter), so that
        // each product is long enough for the kernels (576 columns of
        // SimpleConvNet's 5 x 5 alone ran at half their speed).
        static constexpr std::size_t G =
            std::clamp<std::size_t>(detail::gemm::l2_bytes / 2 / (K * P * sizeof(T)), 1, B);
        static constexpr std::size_t Rest = B % G;  // the last group's images, if fewer

    private:
        // At stride 1 (and padding less than the filter, so that dx is a
        // convolution too) the forward pass and dx run straight from padded
        // copies of the images (direct_convolution.hpp: no im2col panel),
        // each image on whichever thread takes it, and so does dW, from
        // groups of GD images. Other strides (and filters too wide for the
        // registers) take the panels above.
        using Forward = detail::DirectConvolution<T, C, FN, FH, FW, H + 2 * Pad, Wd + 2 * Pad, OH, OW>;
        using Backward = detail::DirectConvolution<T, FN, C, FH, FW, OH + 2 * (FH - 1 - Pad),
                                                   OW + 2 * (FW - 1 - Pad), H, Wd>;
        static constexpr bool direct = Stride == 1 && Pad < FH && Pad < FW && FW + 4 <= simd::register_count;

    public:
        // The weight gradient's images at a time (direct): as many padded
        // inputs and output gradients as fill half the L2 cache, since each
        // is read by every tile of dW, and no more than the tiles' rows of
        // output gradient keep in L1 (DeepConvNet's second layer: 1 image
        // at a time ran at 64% of peak, 4 at 50). Fewer mean more reductions.
        static constexpr std::size_t GD = [] {
            if constexpr (direct) {
                return std::clamp<std::size_t>(
                    std::min(detail::gemm::l2_bytes / 2 / ((Forward::in_size + Forward::out_size) * sizeof(T)),
                             Forward::l1_images),
                    1, B);
            } else {
                return std::size_t(1);
            }
        }();

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
            if constexpr (direct) {
                wt_ = transpose(W);
                for_images<Forward>([&](std::size_t n, T* in, T* out) {
                    Forward::template pad_image<H, Wd, Pad>(x.row_ptr(n), in);
                    Forward::template run<decltype(wt_)::stride>(in, wt_.data(), b.data(), out);
                    Forward::unpad_output(out, y.row_ptr(n));
                });
            } else {
                for_groups([&](std::size_t n0, auto& col, auto& out) {
                    constexpr std::size_t count = std::remove_cvref_t<decltype(col)>::cols / P;
                    for (std::size_t g = 0; g < count; ++g) im2col(x.row_ptr(n0 + g), col, g * P);
                    out = dot(W, col);
                    for (std::size_t g = 0; g < count; ++g) {
                        T* dst = y.row_ptr(n0 + g);
                        for (std::size_t f = 0; f < FN; ++f) {
                            const T* src = out.row_ptr(f) + g * P;
                            const T bias = b(0, f);
                            for (std::size_t p = 0; p < P; ++p) dst[f * P + p] = src[p] + bias;
                        }
                    }
                });
            }
        }

        template <bool WantDx>
        void backward(const Matrix<T, B, In.size()>& x, const Matrix<T, B, Out.size()>&,
                      const Matrix<T, B, Out.size()>& dy, Matrix<T, B, In.size()>* dx) {
            dW.set_zero();
            db.set_zero();
            if constexpr (direct) {
                for (std::size_t n0 = 0; n0 < B; n0 += GD) {
                    const std::size_t count = std::min(GD, B - n0);
                    parallel::for_chunks(count, [&](std::size_t first, std::size_t last) {
                        for (std::size_t g = first; g < last; ++g) {
                            Forward::template pad_image<H, Wd, Pad>(x.row_ptr(n0 + g), grad_.in.row_ptr(g));
                            Forward::pad_output(dy.row_ptr(n0 + g), grad_.dout.row_ptr(g));
                            for (std::size_t f = 0; f < FN; ++f) grad_.db(g, f) = Forward::output_sum(grad_.dout.row_ptr(g), f);
                        }
                    });
                    for (std::size_t g = 0; g < count; ++g)
                        for (std::size_t f = 0; f < FN; ++f) db(0, f) += grad_.db(g, f);
                    parallel::for_chunks(Forward::gradient_tiles, [&](std::size_t first, std::size_t last) {
                        Forward::template weight_gradient<Matrix<T, FN, K>::stride>(grad_.in.data(), grad_.dout.data(), count,
                                                                                   dW.data(), first, last);
                    });
                }
                if constexpr (WantDx) {
                    // dx is the convolution of dy, padded by FH - 1 - Pad, with
                    // each filter turned half round and its channels as the
                    // outputs: wtb_((f, FH-1-i, FW-1-j), c) = W(f, (c, i, j)).
                    for (std::size_t f = 0; f < FN; ++f)
                        for (std::size_t c = 0; c < C; ++c)
                            for (std::size_t i = 0; i < FH; ++i)
                                for (std::size_t j = 0; j < FW; ++j)
                                    wtb_(f * FH * FW + (FH - 1 - i) * FW + (FW - 1 - j), c) = W(f, (c * FH + i) * FW + j);
                    for_images<Backward>([&](std::size_t n, T* in, T* out) {
                        Backward::template pad_image<OH, OW, FH - 1 - Pad>(dy.row_ptr(n), in);
                        Backward::template run<decltype(wtb_)::stride>(in, wtb_.data(), nullptr, out);
                        Backward::unpad_output(out, dx->row_ptr(n));
                    });
                }
            } else {
                for_groups([&](std::size_t n0, auto& col, auto& dout) {
                    constexpr std::size_t count = std::remove_cvref_t<decltype(col)>::cols / P;
                    for (std::size_t g = 0; g < count; ++g) {
                        const T* src = dy.row_ptr(n0 + g);
                        for (std::size_t f = 0; f < FN; ++f) db(0, f) += copy_and_sum(src + f * P, dout.row_ptr(f) + g * P);
                        im2col(x.row_ptr(n0 + g), col, g * P);
                    }
                    dW += dot(dout, transpose(col));
                    if constexpr (WantDx) {
                        col = dot(transpose(W), dout);
                        for (std::size_t g = 0; g < count; ++g) col2im(col, g * P, dx->row_ptr(n0 + g));
                    }
                });
            }
            if (weight_decay != T(0)) dW += weight_decay * W;
        }

        T decay_loss() const { return weight_decay != T(0) ? T(0.5) * weight_decay * sum(W * W) : T(0); }

        template <class F>
        void for_each_param(F&& f) {
            f(std::string_view("W"), W, dW, false);
            f(std::string_view("b"), b, db, false);
        }

        // W is the book's (FN, C, FH, FW) filter bank; b is a vector of FN.
        static std::vector<std::size_t> param_shape(std::string_view base) {
            if (base == "W") return {FN, C, FH, FW};
            return {};
        }

    private:
        // f(image, flat input, output) for every image of the batch, across
        // the threads; each thread has its own buffers (zero but for what
        // pad_image writes, so their padding stays zero).
        template <class D, class F>
        static void for_images(const F& f) {
            parallel::for_chunks(B, [&](std::size_t first, std::size_t last) {
                struct Buffers {
                    Matrix<T, 1, D::in_size> in;
                    Matrix<T, 1, D::out_size> out;
                };
                static thread_local Buffers buffers;
                for (std::size_t n = first; n < last; ++n) f(n, buffers.in.data(), buffers.out.data());
            });
        }

        // f(first image, panel, output) for each group of G images, then for
        // the Rest, each with buffers of its own size.
        template <class F>
        void for_groups(F&& f) {
            for (std::size_t n0 = 0; n0 + G <= B; n0 += G) f(n0, panels_.col, panels_.out);
            if constexpr (Rest != 0) f(B - Rest, rest_.col, rest_.out);
        }

        // Copies one image's P gradients of one filter and returns their sum,
        // in 16 running sums (one a packet wide on AVX-512): a single one is a
        // chain of dependent adds, 3.5 times slower than the whole product.
        static T copy_and_sum(const T* src, T* dst) {
            constexpr std::size_t L = 16, body = P / L * L;
            T lane[L] = {};
            for (std::size_t p = 0; p < body; p += L)
                for (std::size_t l = 0; l < L; ++l) lane[l] += dst[p + l] = src[p + l];
            T total = 0;
            for (std::size_t p = body; p < P; ++p) total += dst[p] = src[p];
            for (std::size_t l = 0; l < L; ++l) total += lane[l];
            return total;
        }

        // The output columns ow whose input column ow Stride + j - Pad lies
        // inside the image: [first, last). Outside it the filter reads padding.
        static constexpr std::size_t first_ow(std::size_t j) {
            return j >= Pad ? 0 : (Pad - j + Stride - 1) / Stride;
        }
        static constexpr std::size_t last_ow(std::size_t j) {
            if (Wd + Pad <= j) return 0;
            const std::size_t n = (Wd + Pad - j + Stride - 1) / Stride;  // ow Stride + j - Pad < Wd
            return n < OW ? n : OW;
        }

        // One sample's input (C x H x W, row after row) as col(k, p); padding
        // reads as 0. Each (k, oh) is a run of OW values: zeros, a strided
        // copy of one input row (a plain copy at stride 1), zeros.
        template <class Panel>
        static void im2col(const T* x, Panel& col, std::size_t at) {
            for (std::size_t c = 0; c < C; ++c)
                for (std::size_t i = 0; i < FH; ++i)
                    for (std::size_t j = 0; j < FW; ++j) {
                        T* row = col.row_ptr((c * FH + i) * FW + j) + at;
                        const std::size_t lo = first_ow(j), hi = std::max(lo, last_ow(j));
                        for (std::size_t oh = 0; oh < OH; ++oh) {
                            const std::size_t ih = oh * Stride + i;  // in the padded input
                            T* dst = row + oh * OW;
                            if (ih < Pad || ih >= H + Pad) {
                                std::fill_n(dst, OW, T(0));
                                continue;
                            }
                            // Input column of ow: ow Stride + j - Pad, at least 0 from lo on.
                            const T* src = x + (c * H + (ih - Pad)) * Wd;
                            std::fill_n(dst, lo, T(0));
                            if constexpr (Stride == 1) {
                                std::copy(src + (lo + j - Pad), src + (hi + j - Pad), dst + lo);
                            } else {
                                for (std::size_t ow = lo; ow < hi; ++ow) dst[ow] = src[ow * Stride + j - Pad];
                            }
                            std::fill(dst + hi, dst + OW, T(0));
                        }
                    }
        }

        // The reverse: each col(k, p) added to the input element it was read
        // from (the padding's share is dropped), as the book's col2im.
        template <class Panel>
        static void col2im(const Panel& col, std::size_t at, T* dx) {
            std::fill_n(dx, In.size(), T(0));
            for (std::size_t c = 0; c < C; ++c)
                for (std::size_t i = 0; i < FH; ++i)
                    for (std::size_t j = 0; j < FW; ++j) {
                        const T* row = col.row_ptr((c * FH + i) * FW + j) + at;
                        const std::size_t lo = first_ow(j), hi = std::max(lo, last_ow(j));
                        for (std::size_t oh = 0; oh < OH; ++oh) {
                            const std::size_t ih = oh * Stride + i;
                            if (ih < Pad || ih >= H + Pad) continue;
                            T* dst = dx + (c * H + (ih - Pad)) * Wd;
                            const T* src = row + oh * OW;
                            for (std::size_t ow = lo; ow < hi; ++ow) dst[ow * Stride + j - Pad] += src[ow];
                        }
                    }
        }

        // The filters for the direct passes: W^T, and turned round for dx.
        Matrix<T, direct ? K : 1, direct ? FN : 1> wt_;
        Matrix<T, direct ? FN * FH * FW : 1, direct ? C : 1> wtb_;
        // and their bias gradients.
        template <class D>
        struct GradientBuffers {  // GD padded inputs, output gradients
            Matrix<T, GD, D::in_size> in;
            Matrix<T, GD, D::out_size> dout;
            Matrix<T, GD, FN> db;
        };
        // A group's panels side by side (and, in backward, their gradient),
        // and its outputs (in backward, their gradient): im2col's (stride > 1).
        struct PanelBuffers {
            Matrix<T, K, G * P> col;
            Matrix<T, FN, G * P> out;
        };
        struct RestBuffers {
            Matrix<T, K, (Rest ? Rest : 1) * P> col;
            Matrix<T, FN, (Rest ? Rest : 1) * P> out;
        };
        struct NoBuffers {};
        // (Named, not instantiated, where the layer is not direct.)
        [[no_unique_address]] std::conditional_t<direct, GradientBuffers<Forward>, NoBuffers> grad_;
        [[no_unique_address]] std::conditional_t<direct, NoBuffers, PanelBuffers> panels_;
        [[no_unique_address]] std::conditional_t<Rest != 0 && !direct, RestBuffers, NoBuffers> rest_;
    };
};

}  // namespace ctnet
