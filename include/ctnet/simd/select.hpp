// select.hpp — the one place that maps the compiler's target to a SIMD backend.
//
// The build may force a backend with -DCTNET_SIMD=CTNET_SIMD_<NAME> (meson
// option `simd`); otherwise the widest instruction set the compiler targets
// wins. Adding a backend means a new id here and a directory under arch/.
#pragma once

#include "arch/scalar/packet.hpp"  // Packet<T, 1>, used by every backend for single coefficients

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

#if CTNET_SIMD == CTNET_SIMD_AVX512
#  if !defined(__AVX512F__) || !defined(__FMA__)
#    error "ctnet: the avx512 backend needs -mavx512f -mfma (or -march=native on a CPU with AVX-512F)"
#  endif
#  include "arch/avx512/packet.hpp"
#  define CTNET_SIMD_NAME "avx512"
#elif CTNET_SIMD == CTNET_SIMD_AVX2
#  if !defined(__AVX2__) || !defined(__FMA__)
#    error "ctnet: the avx2 backend needs -mavx2 -mfma (or -march=native on a CPU with AVX2 and FMA)"
#  endif
#  include "arch/avx2/packet.hpp"
#  define CTNET_SIMD_NAME "avx2"
#elif CTNET_SIMD == CTNET_SIMD_SSE2
#  if !defined(__SSE2__)
#    error "ctnet: the sse2 backend needs an x86 target with SSE2"
#  endif
#  include "arch/sse2/packet.hpp"
#  define CTNET_SIMD_NAME "sse2"
#elif CTNET_SIMD == CTNET_SIMD_NEON
#  if !defined(__aarch64__) || !defined(__ARM_NEON)
#    error "ctnet: the neon backend needs an AArch64 target"
#  endif
#  include "arch/neon/packet.hpp"
#  define CTNET_SIMD_NAME "neon"
#elif CTNET_SIMD == CTNET_SIMD_SCALAR
#  include "arch/scalar/native.hpp"
#  define CTNET_SIMD_NAME "scalar"
#else
#  error "ctnet: CTNET_SIMD names no known backend (use CTNET_SIMD_SCALAR, _SSE2, _AVX2, _AVX512 or _NEON)"
#endif
