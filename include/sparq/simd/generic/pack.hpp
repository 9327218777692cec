// SPDX-License-Identifier: Apache-2.0
// Generic prefix packers: none (layout/packing.hpp's loop does the work); per-arch files
// overload the widths where shuffles win (x86_avx2/pack.hpp: 6-bit).
#pragma once

#include <cstddef>
#include <cstdint>
#include <type_traits>

#include <xsimd/xsimd.hpp>

#include <sparq/core/config.hpp>

SPARQ_ARCH_NAMESPACE_BEGIN
namespace kernel {
namespace simd {

/// Codes 0..done-1 handled by an arch overload; the generic version handles none.
template <int Bits>
SPARQ_INLINE std::size_t unpack_prefix(std::uint8_t const*, std::size_t, std::uint8_t*, xsimd::generic const&) noexcept {
  return 0;
}
template <int Bits>
SPARQ_INLINE std::size_t pack_prefix(std::uint8_t const*, std::size_t, std::uint8_t*, xsimd::generic const&) noexcept {
  return 0;
}

}  // namespace simd
}  // namespace kernel
SPARQ_ARCH_NAMESPACE_END
