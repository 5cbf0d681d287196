// cpu_gate.cpp — skips a test program (exit 77, meson's "skipped") on a CPU that cannot run its backend.
//
// Compiled without the backend's instruction-set flags and run before any
// other static initialiser, so not one instruction of the backend executes
// on a CPU without it.
#include <cstdio>
#include <cstdlib>

#ifndef CTNET_TEST_BACKEND
#  error "define CTNET_TEST_BACKEND (scalar, sse2, avx2, avx512, neon)"
#endif
#define CTNET_STR2(x) #x
#define CTNET_STR(x) CTNET_STR2(x)

namespace {

bool cpu_runs(const char* backend) {
    const auto is = [&](const char* name) { return __builtin_strcmp(backend, name) == 0; };
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    if (is("avx512")) return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("fma");
    if (is("avx2")) return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#endif
    (void)is;
    return true;
}

__attribute__((constructor(101))) void require_backend() {
    const char* backend = CTNET_STR(CTNET_TEST_BACKEND);
    if (!cpu_runs(backend)) {
        std::printf("SKIP: this CPU cannot run the %s backend\n", backend);
        std::fflush(stdout);
        std::_Exit(77);
    }
}

}  // namespace
