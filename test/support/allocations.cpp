// allocations.cpp — replaces the global operator new/delete of the test programs that link it,
// to count allocations (a step must make none) and record the largest (a lying header must not get gigabytes).
#include "allocations.hpp"

#include <cstdlib>
#include <new>

namespace ctnet::test::allocations {
std::atomic<bool> counting{false};
std::atomic<long> count{0};
std::atomic<std::size_t> largest{0};
}  // namespace ctnet::test::allocations

namespace {
void note(std::size_t n) {
    namespace a = ctnet::test::allocations;
    if (a::counting.load(std::memory_order_relaxed)) a::count.fetch_add(1, std::memory_order_relaxed);
    std::size_t seen = a::largest.load(std::memory_order_relaxed);
    while (n > seen && !a::largest.compare_exchange_weak(seen, n, std::memory_order_relaxed)) {
    }
}
}  // namespace

// Not inlined: GCC would then see free() on what operator new returned, and warn.
[[gnu::noinline]] void* operator new(std::size_t n) {
    note(n);
    if (void* p = std::malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
[[gnu::noinline]] void* operator new(std::size_t n, std::align_val_t al) {
    note(n);
    const std::size_t align = static_cast<std::size_t>(al);
    if (void* p = std::aligned_alloc(align, (n + align - 1) / align * align)) return p;
    throw std::bad_alloc();
}
[[gnu::noinline]] void operator delete(void* p) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete(void* p, std::size_t) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
