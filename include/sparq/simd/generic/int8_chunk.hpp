// SPDX-License-Identifier: Apache-2.0
// int8_activations building blocks, generic forms: the int8 image of a chunk of codes and the
// integer dot product of two int8 chunks. Per-arch files overload both (simd/registry.hpp).
#pragma once

#include <cstddef>
#include <cstdint>

#include <xsimd/xsimd.hpp>

#include <sparq/core/config.hpp>
#include <sparq/simd/lanes.hpp>
#include <sparq/format/traits.hpp>
#include <sparq/layout/packing.hpp>

SPARQ_ARCH_NAMESPACE_BEGIN
namespace kernel {
namespace simd {

/// out[u] = image(code u of the chunk at p) - zero, for u < U.
template <class A, class E, std::size_t U>
SPARQ_INLINE void image_chunk(std::uint8_t const* p, int zero, std::int8_t* out, xsimd::generic const&) noexcept {
  if constexpr (bits_of_v<E> == 8) {
    for (std::size_t u = 0; u < U; ++u) out[u] = static_cast<std::int8_t>(image_table_v<E>[p[u]] - zero);
  } else {
    E codes[U];
    unpack(p, U, codes);
    for (std::size_t u = 0; u < U; ++u) {
      out[u] = static_cast<std::int8_t>(image_table_v<E>[codes[u].bits()] - zero);
    }
  }
}

/// Float lanes whose sum is sum_u w[u] * q[u] (exact: every lane is an integer below 2^24).
template <class A, std::size_t U>
SPARQ_INLINE fbatch<A> int8_dot(std::int8_t const* w, std::int8_t const* q, xsimd::generic const&) noexcept {
  std::int32_t s = 0;
  for (std::size_t u = 0; u < U; ++u) s += static_cast<std::int32_t>(w[u]) * q[u];
  alignas(64) float lanes[fbatch<A>::size] = {};
  lanes[0] = static_cast<float>(s);
  return fbatch<A>::load_aligned(lanes);
}

}  // namespace simd
}  // namespace kernel
SPARQ_ARCH_NAMESPACE_END
