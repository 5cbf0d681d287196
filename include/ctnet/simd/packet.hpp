// packet.hpp — the SIMD layer's entry point: the selected backend, its math, and packet_t<T>.
#pragma once

#include "select.hpp"
#include "math.hpp"

namespace ctnet::inline CTNET_ABI::simd {

// The packet the selected backend uses for T, and its lane count.
template <class T>
using packet_t = typename NativePacket<T>::type;

template <class T>
inline constexpr std::size_t lanes = packet_t<T>::size;

// Name of the selected backend, for reports ("avx2", "neon", ...).
inline constexpr const char* backend_name = CTNET_SIMD_NAME;

}  // namespace ctnet::simd
