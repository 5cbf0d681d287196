// pooling.hpp — Pooling<PH, PW, Stride, Pad> (max, the book's 7.5) and AveragePooling: one value per window and channel.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "../matrix/matrix.hpp"
#include "../parallel/pool.hpp"
#include "layer.hpp"

namespace ctnet::inline CTNET_ABI {

enum class PoolKind { max, average };

// Windows of PH x PW moved `Stride` at a time over each channel of the input,
// padded with `Pad` zeros on each side, as the book's Pooling (its defaults
// too: stride 1, no padding): input C x H x W, output C x OH x OW with
// OH = (H + 2 Pad - PH) / Stride + 1. A window that does not fit, or a stride
// that does not divide (H + 2 Pad - PH), is a compile error naming the layer.
//
// Max pooling passes each window's largest value, the first of equal ones in
// the window's row order (np.argmax's), and backward sends dout to that
// element alone; a maximum in the padding (every real value negative) sends
// it nowhere, as the book's col2im drops the padding. Average pooling takes
// the mean of the PH PW values, padding zeros included, and backward gives
// each of them dout / (PH PW).
//
//     ctnet::Pooling<2, 2, 2>          // the book's SimpleConvNet: 2 x 2 windows, stride 2
//     ctnet::AveragePooling<2, 2, 2>
template <PoolKind Kind, std::size_t PH, std::size_t PW, std::size_t Stride = 1, std::size_t Pad = 0>
struct BasicPooling {
    static_assert(PH > 0 && PW > 0 && Stride > 0, "ctnet: Pooling needs a window of at least 1 x 1 and a stride of 1");
    static constexpr std::string_view name = Kind == PoolKind::max ? "Pooling" : "AveragePooling";

    static constexpr ShapeProblem shape_problem(Dims in) {
        if (in.h + 2 * Pad < PH || in.w + 2 * Pad < PW) return ShapeProblem::filter_larger_than_padded_input;
        if ((in.h + 2 * Pad - PH) % Stride != 0 || (in.w + 2 * Pad - PW) % Stride != 0)
            return ShapeProblem::stride_does_not_divide;
        return ShapeProblem::none;
    }
    static constexpr Dims output_shape(Dims in) {
        if (shape_problem(in) != ShapeProblem::none) return {in.c, 1, 1};  // reported by the network
        return {in.c, (in.h + 2 * Pad - PH) / Stride + 1, (in.w + 2 * Pad - PW) / Stride + 1};
    }

    template <class T, std::size_t B, Dims In>
    struct Impl {
        static constexpr std::size_t C = In.c, H = In.h, Wd = In.w;
        static constexpr Dims Out = output_shape(In);
        static constexpr std::size_t OH = Out.h, OW = Out.w;
        static_assert(shape_problem(In) == ShapeProblem::none, "ctnet: Pooling bound to a shape it cannot take");
        // Where each output's maximum came from, in its sample's input (max pooling).
        static constexpr std::uint32_t in_padding = UINT32_MAX;

        void forward(const Matrix<T, B, In.size()>& x, Matrix<T, B, Out.size()>& y) {
            if constexpr (Kind == PoolKind::max) argmax_.resize(B * Out.size());
            // Image by image, across the threads (each image whole on one).
            parallel::for_chunks(B, [&](std::size_t first, std::size_t last) {
                for (std::size_t n = first; n < last; ++n) forward_image(x, y, n);
            });
        }

        template <bool WantDx>
        void backward(const Matrix<T, B, In.size()>&, const Matrix<T, B, Out.size()>&,
                      const Matrix<T, B, Out.size()>& dy, Matrix<T, B, In.size()>* dx) const {
            if constexpr (WantDx) {
                parallel::for_chunks(B, [&](std::size_t first, std::size_t last) {
                    for (std::size_t n = first; n < last; ++n) backward_image(dy, *dx, n);
                });
            }
        }

    private:
        // One image's outputs (and, for max pooling, where each came from).
        void forward_image(const Matrix<T, B, In.size()>& x, Matrix<T, B, Out.size()>& y, std::size_t n) {
            const T* src = x.row_ptr(n);
            T* dst = y.row_ptr(n);
            if constexpr (Pad == 0) {
                forward_inside(src, dst, argmax_.data() + n * Out.size());
                return;
            }
            for (std::size_t c = 0; c < C; ++c)
                for (std::size_t oh = 0; oh < OH; ++oh)
                    for (std::size_t ow = 0; ow < OW; ++ow) {
                        const std::size_t o = (c * OH + oh) * OW + ow;
                        if constexpr (Kind == PoolKind::max) {
                            T best = T(0);
                            std::uint32_t at = in_padding;
                            bool first = true;
                            window(c, oh, ow, [&](std::size_t v, bool real) {
                                const T value = real ? src[v] : T(0);
                                if (first || value > best) {
                                    best = value;
                                    at = real ? static_cast<std::uint32_t>(v) : in_padding;
                                    first = false;
                                }
                            });
                            dst[o] = best;
                            argmax_[n * Out.size() + o] = at;
                        } else {
                            T total = 0;
                            window(c, oh, ow, [&](std::size_t v, bool real) { total += real ? src[v] : T(0); });
                            dst[o] = total / static_cast<T>(PH * PW);
                        }
                    }
        }

        // One image's input gradient: each output's to where its maximum was,
        // or shared evenly over its window.
        void backward_image(const Matrix<T, B, Out.size()>& dy, Matrix<T, B, In.size()>& dx, std::size_t n) const {
            const T* src = dy.row_ptr(n);
            T* dst = dx.row_ptr(n);
            for (std::size_t v = 0; v < In.size(); ++v) dst[v] = T(0);
            for (std::size_t c = 0; c < C; ++c)
                for (std::size_t oh = 0; oh < OH; ++oh)
                    for (std::size_t ow = 0; ow < OW; ++ow) {
                        const std::size_t o = (c * OH + oh) * OW + ow;
                        if constexpr (Kind == PoolKind::max) {
                            const std::uint32_t at = argmax_[n * Out.size() + o];
                            if (at != in_padding) dst[at] += src[o];
                        } else {
                            const T share = src[o] / static_cast<T>(PH * PW);
                            window(c, oh, ow, [&](std::size_t v, bool real) {
                                if (real) dst[v] += share;
                            });
                        }
                    }
        }

        // Without padding every window lies inside the image: no bounds to
        // test, and the window's size and the stride known to the compiler.
        static void forward_inside(const T* src, T* dst, [[maybe_unused]] std::uint32_t* argmax) {
            for (std::size_t c = 0; c < C; ++c)
                for (std::size_t oh = 0; oh < OH; ++oh) {
                    const std::size_t top = (c * H + oh * Stride) * Wd;  // the windows' first row
                    T* out = dst + (c * OH + oh) * OW;
                    // One window element (i, j) at a time across the whole output
                    // row: a loop over ow of strided loads and selects, which the
                    // compiler vectorizes (a branch per window mispredicted half
                    // the time: 3.5 ns an output on a Zen 5).
                    if constexpr (Kind == PoolKind::max) {
                        // In locals, which nothing else can alias.
                        T best[OW];
                        std::uint32_t which[OW];  // the window element, i PW + j
                        const T* first = src + top;
                        for (std::size_t ow = 0; ow < OW; ++ow) {
                            best[ow] = first[ow * Stride];
                            which[ow] = 0;
                        }
                        for (std::size_t i = 0; i < PH; ++i)
                            for (std::size_t j = (i == 0 ? 1 : 0); j < PW; ++j) {
                                const T* w = src + top + i * Wd + j;
                                const auto element = static_cast<std::uint32_t>(i * PW + j);
                                for (std::size_t ow = 0; ow < OW; ++ow) {
                                    const T v = w[ow * Stride];
                                    const bool wins = v > best[ow];
                                    best[ow] = wins ? v : best[ow];
                                    which[ow] = wins ? element : which[ow];
                                }
                            }
                        std::uint32_t* at = argmax + (c * OH + oh) * OW;
                        for (std::size_t ow = 0; ow < OW; ++ow) {
                            out[ow] = best[ow];
                            const std::uint32_t i = which[ow] / PW, j = which[ow] % PW;
                            at[ow] = static_cast<std::uint32_t>(top + i * Wd + ow * Stride + j);
                        }
                    } else {
                        for (std::size_t ow = 0; ow < OW; ++ow) out[ow] = T(0);
                        for (std::size_t i = 0; i < PH; ++i)
                            for (std::size_t j = 0; j < PW; ++j) {
                                const T* w = src + top + i * Wd + j;
                                for (std::size_t ow = 0; ow < OW; ++ow) out[ow] += w[ow * Stride];
                            }
                        for (std::size_t ow = 0; ow < OW; ++ow) out[ow] /= static_cast<T>(PH * PW);
                    }
                }
        }

        // f(index in the sample, inside the input?) for each element of
        // output (c, oh, ow)'s window, row by row.
        template <class F>
        static void window(std::size_t c, std::size_t oh, std::size_t ow, F&& f) {
            for (std::size_t i = 0; i < PH; ++i)
                for (std::size_t j = 0; j < PW; ++j) {
                    const std::size_t ih = oh * Stride + i, iw = ow * Stride + j;  // in the padded input
                    const bool real = ih >= Pad && ih < H + Pad && iw >= Pad && iw < Wd + Pad;
                    f(real ? (c * H + (ih - Pad)) * Wd + (iw - Pad) : 0, real);
                }
        }

        std::vector<std::uint32_t> argmax_;
    };
};

template <std::size_t PH, std::size_t PW, std::size_t Stride = 1, std::size_t Pad = 0>
using Pooling = BasicPooling<PoolKind::max, PH, PW, Stride, Pad>;
template <std::size_t PH, std::size_t PW, std::size_t Stride = 1, std::size_t Pad = 0>
using AveragePooling = BasicPooling<PoolKind::average, PH, PW, Stride, Pad>;

}  // namespace ctnet
