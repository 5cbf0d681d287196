// cpu_check.hpp — stops a program at start-up, with one clear line, on a CPU that lacks the instructions it was built for.
//
// A program compiled for AVX-512 would otherwise die with SIGILL somewhere
// in its first product, on a CPU without it. Every translation unit that
// uses the packets registers, before any other constructor of the program,
// the x86 features its compiler targeted (from the compiler's own macros:
// -march=native brings more than the backend needs); the check itself runs
// in libctnet, which is compiled for the architecture's baseline, so not one
// instruction of the wider set executes first. Define CTNET_NO_CPU_CHECK to
// opt out (a program that dispatches on the CPU itself).
#pragma once

#include <cstddef>

#include "backend.hpp"  // CTNET_SIMD_NAME

namespace ctnet::impl {

// Prints "ctnet: ..." naming the backend, the missing features and how to
// rebuild, then exits with status 1, if the CPU lacks any of the features.
// Unknown names are ignored. Defined in src/cpu_check.cpp.
void require_cpu_features(const char* backend, const char* const* features, std::size_t count) noexcept;

}  // namespace ctnet::impl

#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__)) && \
    !defined(CTNET_NO_CPU_CHECK)
namespace {
// Priority 102: after a test harness's own gate (101, which skips instead),
// before every constructor without a priority, that is all ordinary globals.
__attribute__((constructor(102), used)) void ctnet_require_target_cpu() {
    static const char* const features[] = {
        "sse2",
#  ifdef __SSE3__
        "sse3",
#  endif
#  ifdef __SSSE3__
        "ssse3",
#  endif
#  ifdef __SSE4_1__
        "sse4.1",
#  endif
#  ifdef __SSE4_2__
        "sse4.2",
#  endif
#  ifdef __POPCNT__
        "popcnt",
#  endif
#  ifdef __AVX__
        "avx",
#  endif
#  ifdef __AVX2__
        "avx2",
#  endif
#  ifdef __FMA__
        "fma",
#  endif
#  ifdef __BMI__
        "bmi",
#  endif
#  ifdef __BMI2__
        "bmi2",
#  endif
#  ifdef __AVX512F__
        "avx512f",
#  endif
#  ifdef __AVX512CD__
        "avx512cd",
#  endif
#  ifdef __AVX512VL__
        "avx512vl",
#  endif
#  ifdef __AVX512BW__
        "avx512bw",
#  endif
#  ifdef __AVX512DQ__
        "avx512dq",
#  endif
#  ifdef __AVX512IFMA__
        "avx512ifma",
#  endif
#  ifdef __AVX512VBMI__
        "avx512vbmi",
#  endif
#  ifdef __AVX512VBMI2__
        "avx512vbmi2",
#  endif
#  ifdef __AVX512VNNI__
        "avx512vnni",
#  endif
#  ifdef __AVX512BITALG__
        "avx512bitalg",
#  endif
#  ifdef __AVX512VPOPCNTDQ__
        "avx512vpopcntdq",
#  endif
    };
    ::ctnet::impl::require_cpu_features(CTNET_SIMD_NAME, features, sizeof features / sizeof features[0]);
}
}  // namespace
#endif
