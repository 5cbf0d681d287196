// arch/scalar/native.hpp — the scalar backend: one lane per packet, for targets without SIMD.
#pragma once

#include "packet.hpp"

namespace ctnet::inline CTNET_ABI::simd {

// Floating-point registers the product kernels may fill (x86-64 and AArch64 have at least 16).
inline constexpr std::size_t register_count = 16;

template <> struct NativePacket<float> { using type = Packet<float, 1>; };
template <> struct NativePacket<double> { using type = Packet<double, 1>; };

}  // namespace ctnet::simd
