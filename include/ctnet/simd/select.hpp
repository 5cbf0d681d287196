// select.hpp — brings in the packets of the backend that backend.hpp chose from the compiler's target.
//
// backend.hpp decides which backend (and names its ABI namespace); this file
// includes that backend's packets. Adding a backend means a new id in
// backend.hpp, a line here and a directory under arch/.
#pragma once

#include "backend.hpp"              // CTNET_SIMD: which backend; CTNET_ABI: its namespace
#include "cpu_check.hpp"            // stops a program on a CPU that lacks the backend's instructions
#include "arch/scalar/packet.hpp"  // Packet<T, 1>, used by every backend for single coefficients

#if CTNET_SIMD == CTNET_SIMD_AVX512
#  include "arch/avx512/packet.hpp"
#elif CTNET_SIMD == CTNET_SIMD_AVX2
#  include "arch/avx2/packet.hpp"
#elif CTNET_SIMD == CTNET_SIMD_SSE2
#  include "arch/sse2/packet.hpp"
#elif CTNET_SIMD == CTNET_SIMD_NEON
#  include "arch/neon/packet.hpp"
#else
#  include "arch/scalar/native.hpp"
#endif
