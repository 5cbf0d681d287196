// allocations.hpp — what a test program that links support/allocations.cpp can ask about heap allocations.
#pragma once

#include <atomic>
#include <cstddef>

namespace ctnet::test::allocations {

// Incremented by every operator new while `counting` is set.
extern std::atomic<bool> counting;
extern std::atomic<long> count;
// The largest single allocation since it was last reset to 0 (always recorded).
extern std::atomic<std::size_t> largest;

// Counts the allocations made while alive.
struct Counter {
    Counter() {
        count = 0;
        counting = true;
    }
    ~Counter() { counting = false; }
    long allocations() const { return count.load(); }
};

}  // namespace ctnet::test::allocations
