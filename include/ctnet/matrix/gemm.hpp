// gemm.hpp — the product kernels: register tiles unrolled for shapes known at compile time.
//
// Two families, chosen by the operands' layout (product.hpp):
//   outer  C(i, :) += a(i, k) * B(k, :)    dot(a, b), dot(transpose(a), b)
//          a broadcast scalar times a row packet of B; vectorised along C's rows.
//   inner  C(i, j)  = A(i, :) . B(j, :)     dot(a, transpose(b))
//          both rows contiguous along k, padding zero; vectorised along k, so a
//          784-long k wastes nothing even when C has 50 or 10 columns.
// Each result tile passes through the assignment's expression (bias,
// activation, scale) and its mode (=, +=, -=) before it leaves registers.
#pragma once

#include <algorithm>
#include <cstddef>

#include "../config.hpp"
#include "../simd/packet.hpp"

#if defined(__clang__)
#  define CTNET_UNROLL _Pragma("unroll")
#  define CTNET_NO_UNROLL _Pragma("nounroll")
#elif defined(__GNUC__)
#  define CTNET_UNROLL _Pragma("GCC unroll 32")
#  define CTNET_NO_UNROLL _Pragma("GCC unroll 1")
#else
#  define CTNET_UNROLL
#  define CTNET_NO_UNROLL
#endif

namespace ctnet::inline CTNET_ABI::detail {

template <class Mode, std::size_t Cols, class T, class P>
CTNET_INLINE void store_packet(T* p, std::size_t j, P v);

namespace gemm {

// The machine model the tile choice optimises: two FMA pipes with a 4-cycle
// latency (so 8 independent accumulators keep them busy) and two vector loads
// per cycle. True of Zen 2-5 and of recent Intel cores; close enough elsewhere.
// (A cycle of margin on the latency was tried: the step measured 2% slower.)
inline constexpr double fma_per_cycle = 2.0;
inline constexpr double loads_per_cycle = 2.0;
inline constexpr double fma_latency = 4.0;
inline constexpr std::size_t l1_bytes = 32 * 1024;

struct Tile {
    std::size_t mr = 1, nr = 1;
};

// Cycles one k-step of a tile with `accs` accumulators and `loads` loads takes.
constexpr double step_cycles(std::size_t accs, std::size_t loads) {
    return std::max({static_cast<double>(accs) / fma_per_cycle, static_cast<double>(loads) / loads_per_cycle,
                     fma_latency});
}

// Modelled cycles per k-step for the M rows of one block of nr packets (outer)
// or rows (inner) cut into tiles of height mr, remainder tile included.
// b_cost is what one load of B counts for: 2 when the block's panel of B
// cannot stay in L1 and streams from L2 at half the bandwidth.
template <std::size_t M>
constexpr double block_cycles(std::size_t mr, std::size_t nr, double b_cost = 1) {
    const auto loads = [&](std::size_t m) { return static_cast<std::size_t>(static_cast<double>(m) + b_cost * static_cast<double>(nr)); };
    double cost = static_cast<double>(M / mr) * step_cycles(mr * nr, loads(mr));
    if (M % mr) cost += step_cycles((M % mr) * nr, loads(M % mr));
    return cost;
}

// The best tile height for a block of exactly nr packets or rows: the last,
// narrower block of a product gets its own, taller tiles, so it still has
// enough accumulators to cover the FMA latency.
template <std::size_t M>
constexpr std::size_t best_height(std::size_t nr, double b_cost = 1) {
    std::size_t best = 1;
    for (std::size_t mr = 1; mr <= std::min<std::size_t>(M, 16); ++mr)
        if (mr * nr + nr + 1 <= simd::register_count &&
            block_cycles<M>(mr, nr, b_cost) < block_cycles<M>(best, nr, b_cost) + 1e-9)
            best = mr;  // ties go to the taller tile: fewer loads of B per FMA
    return best;
}
template <std::size_t M, std::size_t nr, std::size_t b_unit_bytes = 0>
constexpr std::size_t choose_height() {
    return best_height<M>(nr, nr * b_unit_bytes > l1_bytes ? 2.0 : 1.0);
}

// The tile minimising modelled cycles over the whole M x NB grid, remainder
// tiles included. NB counts packets (outer) or rows of B (inner). Besides its
// mr x nr accumulators a tile pins nr operand packets and one more for the
// operand it streams (keep_in_register), so all must fit the register file.
//
// max_nr caps how many rows of B a tile streams at once: when B comes from L2,
// more than about five concurrent streams outrun what the prefetcher feeds
// (measured on 1 x 784 * (50 x 784)^T with AVX2: 1.33 us at 5 rows, 1.96 at 8).
// b_unit_bytes is the size of B's panel per unit of nr (outer: a column of
// packets, K * W elements), so that a panel too large for L1 makes its loads
// dearer (measured on 100x784 * 784x50, AVX2: 2x5 tiles 74%, 6x2 88%).
template <std::size_t M, std::size_t NB, std::size_t max_nr = 8, std::size_t b_unit_bytes = 0>
constexpr Tile choose_tile() {
    Tile best;
    double best_cost = 1e300, best_loads_per_fma = 1e300;
    for (std::size_t mr = 1; mr <= std::min<std::size_t>(M, 16); ++mr) {
        for (std::size_t nr = 1; nr <= std::min<std::size_t>(NB, max_nr); ++nr) {
            if (mr * nr + nr + 1 > simd::register_count) continue;
            const double b_cost = nr * b_unit_bytes > l1_bytes ? 2.0 : 1.0;
            double cost = static_cast<double>(NB / nr) * block_cycles<M>(mr, nr, b_cost);
            if (const std::size_t rn = NB % nr) {
                const double rn_cost = rn * b_unit_bytes > l1_bytes ? 2.0 : 1.0;
                cost += block_cycles<M>(best_height<M>(rn, rn_cost), rn, rn_cost);
            }
            // Ties go to the tile with fewer loads per FMA (measured: 6x2 tiles
            // beat 2x5, which the cycle count alone cannot tell apart).
            const double loads_per_fma = static_cast<double>(mr + nr) / static_cast<double>(mr * nr);
            if (cost < best_cost - 1e-9 || (cost < best_cost + 1e-9 && loads_per_fma < best_loads_per_fma)) {
                best_cost = cost;
                best_loads_per_fma = loads_per_fma;
                best = {mr, nr};
            }
        }
    }
    return best;
}

// Writes each result of a tile through the assignment's expression and mode.
template <class Mode, class Dst, class E>
struct Sink {
    using T = typename Dst::value_type;
    using P = simd::packet_t<T>;
    Dst& dst;
    const E& e;

    CTNET_INLINE void operator()(std::size_t i, std::size_t j, P v) const {
        store_packet<Mode, Dst::cols>(dst.data() + i * Dst::stride + j, j, e.with_product(i, j, v));
    }
    CTNET_INLINE void operator()(std::size_t i, std::size_t j, T v) const {
        T& d = dst.data()[i * Dst::stride + j];
        d = Mode::combine(d, e.with_product(i, j, v));
    }
};

// ---- outer family ----------------------------------------------------------
// a(i, k) is A[i*lda + k], or A[k*lda + i] when A is read transposed.
template <std::size_t MR, std::size_t NP, std::size_t K, bool AT, std::size_t lda, std::size_t ldb, class T,
          class S>
CTNET_INLINE void outer_tile(const T* CTNET_RESTRICT a, const T* CTNET_RESTRICT b, std::size_t i0,
                             std::size_t j0, const S& sink) {
    using P = simd::packet_t<T>;
    constexpr std::size_t W = P::size;
    P acc[MR][NP];
    CTNET_UNROLL for (std::size_t r = 0; r < MR; ++r)
        CTNET_UNROLL for (std::size_t p = 0; p < NP; ++p) acc[r][p] = P::zero();
    const T* bp = b + j0;
    for (std::size_t k = 0; k < K; ++k) {
        P bv[NP];
        CTNET_UNROLL for (std::size_t p = 0; p < NP; ++p) {
            bv[p] = P::load(bp + k * ldb + p * W);
            keep_in_register(bv[p]);
        }
        CTNET_UNROLL for (std::size_t r = 0; r < MR; ++r) {
            P av = P::broadcast(AT ? a[k * lda + i0 + r] : a[(i0 + r) * lda + k]);
            keep_in_register(av);
            CTNET_UNROLL for (std::size_t p = 0; p < NP; ++p) acc[r][p] = fmadd(av, bv[p], acc[r][p]);
        }
    }
    CTNET_UNROLL for (std::size_t r = 0; r < MR; ++r)
        CTNET_UNROLL for (std::size_t p = 0; p < NP; ++p) sink(i0 + r, j0 + p * W, acc[r][p]);
}

template <class Mode, std::size_t M, std::size_t N, std::size_t K, bool AT, std::size_t lda, std::size_t ldb,
          class T, class Dst, class E>
void outer(const T* a, const T* b, Dst& dst, const E& e) {
    using P = simd::packet_t<T>;
    constexpr std::size_t W = P::size;
    constexpr std::size_t NB = (N + W - 1) / W;
    constexpr std::size_t panel_unit = K * W * sizeof(T);  // B's K x W panel per packet of width
    // At most four packets wide: wider tiles measured slower every time
    // (2x5 against 6x2 on 100x784 * 784x50: 79% and 87%), by margins the cycle
    // model is too coarse to see.
    constexpr Tile t = choose_tile<M, NB, 4, panel_unit>();
    constexpr std::size_t MR = t.mr, NP = t.nr;
    constexpr std::size_t fm = M / MR, rm = M % MR, fn = NB / NP, rn = NB % NP;
    // Keep in L1 whichever operand is re-read less: B's K x NP*W panel across
    // all row tiles (j outer), or A's MR x K tile across all column blocks.
    constexpr std::size_t bytes_a = M * K * sizeof(T), bytes_b = K * NB * W * sizeof(T);
    constexpr bool j_outer = bytes_b + (fn + (rn ? 1 : 0)) * bytes_a <= bytes_a + (fm + (rm ? 1 : 0)) * bytes_b;
    const Sink<Mode, Dst, E> sink{dst, e};

    auto column_block = [&]<std::size_t mr, std::size_t np>(std::size_t j0) {
        for (std::size_t ib = 0; ib < M / mr; ++ib) outer_tile<mr, np, K, AT, lda, ldb>(a, b, ib * mr, j0, sink);
        if constexpr (M % mr != 0) outer_tile<M % mr, np, K, AT, lda, ldb>(a, b, M / mr * mr, j0, sink);
    };
    if constexpr (j_outer) {
        for (std::size_t jb = 0; jb < fn; ++jb) column_block.template operator()<MR, NP>(jb * NP * W);
        if constexpr (rn != 0) column_block.template operator()<choose_height<M, rn, panel_unit>(), rn>(fn * NP * W);
    } else {
        // Row order keeps A's rows in L1 across a whole row of tiles, the
        // narrower last one included (as a separate pass it would re-read A).
        auto row_block = [&]<std::size_t mr>(std::size_t i0) {
            for (std::size_t jb = 0; jb < fn; ++jb) outer_tile<mr, NP, K, AT, lda, ldb>(a, b, i0, jb * NP * W, sink);
            if constexpr (rn != 0) outer_tile<mr, rn, K, AT, lda, ldb>(a, b, i0, fn * NP * W, sink);
        };
        for (std::size_t ib = 0; ib < fm; ++ib) row_block.template operator()<MR>(ib * MR);
        if constexpr (rm != 0) row_block.template operator()<rm>(fm * MR);
    }
}

// ---- inner family ----------------------------------------------------------
// Rows of A (lda) and of B (ldb) are contiguous along k and zero-padded to KP.
template <std::size_t MR, std::size_t NR, std::size_t KP, std::size_t lda, std::size_t ldb, class T, class S>
CTNET_INLINE void inner_tile(const T* CTNET_RESTRICT a, const T* CTNET_RESTRICT b, std::size_t i0, std::size_t j0,
                             const S& sink) {
    using P = simd::packet_t<T>;
    constexpr std::size_t W = P::size;
    P acc[MR][NR];
    CTNET_UNROLL for (std::size_t r = 0; r < MR; ++r)
        CTNET_UNROLL for (std::size_t n = 0; n < NR; ++n) acc[r][n] = P::zero();
    for (std::size_t k = 0; k < KP; k += W) {
        P bv[NR];
        CTNET_UNROLL for (std::size_t n = 0; n < NR; ++n) {
            bv[n] = P::load(b + (j0 + n) * ldb + k);
            keep_in_register(bv[n]);
        }
        CTNET_UNROLL for (std::size_t r = 0; r < MR; ++r) {
            P av = P::load(a + (i0 + r) * lda + k);
            keep_in_register(av);
            CTNET_UNROLL for (std::size_t n = 0; n < NR; ++n) acc[r][n] = fmadd(av, bv[n], acc[r][n]);
        }
    }
    CTNET_UNROLL for (std::size_t r = 0; r < MR; ++r)
        CTNET_UNROLL for (std::size_t n = 0; n < NR; ++n) sink(i0 + r, j0 + n, reduce_add(acc[r][n]));
}

// One row of A against each row of B in turn: every row of B streams through
// once, sequentially, with S independent accumulators covering the FMA
// latency. For a single sample on wide vectors this beats interleaving rows
// (1 x 784 * (50 x 784)^T on AVX-512: 0.97 us against 1.34 us).
template <std::size_t S, std::size_t KP, std::size_t ldb, class T, class Sink>
CTNET_INLINE void inner_row(const T* CTNET_RESTRICT a, const T* CTNET_RESTRICT b, std::size_t j, const Sink& sink) {
    using P = simd::packet_t<T>;
    // a is the same for every j: left visible, the compiler hoists all of its
    // packets out of the loop over j, more than the registers hold, and spills.
    CTNET_OPAQUE(a);
    constexpr std::size_t W = P::size, full = KP / W / S * S;
    const T* row = b + j * ldb;
    P acc[S];
    CTNET_UNROLL for (std::size_t s = 0; s < S; ++s) acc[s] = P::zero();
    std::size_t k = 0;
    // Kept rolled: fully unrolled (GCC does, the trip count being known) the
    // same loop measured 1.35 us instead of 0.95 us for a 784-long row.
    CTNET_NO_UNROLL for (; k < full * W; k += S * W)
        CTNET_UNROLL for (std::size_t s = 0; s < S; ++s) acc[s] = fmadd(P::load(a + k + s * W), P::load(row + k + s * W), acc[s]);
    for (; k < KP; k += W) acc[0] = fmadd(P::load(a + k), P::load(row + k), acc[0]);
    CTNET_UNROLL for (std::size_t s = 1; s < S; ++s) acc[0] = acc[0] + acc[s];
    sink(0, j, reduce_add(acc[0]));
}

template <class Mode, std::size_t M, std::size_t N, std::size_t K, std::size_t lda, std::size_t ldb, class T,
          class Dst, class E>
void inner(const T* a, const T* b, Dst& dst, const E& e) {
    using P = simd::packet_t<T>;
    constexpr std::size_t W = P::size;
    constexpr std::size_t KP = (K + W - 1) / W * W;
    constexpr bool b_in_l1 = N * KP * sizeof(T) <= l1_bytes;
    if constexpr (M == 1 && W >= 16 && !b_in_l1) {
        const Sink<Mode, Dst, E> sink{dst, e};
        for (std::size_t j = 0; j < N; ++j) inner_row<4, KP, ldb>(a, b, j, sink);
        return;
    }
    constexpr Tile t = choose_tile<M, N, b_in_l1 ? 8 : 5>();
    constexpr std::size_t MR = t.mr, NR = t.nr;
    constexpr std::size_t fm = M / MR, rm = M % MR, fn = N / NR, rn = N % NR;
    constexpr std::size_t bytes_a = M * KP * sizeof(T), bytes_b = N * KP * sizeof(T);
    constexpr bool j_outer = bytes_b + (fn + (rn ? 1 : 0)) * bytes_a <= bytes_a + (fm + (rm ? 1 : 0)) * bytes_b;
    const Sink<Mode, Dst, E> sink{dst, e};

    auto column_block = [&]<std::size_t mr, std::size_t nr>(std::size_t j0) {
        for (std::size_t ib = 0; ib < M / mr; ++ib) inner_tile<mr, nr, KP, lda, ldb>(a, b, ib * mr, j0, sink);
        if constexpr (M % mr != 0) inner_tile<M % mr, nr, KP, lda, ldb>(a, b, M / mr * mr, j0, sink);
    };
    if constexpr (j_outer) {
        for (std::size_t jb = 0; jb < fn; ++jb) column_block.template operator()<MR, NR>(jb * NR);
        if constexpr (rn != 0) column_block.template operator()<choose_height<M, rn>(), rn>(fn * NR);
    } else {
        auto row_block = [&]<std::size_t mr>(std::size_t i0) {
            for (std::size_t jb = 0; jb < fn; ++jb) inner_tile<mr, NR, KP, lda, ldb>(a, b, i0, jb * NR, sink);
            if constexpr (rn != 0) inner_tile<mr, rn, KP, lda, ldb>(a, b, i0, fn * NR, sink);
        };
        for (std::size_t ib = 0; ib < fm; ++ib) row_block.template operator()<MR>(ib * MR);
        if constexpr (rm != 0) row_block.template operator()<rm>(fm * MR);
    }
}

}  // namespace gemm
}  // namespace ctnet::detail
