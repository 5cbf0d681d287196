// packet_fwd.hpp — declares Packet<T, N> and Mask<T, N>, which each backend specialises.
#pragma once

#include <cstddef>

#include "../config.hpp"

namespace ctnet::inline CTNET_ABI::simd {

// N lanes of T in one register. A backend specialises it with the native
// register as member `v` and the static constructors zero/broadcast/load/loadu,
// plus the members store/storeu; free functions in the same header give the
// arithmetic, comparisons, select, reductions and the two bit-level helpers
// math.hpp builds exp and log on (exp2_integral, split_exponent).
template <class T, std::size_t N>
struct Packet;

// The result of a lane-wise comparison: the backend's own mask form (a full
// register on SSE/AVX2/NEON, a k-register on AVX-512, a bool on scalar).
template <class T, std::size_t N>
struct Mask;

// The packet a backend prefers for T; `type` names it.
template <class T>
struct NativePacket;

}  // namespace ctnet::simd
