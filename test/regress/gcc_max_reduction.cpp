// gcc_max_reduction.cpp — issue 9: a ternary max-reduction followed by z - m, plain and through ctnet.
//
// The report: GCC 12.2 at -O2 -march=native on an AVX-512 CPU turned
//     m = z[0]; for (i) m = z[i] > m ? z[i] : m;   for (i) out[i] = z[i] - m;
// over compile-time-constant inputs into wrong values, and ctnet's double
// softmax with it. run_levels.py compiles this program at every optimisation
// level the project builds and runs it. Debian's g++ 12.2.0 on an AVX-512 Zen 5
// got both parts right at -O0, -Og, -O1, -O2, -O3 (and -march=x86-64-v4,
// skylake-avx512, sapphirerapids, -ffast-math): all zeros is the right answer
// for a row of equal values, z - max(z). The test stays so that a compiler
// that does get it wrong is seen, and caught where it touches ctnet.
//
// Part 1 is that plain loop, without ctnet. Its verdict is printed only: a
// compiler that gets it wrong is a compiler bug this program records, not a
// ctnet failure. Part 2 puts the same inputs through ctnet (row_max,
// max_coeff, softmax, SoftmaxWithLoss) and exits 1 on any wrong value.
//
// Every input is a constant the compiler sees, so the optimiser may fold as
// much as it likes. The reference it is checked against cannot be folded: it
// reads the inputs back through volatile copies and works in long double
// (x87 on x86-64, not the SSE/AVX code being checked).
#include <ctnet/layer/softmax.hpp>
#include <ctnet/layer/softmax_with_loss.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <limits>
#include <utility>

namespace {

int plain_cases = 0, plain_wrong = 0;
int ctnet_checks = 0, ctnet_wrong = 0;

const char* type_name(float) { return "float"; }
const char* type_name(double) { return "double"; }

// The inputs: every value is known at compile time once value() is inlined.
//   0: all -1e30   1: all -5   2: -5 in one place, -1e30 elsewhere
//   3: a ramp up to -5          4: a ramp down from -5
template <class T>
constexpr T value(int pattern, std::size_t i, std::size_t j, std::size_t cols) {
    switch (pattern) {
        case 0: return T(-1e30);
        case 1: return T(-5);
        case 2: return j == (i + cols / 2) % cols ? T(-5) : T(-1e30);
        case 3: return T(-5) - T(0.5) * T(cols - 1 - j) - T(i);
        default: return T(-5) - T(0.5) * T(j) - T(i);
    }
}
constexpr int patterns = 5;

// Row i of the inputs as the reference sees them: through volatile, so the
// compiler knows nothing about the values.
template <class T, std::size_t C>
std::array<long double, C> opaque_row(int pattern, std::size_t i) {
    volatile T v[C];
    for (std::size_t j = 0; j < C; ++j) v[j] = value<T>(pattern, i, j, C);
    std::array<long double, C> out{};
    for (std::size_t j = 0; j < C; ++j) out[j] = v[j];
    return out;
}
template <std::size_t C>
long double reference_max(const std::array<long double, C>& z) {
    long double m = -std::numeric_limits<long double>::infinity();
    for (long double v : z) if (v > m) m = v;
    return m;
}

// ---- part 1: the plain loop --------------------------------------------------

template <class T, std::size_t N, int Pattern, bool FromFirst>
void plain_case() {
    T z[N];
    for (std::size_t i = 0; i < N; ++i) z[i] = value<T>(Pattern, 0, i, N);
    T m = FromFirst ? z[0] : -std::numeric_limits<T>::infinity();
    for (std::size_t i = 0; i < N; ++i) m = z[i] > m ? z[i] : m;
    T out[N];
    for (std::size_t i = 0; i < N; ++i) out[i] = z[i] - m;

    ++plain_cases;
    const auto ref = opaque_row<T, N>(Pattern, 0);
    const long double rm = reference_max(ref);
    for (std::size_t i = 0; i < N; ++i) {
        const T want = static_cast<T>(ref[i] - rm);
        if (out[i] != want) {
            if (plain_wrong++ == 0)
                std::printf("  plain loop wrong: %s N=%zu pattern %d, m from %s: out[%zu] = %g, want %g\n",
                            type_name(T{}), N, Pattern, FromFirst ? "z[0]" : "-inf", i, double(out[i]),
                            double(want));
            return;
        }
    }
}

template <class T, int Pattern, std::size_t... Ns>
void plain_sizes(std::index_sequence<Ns...>) {
    ((plain_case<T, Ns + 1, Pattern, true>(), plain_case<T, Ns + 1, Pattern, false>()), ...);
}
template <class T, int... Ps>
void plain_all(std::integer_sequence<int, Ps...>) {
    (plain_sizes<T, Ps>(std::make_index_sequence<16>{}), ...);
}

// ---- part 2: the same inputs through ctnet ------------------------------------

template <class T>
bool close(long double got, long double want) {
    // Loose enough for ctnet's exp (a few ulps), far too tight for the reported
    // failure (zeros where -1e30 or -5 belong).
    const long double tol = std::is_same_v<T, float> ? 1e-5L : 1e-12L;
    return std::fabs(got - want) <= tol * std::fabs(want) + std::numeric_limits<T>::min();
}

template <class T, std::size_t R, std::size_t C, int Pattern>
void report(const char* what, std::size_t i, std::size_t j, long double got, long double want) {
    if (ctnet_wrong++ < 10)
        std::printf("  ctnet wrong: %s of Matrix<%s, %zu, %zu> pattern %d at (%zu, %zu): %.17Lg, want %.17Lg\n",
                    what, type_name(T{}), R, C, Pattern, i, j, got, want);
}

template <class T, std::size_t R, std::size_t C, int Pattern>
void ctnet_case() {
    ctnet::Matrix<T, R, C> x;
    for (std::size_t i = 0; i < R; ++i)
        for (std::size_t j = 0; j < C; ++j) x(i, j) = value<T>(Pattern, i, j, C);

    const auto m = ctnet::row_max(x);
    const T top = ctnet::max_coeff(x);
    const auto y = ctnet::softmax(x);
    std::array<int, R> labels{};
    for (std::size_t i = 0; i < R; ++i) labels[i] = static_cast<int>((i * 7) % C);
    ctnet::SoftmaxWithLoss::Impl<T, R, C> loss_layer;
    const T loss = loss_layer.forward(x, labels);

    ++ctnet_checks;
    long double all_max = -std::numeric_limits<long double>::infinity(), want_loss = 0;
    for (std::size_t i = 0; i < R; ++i) {
        const auto z = opaque_row<T, C>(Pattern, i);
        const long double rm = reference_max(z);
        all_max = std::max(all_max, rm);
        if (m(i, 0) != rm) report<T, R, C, Pattern>("row_max", i, 0, m(i, 0), rm);
        long double s = 0;
        for (long double v : z) s += std::exp(v - rm);
        for (std::size_t j = 0; j < C; ++j) {
            const long double want = std::exp(z[j] - rm) / s;
            if (!close<T>(y(i, j), want)) report<T, R, C, Pattern>("softmax", i, j, y(i, j), want);
            if (!close<T>(loss_layer.y(i, j), want))
                report<T, R, C, Pattern>("SoftmaxWithLoss y", i, j, loss_layer.y(i, j), want);
        }
        want_loss += std::log(s) + rm - z[static_cast<std::size_t>(labels[i])];
    }
    if (top != all_max) report<T, R, C, Pattern>("max_coeff", 0, 0, top, all_max);
    want_loss /= R;
    if (!close<T>(loss, want_loss)) report<T, R, C, Pattern>("SoftmaxWithLoss loss", 0, 0, loss, want_loss);
}

template <class T, std::size_t R, std::size_t C, int... Ps>
void ctnet_patterns(std::integer_sequence<int, Ps...>) {
    (ctnet_case<T, R, C, Ps>(), ...);
}
// One row at widths under, at and just past one packet of every backend (1, 2,
// 4 and 8 doubles; 4, 8 and 16 floats), and three rows around a boundary.
template <class T, std::size_t... Cs>
void ctnet_widths(std::index_sequence<Cs...>) {
    (ctnet_patterns<T, 1, Cs>(std::make_integer_sequence<int, patterns>{}), ...);
}
template <class T>
void ctnet_all() {
    ctnet_widths<T>(std::index_sequence<1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17>{});
    ctnet_patterns<T, 3, 7>(std::make_integer_sequence<int, patterns>{});
    ctnet_patterns<T, 3, 9>(std::make_integer_sequence<int, patterns>{});
    ctnet_patterns<T, 3, 16>(std::make_integer_sequence<int, patterns>{});
}

// A NaN logit stays NaN through softmax (training must stop on it, as it does
// through Relu), whatever the max computation does with it.
template <class T>
void nan_case() {
    const T nan = std::numeric_limits<T>::quiet_NaN();
    for (std::size_t at = 0; at < 3; ++at) {
        ctnet::Matrix<T, 1, 3> x({{T(-5), T(-1e30), T(2)}});
        x(0, at) = nan;
        const auto y = ctnet::softmax(x);
        ++ctnet_checks;
        if (!std::isnan(y(0, at))) report<T, 1, 3, -1>("softmax of a NaN", 0, at, y(0, at), nan);
    }
}

}  // namespace

int main() {
    plain_all<double>(std::make_integer_sequence<int, patterns>{});
    plain_all<float>(std::make_integer_sequence<int, patterns>{});
    std::printf("plain ternary max then z - m (no ctnet): %s, %d of %d cases wrong\n",
                plain_wrong ? "MISCOMPILED by this compiler" : "correct", plain_wrong, plain_cases);

    ctnet_all<double>();
    ctnet_all<float>();
    nan_case<double>();
    nan_case<float>();
    std::printf("ctnet row_max, max_coeff, softmax, SoftmaxWithLoss: %s, %d wrong values in %d cases\n",
                ctnet_wrong ? "WRONG" : "correct", ctnet_wrong, ctnet_checks);
    return ctnet_wrong ? 1 : 0;
}
