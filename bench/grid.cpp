// grid.cpp — the 784-H-10 training step and its five products over hidden widths and batches,
// ctnet against Eigen 3.4 and OpenBLAS in one run, as % of the measured FMA peak.
//
//     bench_grid [--hidden 50,1024] [--batch 1,256] [--samples 5] [--rounds 5] [--steps-only | --products-only] [--raw]
//
// For each hidden width H (50, 100, 256, 512, 1024, 2048) and batch B (1, 32,
// 100, 256, 1024) it times, on one core:
//   fwd1   z1 = x . W1^T       B x 784 * (H x 784)^T   (Affine stores W as Out x In)
//   dW1    dh^T . x           (B x H)^T * B x 784
//   fwd2   z2 = h . W2^T       B x H * (10 x H)^T
//   dh     dz . W2             B x 10 * 10 x H
//   dW2    dz^T . h           (B x 10)^T * B x H
//   step   forward, softmax cross-entropy, backward, SGD update (lr 0.1)
// Each line prints ctnet's GFLOP/s and % of peak, each peer's % of peak, and
// ctnet's speed over the fastest peer (>1: ctnet is faster). --raw prints
// "H B what flops peak_gflops ctnet_ns eigen_ns openblas_ns" lines instead,
// for bench/grid_report.py (which adds PyTorch).
//
// Peers, all on the same buffers' contents: Eigen 3.4 dynamic-size row-major
// matrices (`noalias()` products: its blocked GEMM, the path Eigen takes at
// these sizes), and OpenBLAS sgemm through cblas with one thread. Each peer's
// step is the same algorithm as ctnet's, the products through that library and
// the element-wise work as plain loops the compiler vectorises.
#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ctnet/net.hpp"
#include "ctnet/random.hpp"
#include "support.hpp"

#ifdef CTNET_BENCH_EIGEN
#  include <Eigen/Core>
#endif
#ifdef CTNET_BENCH_OPENBLAS
#  include <cblas.h>
#endif

namespace {

using ctnet::Matrix;

constexpr std::size_t inputs = 784, outputs = 10;
constexpr float lr = 0.1f;

struct Options {
    std::vector<std::size_t> hidden{50, 100, 256, 512, 1024, 2048};
    std::vector<std::size_t> batch{1, 32, 100, 256, 1024};
    int samples = 5, rounds = 5;
    bool products = true, steps = true, raw = false;
};

std::vector<std::size_t> parse_list(std::string_view s) {
    std::vector<std::size_t> out;
    while (!s.empty()) {
        const auto comma = s.find(',');
        const std::string_view item = s.substr(0, comma);
        std::size_t v = 0;
        if (std::from_chars(item.data(), item.data() + item.size(), v).ec != std::errc{}) {
            fmt::print(stderr, "bench_grid: '{}' is not a number\n", item);
            std::exit(2);
        }
        out.push_back(v);
        s = comma == std::string_view::npos ? std::string_view{} : s.substr(comma + 1);
    }
    return out;
}

// One timed line: ctnet's time and each peer's (0 where a peer is absent).
struct Line {
    std::string name;
    double flops, ctnet_ns, eigen_ns = 0, blas_ns = 0, peak = 0;
};

// Times ctnet, each peer present (nullptr: absent) and the FMA peak in turn,
// `rounds` times (each the median of `samples` batches), and keeps each one's
// median round. This machine's speed drifts over seconds (a virtual machine:
// the peak measured 219-254 GFLOP/s within one run on a Zen 5), so the four are measured
// interleaved, close in time, and every ratio compares like with like.
template <class C, class E, class O>
Line timed(std::string name, double flops, const Options& opt, C&& c, E&& e, O&& o) {
    std::vector<double> tc, te, to, tp;
    const auto one = [&](int which) {
        if (which == 0) tc.push_back(bench::median_ns(c, opt.samples));
        if constexpr (!std::is_null_pointer_v<std::remove_cvref_t<E>>)
            if (which == 1) te.push_back(bench::median_ns(e, opt.samples));
        if constexpr (!std::is_null_pointer_v<std::remove_cvref_t<O>>)
            if (which == 2) to.push_back(bench::median_ns(o, opt.samples));
        if (which == 3) tp.push_back(bench::measured_fma_peak_gflops<float>(opt.samples));
    };
    // The order turns each round: whatever runs right after the FMA peak's
    // all-out loop may find the clock lowered for a moment (seen on a Zen 5: 67% of peak
    // measured right after it, 82% otherwise).
    for (int r = 0; r < opt.rounds; ++r)
        for (int k = 0; k < 4; ++k) one((r + k) % 4);
    return {std::move(name), flops, bench::median(tc), te.empty() ? 0.0 : bench::median(te),
            to.empty() ? 0.0 : bench::median(to), bench::median(tp)};
}

void print_header() {
    fmt::print("{:>5} {:>5} {:<6} {:>10} {:>8} {:>6} {:>7} {:>9} {:>9}\n", "H", "B", "what", "ctnet us", "GFLOP/s",
               "%peak", "Eigen%", "OpenBLAS%", "vs best");
}

bool raw_output = false;

void print(std::size_t h, std::size_t b, const Line& l) {
    const double peak = l.peak;
    if (raw_output) {
        fmt::print("{} {} {} {} {:.2f} {:.1f} {:.1f} {:.1f}\n", h, b, l.name, l.flops, peak, l.ctnet_ns, l.eigen_ns,
                   l.blas_ns);
        std::fflush(stdout);
        return;
    }
    const auto pct = [&](double ns) { return ns > 0 ? fmt::format("{:.0f}", 100 * l.flops / ns / peak) : "-"; };
    double best = 0;
    for (double ns : {l.eigen_ns, l.blas_ns})
        if (ns > 0 && (best == 0 || ns < best)) best = ns;
    const std::string vs = best > 0 ? fmt::format("{:.2f}x", best / l.ctnet_ns) : "-";
    fmt::print("{:>5} {:>5} {:<6} {:>10.2f} {:>8.1f} {:>6} {:>7} {:>9} {:>9}\n", h, b, l.name, l.ctnet_ns / 1e3,
               l.flops / l.ctnet_ns, pct(l.ctnet_ns), pct(l.eigen_ns), pct(l.blas_ns), vs);
    std::fflush(stdout);
}

template <std::size_t R, std::size_t C>
std::unique_ptr<Matrix<float, R, C>> random_matrix(ctnet::Rng& rng, float lo = -1, float hi = 1) {
    auto m = std::make_unique<Matrix<float, R, C>>();
    ctnet::fill_uniform(*m, rng, lo, hi);
    return m;
}

#ifdef CTNET_BENCH_EIGEN
using EMat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using ERow = Eigen::Matrix<float, 1, Eigen::Dynamic, Eigen::RowMajor>;

template <std::size_t R, std::size_t C>
EMat eigen_copy(const Matrix<float, R, C>& m) {
    EMat e(R, C);
    for (std::size_t i = 0; i < R; ++i)
        for (std::size_t j = 0; j < C; ++j) e(Eigen::Index(i), Eigen::Index(j)) = m(i, j);
    return e;
}

// The element-wise part of the step, shared by both peers: softmax with
// cross-entropy and its gradient dz = (y - t) / B, written into z2 in place.
inline float softmax_loss_grad(EMat& z2, const std::uint8_t* t) {
    const auto rows = z2.rows(), cols = z2.cols();
    double loss = 0;
    for (Eigen::Index i = 0; i < rows; ++i) {
        float* z = z2.row(i).data();
        const float mx = *std::max_element(z, z + cols);
        float sum = 0;
        for (Eigen::Index j = 0; j < cols; ++j) sum += (z[j] = std::exp(z[j] - mx));
        const float inv = 1.0f / sum;
        loss -= std::log(z[t[i]] * inv + 1e-7f);
        for (Eigen::Index j = 0; j < cols; ++j) z[j] = (z[j] * inv - (j == t[i] ? 1.0f : 0.0f)) / float(rows);
    }
    return static_cast<float>(loss / double(rows));
}

// The peers' network: W stored Out x In as ctnet's Affine does (the faster
// layout for Eigen too, see eigen_step.hpp), row-major buffers.
struct PeerNet {
    EMat w1, w2, z1, z2, dh;
    ERow b1, b2;
    PeerNet(const EMat& w1_, const EMat& w2_, Eigen::Index batch)
        : w1(w1_), w2(w2_), z1(batch, w1_.rows()), z2(batch, w2_.rows()), dh(batch, w1_.rows()),
          b1(ERow::Zero(w1_.rows())), b2(ERow::Zero(w2_.rows())) {}

    float eigen_step(const EMat& x, const std::uint8_t* t) {
        z1.noalias() = x * w1.transpose();
        z1.rowwise() += b1;
        z1 = z1.cwiseMax(0.0f);  // h, kept in z1; h > 0 is also ReLU's mask
        z2.noalias() = z1 * w2.transpose();
        z2.rowwise() += b2;
        const float loss = softmax_loss_grad(z2, t);  // z2 is dz now
        dh.noalias() = z2 * w2;                         // before W2 changes
        w2.noalias() -= (lr * z2.transpose()) * z1;
        b2 -= lr * z2.colwise().sum();
        dh = (z1.array() > 0.0f).select(dh, 0.0f);
        w1.noalias() -= (lr * dh.transpose()) * x;
        b1 -= lr * dh.colwise().sum();
        return loss;
    }

#  ifdef CTNET_BENCH_OPENBLAS
    float blas_step(const EMat& x, const std::uint8_t* t) {
        const int B = int(x.rows()), H = int(w1.rows()), I = int(x.cols()), O = int(w2.rows());
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, B, H, I, 1.0f, x.data(), I, w1.data(), I, 0.0f,
                    z1.data(), H);
        for (int i = 0; i < B; ++i) {
            float* z = z1.data() + std::size_t(i) * std::size_t(H);
            for (int j = 0; j < H; ++j) z[j] = std::max(z[j] + b1[j], 0.0f);
        }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, B, O, H, 1.0f, z1.data(), H, w2.data(), H, 0.0f,
                    z2.data(), O);
        for (int i = 0; i < B; ++i)
            for (int j = 0; j < O; ++j) z2.data()[i * O + j] += b2[j];
        const float loss = softmax_loss_grad(z2, t);
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, B, H, O, 1.0f, z2.data(), O, w2.data(), H, 0.0f,
                    dh.data(), H);
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, O, H, B, -lr, z2.data(), O, z1.data(), H, 1.0f,
                    w2.data(), H);
        for (int i = 0; i < B; ++i)
            for (int j = 0; j < O; ++j) b2[j] -= lr * z2.data()[i * O + j];
        for (int i = 0; i < B; ++i) {
            float* d = dh.data() + std::size_t(i) * std::size_t(H);
            const float* h = z1.data() + std::size_t(i) * std::size_t(H);
            for (int j = 0; j < H; ++j) d[j] = h[j] > 0 ? d[j] : 0.0f;
        }
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, H, I, B, -lr, dh.data(), H, x.data(), I, 1.0f,
                    w1.data(), I);
        for (int i = 0; i < B; ++i)
            for (int j = 0; j < H; ++j) b1[j] -= lr * dh.data()[std::size_t(i) * std::size_t(H) + std::size_t(j)];
        return loss;
    }
#  endif
};
#endif

template <std::size_t H, std::size_t B>
void cell(const Options& opt) {
    if (std::find(opt.hidden.begin(), opt.hidden.end(), H) == opt.hidden.end() ||
        std::find(opt.batch.begin(), opt.batch.end(), B) == opt.batch.end())
        return;
    ctnet::Rng rng(H * 7919 + B);
    auto x = random_matrix<B, inputs>(rng, 0, 1);
    auto w1 = random_matrix<H, inputs>(rng, -0.05f, 0.05f);
    auto w2 = random_matrix<outputs, H>(rng, -0.05f, 0.05f);
    auto h = random_matrix<B, H>(rng);
    auto dh = random_matrix<B, H>(rng);
    auto dz = random_matrix<B, outputs>(rng);
    auto z1 = std::make_unique<Matrix<float, B, H>>();
    auto dw1 = std::make_unique<Matrix<float, H, inputs>>();
    auto z2 = std::make_unique<Matrix<float, B, outputs>>();
    auto dw2 = std::make_unique<Matrix<float, outputs, H>>();
    std::array<std::uint8_t, B> t{};
    for (auto& label : t) label = static_cast<std::uint8_t>(rng.below(outputs));

#ifdef CTNET_BENCH_EIGEN
    const EMat ex = eigen_copy(*x), ew1 = eigen_copy(*w1), ew2 = eigen_copy(*w2), eh = eigen_copy(*h),
               edh = eigen_copy(*dh), edz = eigen_copy(*dz);
    EMat ez1(B, H), edw1(H, inputs), ez2(B, outputs), edw2(outputs, H);
#  define EIGEN_NS(expr) [&] { expr; bench::keep(ez1.data()[0]); }
#else
#  define EIGEN_NS(expr) nullptr
#endif
#ifdef CTNET_BENCH_OPENBLAS
#  define BLAS_NS(...) [&] { cblas_sgemm(CblasRowMajor, __VA_ARGS__); bench::keep(ez1.data()[0]); }
#else
#  define BLAS_NS(...) nullptr
#endif
    const int iB = int(B), iH = int(H), iI = int(inputs), iO = int(outputs);
    (void)iB, (void)iH, (void)iI, (void)iO;

    if (opt.products) {
        const double f1 = 2.0 * B * H * inputs, f2 = 2.0 * B * H * outputs;
        print(H, B, timed("fwd1", f1, opt, [&] { *z1 = dot(*x, transpose(*w1)); },
                     EIGEN_NS(ez1.noalias() = ex * ew1.transpose()),
                     BLAS_NS(CblasNoTrans, CblasTrans, iB, iH, iI, 1.0f, ex.data(), iI, ew1.data(), iI, 0.0f,
                             ez1.data(), iH)));
        print(H, B, timed("dW1", f1, opt, [&] { *dw1 = dot(transpose(*dh), *x); },
                     EIGEN_NS(edw1.noalias() = edh.transpose() * ex),
                     BLAS_NS(CblasTrans, CblasNoTrans, iH, iI, iB, 1.0f, edh.data(), iH, ex.data(), iI, 0.0f,
                             edw1.data(), iI)));
        print(H, B, timed("fwd2", f2, opt, [&] { *z2 = dot(*h, transpose(*w2)); },
                     EIGEN_NS(ez2.noalias() = eh * ew2.transpose()),
                     BLAS_NS(CblasNoTrans, CblasTrans, iB, iO, iH, 1.0f, eh.data(), iH, ew2.data(), iH, 0.0f,
                             ez2.data(), iO)));
        print(H, B, timed("dh", f2, opt, [&] { *z1 = dot(*dz, *w2); }, EIGEN_NS(ez1.noalias() = edz * ew2),
                     BLAS_NS(CblasNoTrans, CblasNoTrans, iB, iH, iO, 1.0f, edz.data(), iO, ew2.data(), iH, 0.0f,
                             ez1.data(), iH)));
        print(H, B, timed("dW2", f2, opt, [&] { *dw2 = dot(transpose(*dz), *h); },
                     EIGEN_NS(edw2.noalias() = edz.transpose() * eh),
                     BLAS_NS(CblasTrans, CblasNoTrans, iO, iH, iB, 1.0f, edz.data(), iO, eh.data(), iH, 0.0f,
                             edw2.data(), iH)));
    }
    if (opt.steps) {
        // A step's products: fwd1 and dW1 (784-wide), fwd2, dh and dW2 (10-wide).
        const double flops = 2.0 * B * H * inputs * 2 + 2.0 * B * H * outputs * 3;
        using Net = ctnet::Sequential<ctnet::Affine<inputs, H>, ctnet::Relu, ctnet::Affine<H, outputs>,
                                      ctnet::SoftmaxWithLoss>;
        auto net = std::make_unique<ctnet::Model<Net, float, B>>();
        const auto ours = [&] { bench::keep(net->sgd_step(*x, t, lr)); };
#ifdef CTNET_BENCH_EIGEN
        PeerNet peer(ew1, ew2, Eigen::Index(B));
        const auto eigen = [&] { bench::keep(peer.eigen_step(ex, t.data())); };
#  ifdef CTNET_BENCH_OPENBLAS
        const auto blas = [&] { bench::keep(peer.blas_step(ex, t.data())); };
#  else
        const auto blas = nullptr;
#  endif
#else
        const auto eigen = nullptr;
        const auto blas = nullptr;
#endif
        print(H, B, timed("step", flops, opt, ours, eigen, blas));
    }
#undef EIGEN_NS
#undef BLAS_NS
}

template <std::size_t H>
void row(const Options& opt) {
    cell<H, 1>(opt);
    cell<H, 32>(opt);
    cell<H, 100>(opt);
    cell<H, 256>(opt);
    cell<H, 1024>(opt);
}

}  // namespace

int main(int argc, char** argv) {
    Options opt;
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        const auto value = [&] {
            if (i + 1 >= argc) {
                fmt::print(stderr, "bench_grid: {} needs a value\n", a);
                std::exit(2);
            }
            return std::string_view(argv[++i]);
        };
        if (a == "--hidden") opt.hidden = parse_list(value());
        else if (a == "--batch") opt.batch = parse_list(value());
        else if (a == "--samples") opt.samples = int(parse_list(value()).at(0));
        else if (a == "--rounds") opt.rounds = int(parse_list(value()).at(0));
        else if (a == "--steps-only") opt.products = false;
        else if (a == "--products-only") opt.steps = false;
        else if (a == "--raw") opt.raw = raw_output = true;
        else {
            fmt::print(stderr,
                       "usage: bench_grid [--hidden 50,1024] [--batch 1,256] [--samples N] [--rounds N] [--steps-only | --products-only] [--raw]\n");
            return 2;
        }
    }
#ifdef CTNET_BENCH_OPENBLAS
    openblas_set_num_threads(1);
#endif
#ifdef CTNET_BENCH_EIGEN
    Eigen::setNbThreads(1);
#endif
    const double peak = bench::measured_fma_peak_gflops<float>();  // for the header; each line measures its own
    const std::string peers =
#ifdef CTNET_BENCH_EIGEN
        " Eigen " EIGEN_MAKESTRING(EIGEN_WORLD_VERSION) "." EIGEN_MAKESTRING(EIGEN_MAJOR_VERSION) "." EIGEN_MAKESTRING(
            EIGEN_MINOR_VERSION)
#endif
        ""
#ifdef CTNET_BENCH_OPENBLAS
        + fmt::format(" OpenBLAS ({})", openblas_get_config())
#endif
        ;
    if (opt.raw) {
        fmt::print("# backend {}, {} floats per packet; peers:{}\n", ctnet::simd::backend_name,
                   ctnet::simd::lanes<float>, peers);
    } else {
        fmt::print("784-H-10 step and its products, float, one core ({} backend, {} floats per packet)\n",
                   ctnet::simd::backend_name, ctnet::simd::lanes<float>);
        fmt::print("measured single-core FMA peak: {:.1f} GFLOP/s (each line's % uses the peak measured beside it); "
                   "peers:{}\n\n", peak, peers);
        print_header();
    }
    row<50>(opt);
    row<100>(opt);
    row<256>(opt);
    row<512>(opt);
    row<1024>(opt);
    row<2048>(opt);
}
