// cpu_check.cpp — the start-up check of the CPU against the features a program was compiled for.
//
// Compiled for the architecture's baseline like all of src/, so it runs on
// any CPU of the architecture and can say what is missing instead of dying.
#define CTNET_NO_CPU_CHECK  // the library checks others; it needs no check of its own
#include "ctnet/simd/cpu_check.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace ctnet::impl {

namespace {

// __builtin_cpu_supports takes only string literals, hence one line each.
// Returns -1 for a name this table does not know (it is then not checked).
int cpu_has(const char* f) {
#if defined(__x86_64__) || defined(__i386__)
#  define CTNET_FEATURE(name) \
      if (std::strcmp(f, name) == 0) return __builtin_cpu_supports(name) ? 1 : 0;
    CTNET_FEATURE("sse2")
    CTNET_FEATURE("sse3")
    CTNET_FEATURE("ssse3")
    CTNET_FEATURE("sse4.1")
    CTNET_FEATURE("sse4.2")
    CTNET_FEATURE("popcnt")
    CTNET_FEATURE("avx")
    CTNET_FEATURE("avx2")
    CTNET_FEATURE("fma")
    CTNET_FEATURE("bmi")
    CTNET_FEATURE("bmi2")
    CTNET_FEATURE("avx512f")
    CTNET_FEATURE("avx512cd")
    CTNET_FEATURE("avx512vl")
    CTNET_FEATURE("avx512bw")
    CTNET_FEATURE("avx512dq")
    CTNET_FEATURE("avx512ifma")
    CTNET_FEATURE("avx512vbmi")
    CTNET_FEATURE("avx512vbmi2")
    CTNET_FEATURE("avx512vnni")
    CTNET_FEATURE("avx512bitalg")
    CTNET_FEATURE("avx512vpopcntdq")
#  undef CTNET_FEATURE
#endif
    (void)f;
    return -1;
}

}  // namespace

void require_cpu_features(const char* backend, const char* const* features, std::size_t count) noexcept {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();  // constructors may run before libgcc has filled in its CPU model
#endif
    std::string missing;
    for (std::size_t i = 0; i < count; ++i)
        if (cpu_has(features[i]) == 0) {
            if (!missing.empty()) missing += ' ';
            missing += features[i];
        }
    if (missing.empty()) return;
    std::fprintf(stderr,
                 "ctnet: this program was built for the %s backend, but this CPU lacks %s; rebuild it for this "
                 "CPU (meson setup -Dnative=true on it, or a narrower -Dsimd=... / -march=...)\n",
                 backend, missing.c_str());
    std::fflush(stderr);
    std::_Exit(1);
}

}  // namespace ctnet::impl
