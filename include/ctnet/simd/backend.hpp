// backend.hpp — which SIMD backend this translation unit uses, and the ABI namespace named after it.
//
// The build may force a backend with -DCTNET_SIMD=CTNET_SIMD_<NAME> (meson
// option `simd`, and the flags that pkg-config and CMake hand a consumer);
// otherwise the widest instruction set the compiler targets wins. No
// intrinsics here: this header is only macros, so the compiled part (src/)
// may include it too.
//
// Matrix storage pads rows to whole packets, so the layout of every type
// built on packets depends on the backend. All of it lives in an inline
// namespace named after the backend (ctnet::backend_avx2::Matrix, ...), as
// libstdc++ and fmt do with versions: two translation units built for two
// backends get distinct types and distinct inline functions, so one program
// that mixes them either links two correct sets of code or fails to link
// with both backends' names in the message. It never silently shares one.
#pragma once

#define CTNET_SIMD_SCALAR 1
#define CTNET_SIMD_SSE2 2
#define CTNET_SIMD_AVX2 3
#define CTNET_SIMD_AVX512 4
#define CTNET_SIMD_NEON 5

#ifndef CTNET_SIMD
#  if defined(__AVX512F__) && defined(__FMA__)
#    define CTNET_SIMD CTNET_SIMD_AVX512
#  elif defined(__AVX2__) && defined(__FMA__)
#    define CTNET_SIMD CTNET_SIMD_AVX2
#  elif defined(__SSE2__)
#    define CTNET_SIMD CTNET_SIMD_SSE2
#  elif defined(__aarch64__) && defined(__ARM_NEON)
#    define CTNET_SIMD CTNET_SIMD_NEON
#  else
#    define CTNET_SIMD CTNET_SIMD_SCALAR
#  endif
#endif

// CTNET_ABI is the inline namespace; CTNET_SIMD_NAME the name users see.
#if CTNET_SIMD == CTNET_SIMD_AVX512
#  if !defined(__AVX512F__) || !defined(__FMA__)
#    error "ctnet: the avx512 backend needs -mavx512f -mfma (or -march=native on a CPU with AVX-512F)"
#  endif
#  define CTNET_ABI backend_avx512
#  define CTNET_SIMD_NAME "avx512"
#elif CTNET_SIMD == CTNET_SIMD_AVX2
#  if !defined(__AVX2__) || !defined(__FMA__)
#    error "ctnet: the avx2 backend needs -mavx2 -mfma (or -march=native on a CPU with AVX2 and FMA)"
#  endif
#  define CTNET_ABI backend_avx2
#  define CTNET_SIMD_NAME "avx2"
#elif CTNET_SIMD == CTNET_SIMD_SSE2
#  if !defined(__SSE2__)
#    error "ctnet: the sse2 backend needs an x86 target with SSE2"
#  endif
#  define CTNET_ABI backend_sse2
#  define CTNET_SIMD_NAME "sse2"
#elif CTNET_SIMD == CTNET_SIMD_NEON
#  if !defined(__aarch64__) || !defined(__ARM_NEON)
#    error "ctnet: the neon backend needs an AArch64 target"
#  endif
#  define CTNET_ABI backend_neon
#  define CTNET_SIMD_NAME "neon"
#elif CTNET_SIMD == CTNET_SIMD_SCALAR
#  define CTNET_ABI backend_scalar
#  define CTNET_SIMD_NAME "scalar"
#else
#  error "ctnet: CTNET_SIMD names no known backend (use CTNET_SIMD_SCALAR, _SSE2, _AVX2, _AVX512 or _NEON)"
#endif

// Internals: ctnet::detail is inside the backend's namespace (so
// `detail::x` is never ambiguous); the few internals of the compiled part,
// which has no backend, are in ctnet::impl.
