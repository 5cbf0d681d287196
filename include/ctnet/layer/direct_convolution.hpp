// direct_convolution.hpp — detail::DirectConvolution: a stride-1 convolution of one image straight from its padded copy, no im2col panel.
#pragma once

#include <algorithm>
#include <cstddef>

#include "../config.hpp"
#include "../matrix/gemm.hpp"
#include "../matrix/matrix.hpp"
#include "../simd/packet.hpp"

namespace ctnet::inline CTNET_ABI::detail {

// Why: im2col writes every input value FH FW times into a panel that the
// product then reads back. With 16 or 32 filters that copy costs as much as
// the product itself (DeepConvNet's 3 x 3 layers spent half their time on
// it). At stride 1 the panel is not needed: lay the padded image out flat,
// each channel's rows WP apart, and output position q = oh WP + ow reads
// the input at q + (i WP + j) for filter element (i, j). Every filter
// element is then one contiguous run of the flat input, so SIMD packets of
// consecutive q load straight from it. The q with ow >= OW (the WP - OW
// padding columns of each row) are computed and thrown away: OW / WP of the
// work is useful (28 / 30 for a 28-wide image, 8 / 10 for an 8-wide one).
//
// Cin channels of HP x WP (padding included) in, Cout channels of OH x OW
// out, filters FH x FW. The weights are given as wt(k, o) = filter o's
// element k = (c, i, j), so that the Cout values of one k are contiguous.
// Used for the forward pass (x padded by Pad) and for dx, which is the same
// convolution of dy padded by FH - 1 - Pad with the filters turned around
// (Convolution::backward).
// A register tile of rows x cols accumulators over a rows x cols whole, for
// a kernel that per step loads one value per row (aligned, or broadcast)
// and one unaligned packet per column (two cache lines), and multiplies
// each row by each column: a tile costs rows cols multiply-adds or rows +
// 2 cols loads, whichever is more (two of each per cycle), and the best
// tile is the one whose tiles, edges included, cost least, the larger on a
// tie. The accumulators, the `held` values a step keeps in registers (one
// per column, or one per row) and one more fit the register file with two
// to spare.
struct RegisterTile {
    std::size_t rows, cols;
};
enum class Held { columns, rows };
constexpr std::size_t tiles_cost(std::size_t rows, std::size_t cols, std::size_t r, std::size_t c) {
    auto cost = [](std::size_t m, std::size_t v) { return std::max(m * v, m + 2 * v); };
    const std::size_t fr = rows / r, rr = rows % r, fc = cols / c, rc = cols % c;
    return fr * fc * cost(r, c) + (rr ? fc * cost(rr, c) : 0) + (rc ? fr * cost(r, rc) : 0) +
           (rr && rc ? cost(rr, rc) : 0);
}
constexpr RegisterTile tiling(std::size_t rows, std::size_t cols, Held held) {
    RegisterTile best{1, 1};
    for (std::size_t c = 1; c <= cols; ++c)
        for (std::size_t r = 1; r <= rows; ++r) {
            if (r * c + (held == Held::columns ? c : r) + 3 > simd::register_count) continue;
            const std::size_t now = tiles_cost(rows, cols, r, c), then = tiles_cost(rows, cols, best.rows, best.cols);
            if (now < then || (now == then && r * c > best.rows * best.cols)) best = {r, c};
        }
    return best;
}

template <class T, std::size_t Cin, std::size_t Cout, std::size_t FH, std::size_t FW, std::size_t HP,
          std::size_t WP, std::size_t OH, std::size_t OW>
struct DirectConvolution {
    using P = simd::packet_t<T>;
    static constexpr std::size_t L = simd::lanes<T>;
    static constexpr std::size_t K = Cin * FH * FW;
    static_assert(HP - FH + 1 == OH && WP - FW + 1 == OW, "DirectConvolution: output size of a stride-1 convolution");
    // Output positions computed: every row but the last WP wide, in packets.
    static constexpr std::size_t Q = (OH - 1) * WP + OW;
    static constexpr std::size_t NQ = (Q + L - 1) / L;
    // A channel of the flat input: its HP x WP values, and room for the
    // farthest packet read, at q = NQ L - 1 plus the last filter offset.
    // The room stays zero, as does the padding: only the interior is ever written.
    static constexpr std::size_t CS = (std::max(HP * WP, (FH - 1) * WP + FW - 1 + NQ * L) + L - 1) / L * L;
    static constexpr std::size_t in_size = Cin * CS;
    static constexpr std::size_t out_size = Cout * NQ * L;

    // Register tiles. The forward pass: MR output channels x NV packets of
    // positions, the MR NV accumulators beside the NV input packets and a
    // broadcast weight. The weight gradient: DR output channels x DK filter
    // elements, each accumulator a packet of positions, beside DR packets of
    // the output's gradient and one of input. Two registers are left spare:
    // GCC spills a tile that needs all 32 of AVX-512 (5 x 5 ran at 70% of
    // peak, 8 x 3 at 99). Each is chosen by the cost of the whole in tiles,
    // the part tiles at the edges included (tiling): DeepConvNet's 8 x 8
    // layers (5 packets of positions) take 8 x 3 where 6 x 4 leaves a 6 x 1
    // edge bound by loads.
    static constexpr RegisterTile forward_tile = tiling(Cout, NQ, Held::columns);
    static constexpr std::size_t MR = forward_tile.rows, NV = forward_tile.cols;
    // The weight gradient's tile is DR output channels by one row of a
    // filter (FW elements of one channel and filter row, read at one
    // address plus 0 .. FW - 1): free tiles over k needed an address per
    // element, and GCC, short of registers, spilled the accumulators (30%
    // of peak against 60-90).
    static constexpr std::size_t DR = tiling(Cout, FW, Held::rows).rows;

    // Writes one image (Cin x H x W, row after row) into the flat input,
    // `pad` rows and columns from the top left of each channel.
    template <std::size_t H, std::size_t W, std::size_t pad>
    static void pad_image(const T* x, T* in) {
        static_assert(H + 2 * pad == HP && W + 2 * pad == WP, "DirectConvolution: padded size");
        for (std::size_t c = 0; c < Cin; ++c)
            for (std::size_t h = 0; h < H; ++h) copy_row<W>(x + (c * H + h) * W, in + c * CS + (h + pad) * WP + pad);
    }

    // out(o, q) = bias(o) + sum over k of wt(k, o) in(c, q + i WP + j), for
    // every o and every computed q. bias may be null (zero).
    template <std::size_t WS>
    static void run(const T* in, const T* wt, const T* bias, T* out) {
        constexpr std::size_t full_m = Cout / MR * MR, full_q = NQ / NV * NV;
        for (std::size_t o = 0; o < full_m; o += MR) {
            for (std::size_t q = 0; q < full_q; q += NV) tile<WS, MR, NV>(in, wt, bias, out, o, q);
            if constexpr (full_q < NQ) tile<WS, MR, NQ - full_q>(in, wt, bias, out, o, full_q);
        }
        if constexpr (full_m < Cout) {
            for (std::size_t q = 0; q < full_q; q += NV) tile<WS, Cout - full_m, NV>(in, wt, bias, out, full_m, q);
            if constexpr (full_q < NQ) tile<WS, Cout - full_m, NQ - full_q>(in, wt, bias, out, full_m, full_q);
        }
    }

    // The useful positions of the output (ow < OW of each row) into dst,
    // Cout x OH x OW row after row.
    static void unpad_output(const T* out, T* dst) {
        for (std::size_t o = 0; o < Cout; ++o)
            for (std::size_t h = 0; h < OH; ++h) copy_row<OW>(out + o * NQ * L + h * WP, dst + (o * OH + h) * OW);
    }

    // The reverse, for the gradient of the output: dy (Cout x OH x OW) into
    // the positions of out whose ow < OW; the others stay zero.
    static void pad_output(const T* dy, T* out) {
        for (std::size_t o = 0; o < Cout; ++o)
            for (std::size_t h = 0; h < OH; ++h) copy_row<OW>(dy + (o * OH + h) * OW, out + o * NQ * L + h * WP);
    }

    // The sum of output channel o of out (pad_output's zeros add nothing).
    static T output_sum(const T* out, std::size_t o) {
        P s = P::zero();
        for (std::size_t v = 0; v < NQ; ++v) s = s + P::load(out + o * NQ * L + v * L);
        return reduce_add(s);
    }

    // dw(o, k) += sum over the images and positions of dout(o, q) in(c, q +
    // i WP + j), for `count` images whose flat inputs lie in_size apart from
    // `in` and whose output gradients (pad_output) out_size apart from
    // `dout`. In tiles of DR channels by one filter row, each summed over
    // all the images before it is reduced (a reduction per image would cost
    // more than the image's multiply-adds); tiles [first, last) of the
    // grid of them, so that threads can share the work, each tile's sums in
    // one fixed order.
    static constexpr std::size_t gradient_tiles = (Cout + DR - 1) / DR * Cin * FH;
    // How many images' output gradients a tile's rows of them fill half the
    // L1 cache with: they are read again by the tile of the next filter row.
    static constexpr std::size_t l1_images =
        std::max<std::size_t>(1, gemm::l1_bytes / 2 / (DR * NQ * L * sizeof(T)));
    template <std::size_t WS>
    static void weight_gradient(const T* in, const T* dout, std::size_t count, T* dw, std::size_t first,
                                std::size_t last) {
        for (std::size_t t = first; t < last; ++t) {
            const std::size_t o0 = t / (Cin * FH) * DR, row = t % (Cin * FH);  // row = c FH + i
            if (o0 + DR <= Cout) gradient_tile_at<WS, DR>(in, dout, count, dw, o0, row);
            else if constexpr (Cout % DR != 0) gradient_tile_at<WS, Cout % DR>(in, dout, count, dw, o0, row);
        }
    }

private:
    // n values, in packets, the last one overlapping the one before where n
    // is not a multiple of the packet: std::copy_n of a 28-value row is a
    // call to memmove, and these copies took a tenth of DeepConvNet's step.
    template <std::size_t n>
    CTNET_INLINE static void copy_row(const T* src, T* dst) {
        if constexpr (n >= L) {
            for (std::size_t i = 0; i + L <= n; i += L) P::loadu(src + i).storeu(dst + i);
            if constexpr (n % L != 0) P::loadu(src + n - L).storeu(dst + n - L);
        } else {
            for (std::size_t i = 0; i < n; ++i) dst[i] = src[i];
        }
    }

    template <std::size_t WS, std::size_t mr, std::size_t nv>
    CTNET_INLINE static void tile(const T* in, const T* wt, const T* bias, T* out, std::size_t o0, std::size_t q0) {
        P acc[mr][nv];
        for (std::size_t m = 0; m < mr; ++m) {
            const P start = bias ? P::broadcast(bias[o0 + m]) : P::zero();
            for (std::size_t v = 0; v < nv; ++v) acc[m][v] = start;
        }
        const T* base = in + q0 * L;
        for (std::size_t c = 0; c < Cin; ++c) {
            const T* channel = base + c * CS;
            const T* w = wt + c * FH * FW * WS + o0;
#pragma GCC unroll 16
            for (std::size_t ij = 0; ij < FH * FW; ++ij) {
                const T* src = channel + ij / FW * WP + ij % FW;
                P x[nv];
                for (std::size_t v = 0; v < nv; ++v) x[v] = P::loadu(src + v * L);
                for (std::size_t m = 0; m < mr; ++m) {
                    // One broadcast for nv multiply-adds: left to itself GCC folds
                    // it into each of them as a memory operand, nv loads instead of
                    // one, and the kernel is bound by loads (80% of peak, not 90).
                    P wb = P::broadcast(w[ij * WS + m]);
                    if constexpr (nv > 1) simd::keep_in_register(wb);
                    for (std::size_t v = 0; v < nv; ++v) acc[m][v] = fmadd(wb, x[v], acc[m][v]);
                }
            }
        }
        for (std::size_t m = 0; m < mr; ++m)
            for (std::size_t v = 0; v < nv; ++v) acc[m][v].store(out + (o0 + m) * NQ * L + (q0 + v) * L);
    }

    template <std::size_t WS, std::size_t dr>
    CTNET_INLINE static void gradient_tile_at(const T* in, const T* dout, std::size_t count, T* dw, std::size_t o0,
                                              std::size_t row) {
        const T* at = in + row / FH * CS + row % FH * WP;  // filter row (c, i) of image 0
        P acc[dr][FW];
        for (std::size_t m = 0; m < dr; ++m)
            for (std::size_t j = 0; j < FW; ++j) acc[m][j] = P::zero();
        for (std::size_t n = 0; n < count; ++n) {
            const T* grad = dout + n * out_size + o0 * NQ * L;
            const T* image = at + n * in_size;
            for (std::size_t v = 0; v < NQ; ++v) {
                P g[dr];
                for (std::size_t m = 0; m < dr; ++m) {
                    // Loaded once for FW multiply-adds (GCC would fold the load into each).
                    g[m] = P::load(grad + m * NQ * L + v * L);
                    simd::keep_in_register(g[m]);
                }
                for (std::size_t j = 0; j < FW; ++j) {
                    const P x = P::loadu(image + j + v * L);
                    for (std::size_t m = 0; m < dr; ++m) acc[m][j] = fmadd(g[m], x, acc[m][j]);
                }
            }
        }
        for (std::size_t m = 0; m < dr; ++m)
            for (std::size_t j = 0; j < FW; ++j) dw[(o0 + m) * WS + row * FW + j] += reduce_add(acc[m][j]);
    }
};

}  // namespace ctnet::inline CTNET_ABI::detail
