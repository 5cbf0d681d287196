// config.hpp — version, the few compiler macros ctnet uses, and its error type.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

#define CTNET_VERSION_MAJOR 0
#define CTNET_VERSION_MINOR 1
#define CTNET_VERSION_PATCH 0

// Kernels are small functions called in unrolled loops; the compiler's inlining
// budget runs out long before the unrolling does, so hot helpers insist.
#if defined(__GNUC__) || defined(__clang__)
#  define CTNET_INLINE inline __attribute__((always_inline))
#  define CTNET_RESTRICT __restrict__
#else
#  define CTNET_INLINE inline
#  define CTNET_RESTRICT
#endif

// Hides where a pointer points from the optimiser, so loads through it are not
// hoisted out of the loop around them (where they would not fit the registers
// and be spilled instead; see gemm.hpp's inner_row).
#if defined(__GNUC__) || defined(__clang__)
#  define CTNET_OPAQUE(ptr) __asm__("" : "+r"(ptr))
#else
#  define CTNET_OPAQUE(ptr) ((void)0)
#endif

// Debug-only checks of preconditions the type system cannot express (an index
// in range, a destination that is not also an operand). Release builds trust
// the caller; bad *input* is never checked this way, it throws ctnet::Error.
#ifdef NDEBUG
#  define CTNET_ASSERT(cond, msg) ((void)0)
#else
#  include <cstdio>
#  include <cstdlib>
#  define CTNET_ASSERT(cond, msg)                                                     \
    ((cond) ? (void)0                                                                \
            : (std::fprintf(stderr, "%s:%d: ctnet: %s (%s)\n", __FILE__, __LINE__,   \
                            msg, #cond),                                             \
               std::abort()))
#endif

namespace ctnet {

// Every buffer ctnet allocates starts on a cache line, so any packet width up
// to AVX-512 can use aligned loads.
inline constexpr std::size_t buffer_alignment = 64;

// The one exception type ctnet throws for bad input: files, labels, flags,
// non-finite losses. The message names the file or the value.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace ctnet
