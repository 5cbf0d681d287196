// products.cpp — the five products of a 784-50-10 training step at batch 100, against Eigen and the FMA peak.
//
// Two layouts: the book's (W1 is 784x50, as numpy code holds it) and ctnet's
// (an Affine layer stores W as Out x In, so both large products run along the
// 784-long dimension). Eigen 3.4 fixed-size row-major matrices compute the
// same products in the same run.
#include <fmt/core.h>

#include <memory>
#include <string>

#include "ctnet/matrix/matrix.hpp"
#include "ctnet/random.hpp"
#include "support.hpp"

#ifdef CTNET_BENCH_EIGEN
// Fixed-size matrices this large exceed Eigen's stack guard; they live on the heap here.
#  define EIGEN_STACK_ALLOCATION_LIMIT 0
#  include <Eigen/Core>
#endif

namespace {

using ctnet::Matrix;

template <std::size_t R, std::size_t C>
std::unique_ptr<Matrix<float, R, C>> random_matrix(std::uint64_t seed) {
    auto m = std::make_unique<Matrix<float, R, C>>();
    ctnet::Rng rng(seed);
    ctnet::fill_uniform(*m, rng, -1.0f, 1.0f);
    return m;
}

#ifdef CTNET_BENCH_EIGEN
template <int R, int C>
using EMat = Eigen::Matrix<float, R, C, R == 1 ? Eigen::RowMajor : (C == 1 ? Eigen::ColMajor : Eigen::RowMajor)>;

template <std::size_t R, std::size_t C>
std::unique_ptr<EMat<int(R), int(C)>> eigen_copy(const Matrix<float, R, C>& m) {
    auto e = std::make_unique<EMat<int(R), int(C)>>();
    for (std::size_t i = 0; i < R; ++i)
        for (std::size_t j = 0; j < C; ++j) (*e)(Eigen::Index(i), Eigen::Index(j)) = m(i, j);
    return e;
}
#endif

struct Row {
    std::string name;
    double flops, ctnet_ns, eigen_ns;
};

void print(const Row& r, double peak) {
    const double g = r.flops / r.ctnet_ns;
    if (r.eigen_ns > 0) {
        const double e = r.flops / r.eigen_ns;
        fmt::print("{:<34} {:>8.2f} {:>7.1f} {:>5.0f}%  {:>8.2f} {:>7.1f} {:>5.0f}%  {:>6.2f}x\n", r.name,
                   r.ctnet_ns / 1e3, g, 100 * g / peak, r.eigen_ns / 1e3, e, 100 * e / peak, r.eigen_ns / r.ctnet_ns);
    } else {
        fmt::print("{:<34} {:>8.2f} {:>7.1f} {:>5.0f}%\n", r.name, r.ctnet_ns / 1e3, g, 100 * g / peak);
    }
}

}  // namespace

int main() {
    const double peak = bench::measured_fma_peak_gflops<float>();
    fmt::print("ctnet products, float, batch 100 ({} backend, {} floats per packet)\n", ctnet::simd::backend_name,
               ctnet::simd::lanes<float>);
    fmt::print("measured single-core FMA peak: {:.1f} GFLOP/s\n\n", peak);
    fmt::print("{:<34} {:>8} {:>7} {:>6}  {:>8} {:>7} {:>6}  {:>7}\n", "product", "ctnet us", "GFLOP/s", "peak",
               "Eigen us", "GFLOP/s", "peak", "speedup");

    auto x = random_matrix<100, 784>(1);
    auto dh = random_matrix<100, 50>(2);
    auto h = random_matrix<100, 50>(3);
    auto dz = random_matrix<100, 10>(4);
    auto w1 = random_matrix<784, 50>(5);    // book layout
    auto w2 = random_matrix<50, 10>(6);
    auto w1t = random_matrix<50, 784>(7);   // ctnet layout (Out x In)
    auto w2t = random_matrix<10, 50>(8);
    auto out_h = std::make_unique<Matrix<float, 100, 50>>();
    auto out_w1 = std::make_unique<Matrix<float, 784, 50>>();
    auto out_w1t = std::make_unique<Matrix<float, 50, 784>>();
    auto out_z = std::make_unique<Matrix<float, 100, 10>>();
    auto out_w2 = std::make_unique<Matrix<float, 50, 10>>();
    auto out_w2t = std::make_unique<Matrix<float, 10, 50>>();

    const double big = 2.0 * 100 * 784 * 50, small = 2.0 * 100 * 50 * 10;
#ifdef CTNET_BENCH_EIGEN
    auto ex = eigen_copy(*x);
    auto edh = eigen_copy(*dh);
    auto eh = eigen_copy(*h);
    auto edz = eigen_copy(*dz);
    auto ew1 = eigen_copy(*w1);
    auto ew2 = eigen_copy(*w2);
    auto ew1t = eigen_copy(*w1t);
    auto ew2t = eigen_copy(*w2t);
    auto eo_h = std::make_unique<EMat<100, 50>>();
    auto eo_w1 = std::make_unique<EMat<784, 50>>();
    auto eo_w1t = std::make_unique<EMat<50, 784>>();
    auto eo_z = std::make_unique<EMat<100, 10>>();
    auto eo_w2 = std::make_unique<EMat<50, 10>>();
    auto eo_w2t = std::make_unique<EMat<10, 50>>();
#  define EIGEN_TIME(expr) bench::median_ns([&] { expr; bench::keep(*eo_h); })
#else
#  define EIGEN_TIME(expr) 0.0
#endif
    auto time = [&](auto f) { return bench::median_ns(f); };

    fmt::print("-- book layout (W1 784x50, W2 50x10), the products as numpy code writes them\n");
    print({"x . W1          100x784 * 784x50", big, time([&] { *out_h = dot(*x, *w1); }),
           EIGEN_TIME(eo_h->noalias() = *ex * *ew1)}, peak);
    print({"x^T . dh      (100x784)^T * 100x50", big, time([&] { *out_w1 = dot(transpose(*x), *dh); }),
           EIGEN_TIME(eo_w1->noalias() = ex->transpose() * *edh)}, peak);
    print({"h . W2            100x50 * 50x10", small, time([&] { *out_z = dot(*h, *w2); }),
           EIGEN_TIME(eo_z->noalias() = *eh * *ew2)}, peak);
    print({"dz . W2^T      100x10 * (50x10)^T", small, time([&] { *out_h = dot(*dz, transpose(*w2)); }),
           EIGEN_TIME(eo_h->noalias() = *edz * ew2->transpose())}, peak);
    print({"h^T . dz      (100x50)^T * 100x10", small, time([&] { *out_w2 = dot(transpose(*h), *dz); }),
           EIGEN_TIME(eo_w2->noalias() = eh->transpose() * *edz)}, peak);

    fmt::print("-- ctnet layout (W1 stored 50x784, W2 10x50), what Affine runs\n");
    print({"x . W1^T      100x784 * (50x784)^T", big, time([&] { *out_h = dot(*x, transpose(*w1t)); }),
           EIGEN_TIME(eo_h->noalias() = *ex * ew1t->transpose())}, peak);
    print({"dh^T . x      (100x50)^T * 100x784", big, time([&] { *out_w1t = dot(transpose(*dh), *x); }),
           EIGEN_TIME(eo_w1t->noalias() = edh->transpose() * *ex)}, peak);
    print({"h . W2^T       100x50 * (10x50)^T", small, time([&] { *out_z = dot(*h, transpose(*w2t)); }),
           EIGEN_TIME(eo_z->noalias() = *eh * ew2t->transpose())}, peak);
    print({"dz . W2           100x10 * 10x50", small, time([&] { *out_h = dot(*dz, *w2t); }),
           EIGEN_TIME(eo_h->noalias() = *edz * *ew2t)}, peak);
    print({"dz^T . h      (100x10)^T * 100x50", small, time([&] { *out_w2t = dot(transpose(*dz), *h); }),
           EIGEN_TIME(eo_w2t->noalias() = edz->transpose() * *eh)}, peak);
    print({"W1 -= 0.1 dh^T . x (fused SGD)", big, time([&] { *w1t -= 0.1f * dot(transpose(*dh), *x); }),
           EIGEN_TIME(ew1t->noalias() -= 0.1f * (edh->transpose() * *ex))}, peak);
#ifndef CTNET_BENCH_EIGEN
    fmt::print("\n(Eigen 3.4 not found: install libeigen3-dev for the peer columns)\n");
#endif
    bench::keep(*out_h);
    bench::keep(*out_w1);
    bench::keep(*out_w1t);
    bench::keep(*out_z);
    bench::keep(*out_w2);
    bench::keep(*out_w2t);
}
