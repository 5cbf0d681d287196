// eigen_step_check.cpp — how bench/eigen_step.hpp was verified and its formulation chosen.
// Not part of the build; a standalone program:
//
//   g++ -std=c++20 -O3 -march=native -DNDEBUG -I/usr/include/eigen3 bench/eigen_step_check.cpp -o /tmp/eigen_step_check
//   g++ -std=c++20 -O3 -march=x86-64-v3 -DNDEBUG -I/usr/include/eigen3 bench/eigen_step_check.cpp -o /tmp/eigen_step_check_avx2
//
// (with -Wall, add -Wno-maybe-uninitialized: GCC 12 warns falsely inside Eigen's AVX-512 code).
//
// 1. Correctness: each variant (W1 layout x update form) runs three SGD steps
//    (lr 0.1) on three batches next to a plain-loop double-precision reference
//    started from the same weights: each loss must agree to 1e-4 relative, each
//    parameter to 1e-4 absolute, and, since an update of 0.01-sized weights is
//    itself tiny, each parameter's total change to 1e-3 of its largest
//    magnitude. predict_one must pick the reference's class with the
//    reference's score for 100 samples. malloc, calloc, realloc and the aligned
//    allocators are counted (glibc interposition): step() and predict_one()
//    must not allocate.
// 2. Timing: the median of 31 timed batches, each repeating the call for at
//    least 2 ms, after warm-up (the method of bench/support.hpp), in us per
//    step and GFLOP/s with 2*100*784*50*2 + 2*100*50*10*3 flops per step; the
//    single-core FMA peak is measured alongside.
// 3. Batch-1 latency of predict_one, same method.
//
// Figures measured on the development machine (AMD EPYC with AVX-512, 2 vCPUs,
// shared; GCC 12.2, Eigen 3.4.0; typical medians of three runs, +-2%):
//
//   -march=native (AVX-512; measured FMA peak ~225 GFLOP/s)
//     out_in (W1 stored 50x784), step        128.5 us  124 GFLOP/s   <- TwoLayerNet
//     out_in, step_with_gradients            133.5 us  120 GFLOP/s
//     in_out (W1 stored 784x50), step        136   us  117 GFLOP/s
//     in_out, step_with_gradients            140.5 us  114 GFLOP/s
//     predict_one: out_in 1.14 us, in_out 1.99 us
//   -march=x86-64-v3 (AVX2 + FMA; measured FMA peak ~112 GFLOP/s)
//     out_in, step                           179   us   89 GFLOP/s   <- TwoLayerNet
//     out_in, step_with_gradients            184   us   87 GFLOP/s
//     in_out, step                           190   us   84 GFLOP/s
//     in_out, step_with_gradients            195   us   82 GFLOP/s
//     predict_one: out_in 1.59 us, in_out 2.10 us
//
// Also measured while choosing, and dropped (scratch programs, not kept):
// column-major 100x50 hidden buffers (3-10% slower per step in every case);
// lazyProduct for the three 100x50x10 products (16-22% slower per step:
// Eigen's coefficient-based product does poorly on rows of 10); splitting the
// two 784-deep products into fixed-size 112/196/392-wide chunks to shrink the
// packed panels (2-19% slower with AVX-512, up to 45% slower with AVX2). The
// two large products alone run at 133-140 GFLOP/s (AVX-512) and 90-95 GFLOP/s
// (AVX2) in Eigen, fixed-size or dynamic alike; the whole step reaches 90-95%
// of that rate.
#include <cstdlib>  // first: defines __GLIBC__ for the allocation counter

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <random>
#include <vector>

#include <immintrin.h>

#define EIGEN_STACK_ALLOCATION_LIMIT 0
#include "eigen_step.hpp"

// ---- heap allocation counter -------------------------------------------------
// Eigen allocates through std::malloc (aligned_malloc), operator new through
// malloc or the aligned allocators; counting these catches every heap allocation.
#if defined(__GLIBC__)
extern "C" {
void* __libc_malloc(std::size_t);
void* __libc_calloc(std::size_t, std::size_t);
void* __libc_realloc(void*, std::size_t);
void* __libc_memalign(std::size_t, std::size_t);
}
namespace {
std::atomic<long> heap_allocations{0};
void count() { heap_allocations.fetch_add(1, std::memory_order_relaxed); }
}  // namespace
extern "C" {
void* malloc(std::size_t n) noexcept { count(); return __libc_malloc(n); }
void* calloc(std::size_t n, std::size_t s) noexcept { count(); return __libc_calloc(n, s); }
void* realloc(void* p, std::size_t n) noexcept { count(); return __libc_realloc(p, n); }
void* aligned_alloc(std::size_t a, std::size_t n) noexcept { count(); return __libc_memalign(a, n); }
void* memalign(std::size_t a, std::size_t n) noexcept { count(); return __libc_memalign(a, n); }
int posix_memalign(void** out, std::size_t a, std::size_t n) noexcept {
    count();
    void* p = __libc_memalign(a, n);
    if (!p) return 12;  // ENOMEM
    *out = p;
    return 0;
}
}
constexpr bool counting_allocations = true;
#else
namespace { std::atomic<long> heap_allocations{0}; }
constexpr bool counting_allocations = false;
#endif

namespace {

namespace ep = bench::eigen_peer;
using ep::Batch;
using ep::Labels;
using ep::Sample;
constexpr int N = ep::batch, I = ep::inputs, H = ep::hidden, O = ep::outputs;
constexpr float lr = 0.1f;
constexpr double step_flops = 2.0 * 100 * 784 * 50 * 2 + 2.0 * 100 * 50 * 10 * 3;

// ---- timing (as bench/support.hpp) -------------------------------------------
template <class T>
inline void keep(T const& value) {
    __asm__ volatile("" : : "r,m"(value) : "memory");
}

template <class F>
double median_ns(F&& f, int samples = 31) {
    using clock = std::chrono::steady_clock;
    for (int i = 0; i < 3; ++i) f();
    long reps = 1;
    for (;;) {
        const auto t0 = clock::now();
        for (long r = 0; r < reps; ++r) f();
        if (std::chrono::duration<double, std::nano>(clock::now() - t0).count() > 2e6) break;
        reps *= 2;
    }
    std::vector<double> times;
    for (int s = 0; s < samples; ++s) {
        const auto t0 = clock::now();
        for (long r = 0; r < reps; ++r) f();
        times.push_back(std::chrono::duration<double, std::nano>(clock::now() - t0).count() / reps);
    }
    std::nth_element(times.begin(), times.begin() + samples / 2, times.end());
    return times[samples / 2];
}

// Single-core FMA peak: independent FMA chains on register-resident vectors.
#if defined(__AVX512F__)
using Vec = __m512;
constexpr int lanes = 16, chains = 24;
inline Vec vset(float v) { return _mm512_set1_ps(v); }
inline Vec vfma(Vec a, Vec b, Vec c) { return _mm512_fmadd_ps(a, b, c); }
inline Vec vadd(Vec a, Vec b) { return _mm512_add_ps(a, b); }
#else
using Vec = __m256;
constexpr int lanes = 8, chains = 12;
inline Vec vset(float v) { return _mm256_set1_ps(v); }
inline Vec vfma(Vec a, Vec b, Vec c) { return _mm256_fmadd_ps(a, b, c); }
inline Vec vadd(Vec a, Vec b) { return _mm256_add_ps(a, b); }
#endif

__attribute__((noipa)) Vec fma_chains(long steps, Vec x, Vec y) {
    Vec acc[chains];
    for (int c = 0; c < chains; ++c) acc[c] = vset(0.001f * c);
    for (long s = 0; s < steps; ++s) {
#pragma GCC unroll 32
        for (int c = 0; c < chains; ++c) acc[c] = vfma(acc[c], x, y);
    }
    Vec sum = acc[0];
    for (int c = 1; c < chains; ++c) sum = vadd(sum, acc[c]);
    return sum;
}

double fma_peak_gflops() {
    constexpr long steps = 100000;
    const double ns = median_ns([] { keep(fma_chains(steps, vset(0.999999f), vset(1e-7f))); }, 11);
    return 2.0 * chains * steps * lanes / ns;
}

// ---- double-precision reference, plain loops, book orientation ---------------
struct Reference {
    std::vector<double> W1 = std::vector<double>(I * H), b1 = std::vector<double>(H);
    std::vector<double> W2 = std::vector<double>(H * O), b2 = std::vector<double>(O);

    template <class Net>
    explicit Reference(const Net& net) {
        const auto w1 = net.w1();
        for (int i = 0; i < I; ++i)
            for (int j = 0; j < H; ++j) W1[i * H + j] = w1(i, j);
        for (int j = 0; j < H; ++j) b1[j] = net.b1(j);
        for (int j = 0; j < H; ++j)
            for (int k = 0; k < O; ++k) W2[j * O + k] = net.W2(j, k);
        for (int k = 0; k < O; ++k) b2[k] = net.b2(k);
    }

    double step(const Batch& x, const Labels& labels, double rate) {
        std::vector<double> z(N * H), h(N * H), ds(N * O), dh(N * H);
        for (int n = 0; n < N; ++n)
            for (int j = 0; j < H; ++j) {
                double acc = b1[j];
                for (int i = 0; i < I; ++i) acc += double(x(n, i)) * W1[i * H + j];
                z[n * H + j] = acc;
                h[n * H + j] = acc > 0 ? acc : 0;
            }
        double loss = 0;
        for (int n = 0; n < N; ++n) {
            double s[O], m = -INFINITY;
            for (int k = 0; k < O; ++k) {
                double acc = b2[k];
                for (int j = 0; j < H; ++j) acc += h[n * H + j] * W2[j * O + k];
                s[k] = acc;
                m = std::max(m, acc);
            }
            double sum = 0;
            for (int k = 0; k < O; ++k) sum += std::exp(s[k] - m);
            const double lse = m + std::log(sum);
            loss += lse - s[labels[n]];
            for (int k = 0; k < O; ++k) ds[n * O + k] = (std::exp(s[k] - lse) - (k == labels[n])) / N;
        }
        for (int n = 0; n < N; ++n)
            for (int j = 0; j < H; ++j) {
                double acc = 0;
                for (int k = 0; k < O; ++k) acc += ds[n * O + k] * W2[j * O + k];
                dh[n * H + j] = z[n * H + j] > 0 ? acc : 0;
            }
        // Gradients from the old weights, then the update.
        std::vector<double> dW1(I * H, 0.0), dW2(H * O, 0.0), db1(H, 0.0), db2(O, 0.0);
        for (int n = 0; n < N; ++n) {
            for (int j = 0; j < H; ++j)
                for (int k = 0; k < O; ++k) dW2[j * O + k] += h[n * H + j] * ds[n * O + k];
            for (int k = 0; k < O; ++k) db2[k] += ds[n * O + k];
            for (int i = 0; i < I; ++i)
                for (int j = 0; j < H; ++j) dW1[i * H + j] += double(x(n, i)) * dh[n * H + j];
            for (int j = 0; j < H; ++j) db1[j] += dh[n * H + j];
        }
        for (int q = 0; q < I * H; ++q) W1[q] -= rate * dW1[q];
        for (int q = 0; q < H * O; ++q) W2[q] -= rate * dW2[q];
        for (int j = 0; j < H; ++j) b1[j] -= rate * db1[j];
        for (int k = 0; k < O; ++k) b2[k] -= rate * db2[k];
        return loss / N;
    }

    double predict(const Sample& x, int& cls) const {
        std::vector<double> h(H);
        for (int j = 0; j < H; ++j) {
            double acc = b1[j];
            for (int i = 0; i < I; ++i) acc += double(x(0, i)) * W1[i * H + j];
            h[j] = acc > 0 ? acc : 0;
        }
        double best = -INFINITY;
        for (int k = 0; k < O; ++k) {
            double acc = b2[k];
            for (int j = 0; j < H; ++j) acc += h[j] * W2[j * O + k];
            if (acc > best) best = acc, cls = k;
        }
        return best;
    }
};

// ---- data --------------------------------------------------------------------
struct Data {
    std::vector<std::unique_ptr<Batch>> x;
    std::vector<Labels> labels;
};

// MNIST-like: pixels in [0, 1), four in five zero; labels uniform in 0..9.
Data make_data(int batches, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<float> pixel(0.0f, 1.0f);
    Data d;
    for (int b = 0; b < batches; ++b) {
        auto x = std::make_unique<Batch>();
        for (int n = 0; n < N; ++n)
            for (int i = 0; i < I; ++i) (*x)(n, i) = pixel(rng) < 0.8f ? 0.0f : pixel(rng);
        Labels l;
        for (auto& v : l) v = static_cast<std::uint8_t>(rng() % 10);
        d.x.push_back(std::move(x));
        d.labels.push_back(l);
    }
    return d;
}

// ---- checks ------------------------------------------------------------------
enum class Update { fused, with_gradients };

template <ep::W1Layout L>
float run_step(ep::BasicTwoLayerNet<L>& net, Update u, const Batch& x, const Labels& labels) {
    return u == Update::fused ? net.step(x, labels, lr) : net.step_with_gradients(x, labels, lr);
}

struct Params {
    std::vector<double> W1, b1, W2, b2;
};

template <ep::W1Layout L>
Params params_of(const ep::BasicTwoLayerNet<L>& net) {
    Reference r(net);  // the copy-out code, reused
    return {r.W1, r.b1, r.W2, r.b2};
}

bool compare(const char* name, const std::vector<double>& got, const std::vector<double>& want,
             const std::vector<double>& start) {
    double max_abs = 0, max_delta_err = 0, max_delta = 0;
    for (std::size_t q = 0; q < got.size(); ++q) {
        max_abs = std::max(max_abs, std::abs(got[q] - want[q]));
        max_delta_err = std::max(max_delta_err, std::abs((got[q] - start[q]) - (want[q] - start[q])));
        max_delta = std::max(max_delta, std::abs(want[q] - start[q]));
    }
    const double rel = max_delta > 0 ? max_delta_err / max_delta : 0;
    const bool ok = max_abs <= 1e-4 && rel <= 1e-3 && max_delta > 0;
    std::printf("    %-3s max |diff| %.2e, max |change| %.2e, change error %.2e of it  %s\n", name, max_abs, max_delta,
                rel, ok ? "ok" : "FAIL");
    return ok;
}

template <ep::W1Layout L>
bool check(const char* name, Update u, const Data& d) {
    using Net = ep::BasicTwoLayerNet<L>;
    auto net = std::make_unique<Net>();
    bool ok = true;
    const auto addr = reinterpret_cast<std::uintptr_t>(net.get());
    const auto w1addr = reinterpret_cast<std::uintptr_t>(net->W1.data());
    if (addr % alignof(Net) != 0 || w1addr % EIGEN_MAX_STATIC_ALIGN_BYTES != 0) {
        std::printf("  %s: misaligned allocation\n", name);
        ok = false;
    }
    net->init(2024);
    Reference ref(*net);
    const Params start = params_of(*net);

    std::printf("  %s\n", name);
    long allocations = 0;
    for (int t = 0; t < 3; ++t) {
        const long before = heap_allocations.load();
        const float got = run_step(*net, u, *d.x[t], d.labels[t]);
        allocations += heap_allocations.load() - before;
        const double want = ref.step(*d.x[t], d.labels[t], lr);
        const double rel = std::abs(got - want) / std::abs(want);
        const bool good = rel <= 1e-4 && std::isfinite(got);
        std::printf("    step %d loss %.6f, reference %.6f, relative error %.1e  %s\n", t + 1, got, want, rel,
                    good ? "ok" : "FAIL");
        ok &= good;
    }
    const Params got = params_of(*net);
    ok &= compare("W1", got.W1, ref.W1, start.W1);
    ok &= compare("b1", got.b1, ref.b1, start.b1);
    ok &= compare("W2", got.W2, ref.W2, start.W2);
    ok &= compare("b2", got.b2, ref.b2, start.b2);

    int wrong = 0;
    double max_score_err = 0;
    for (int n = 0; n < N; ++n) {
        const Sample sample = d.x[0]->row(n);
        int cls = -1, want_cls = -1;
        const long before = heap_allocations.load();
        const float score = net->predict_one(sample, cls);
        allocations += heap_allocations.load() - before;
        const double want = ref.predict(sample, want_cls);
        wrong += cls != want_cls;
        max_score_err = std::max(max_score_err, std::abs(score - want));
    }
    const bool pred_ok = wrong == 0 && max_score_err <= 1e-4;
    std::printf("    predict_one: %d of 100 classes differ, max score error %.1e  %s\n", wrong, max_score_err,
                pred_ok ? "ok" : "FAIL");
    ok &= pred_ok;
    const bool alloc_ok = allocations == 0;
    std::printf("    heap allocations in step/predict_one: %ld%s  %s\n", allocations,
                counting_allocations ? "" : " (not counted: no glibc)", alloc_ok ? "ok" : "FAIL");
    return ok && alloc_ok;
}

template <ep::W1Layout L>
void time_variant(const char* name, Update u, const Data& d, double peak) {
    auto net = std::make_unique<ep::BasicTwoLayerNet<L>>();
    net->init(7);
    int t = 0;
    const double ns = median_ns([&] {
        keep(run_step(*net, u, *d.x[t], d.labels[t]));
        t = (t + 1) % int(d.x.size());
    });
    const double gflops = step_flops / ns;
    std::printf("  %-38s %8.2f us/step %7.1f GFLOP/s %5.1f%% of peak\n", name, ns / 1e3, gflops, 100 * gflops / peak);
}

template <ep::W1Layout L>
void time_predict(const char* name, const Data& d) {
    auto net = std::make_unique<ep::BasicTwoLayerNet<L>>();
    net->init(7);
    auto samples = std::make_unique<Batch>(*d.x[0]);
    int n = 0, cls = 0;
    const double ns = median_ns([&] {
        keep(net->predict_one(samples->row(n), cls));
        keep(cls);
        n = (n + 1) % N;
    });
    std::printf("  %-38s %8.3f us\n", name, ns / 1e3);
}

}  // namespace

int main() {
    using ep::W1Layout;
    const Data d = make_data(3, 1);

    std::printf("eigen_step_check: Eigen %d.%d.%d, %s, %d-byte static alignment\n\n", EIGEN_WORLD_VERSION,
                EIGEN_MAJOR_VERSION, EIGEN_MINOR_VERSION, Eigen::SimdInstructionSetsInUse(),
                int(EIGEN_MAX_STATIC_ALIGN_BYTES));

    std::printf("correctness: 3 SGD steps (lr 0.1) against a double-precision reference\n");
    bool ok = true;
    ok &= check<W1Layout::out_in>("out_in (W1 stored 50x784), step [TwoLayerNet]", Update::fused, d);
    ok &= check<W1Layout::out_in>("out_in, step_with_gradients", Update::with_gradients, d);
    ok &= check<W1Layout::in_out>("in_out (W1 stored 784x50), step", Update::fused, d);
    ok &= check<W1Layout::in_out>("in_out, step_with_gradients", Update::with_gradients, d);
    std::printf("correctness: %s\n\n", ok ? "PASS" : "FAIL");

    const double peak = fma_peak_gflops();
    std::printf("training step, batch 100, %.2f MFLOP; measured FMA peak %.1f GFLOP/s\n", step_flops / 1e6, peak);
    time_variant<W1Layout::out_in>("out_in, step [TwoLayerNet]", Update::fused, d, peak);
    time_variant<W1Layout::out_in>("out_in, step_with_gradients", Update::with_gradients, d, peak);
    time_variant<W1Layout::in_out>("in_out, step", Update::fused, d, peak);
    time_variant<W1Layout::in_out>("in_out, step_with_gradients", Update::with_gradients, d, peak);

    std::printf("\nbatch-1 inference (predict_one)\n");
    time_predict<W1Layout::out_in>("out_in [TwoLayerNet]", d);
    time_predict<W1Layout::in_out>("in_out", d);
    return ok ? 0 : 1;
}
