// SPDX-License-Identifier: Apache-2.0
// Chunk decode for the GEMV/GEMM kernels: U consecutive codes of a packed row (U = 16 or 32, a
// whole number of bytes for every width) to U / W float batches of their exact values (no block
// scale). Written once against the format traits; per-arch files overload it (simd/registry.hpp).
#pragma once

#include <cstddef>
#include <cstdint>

#include <xsimd/xsimd.hpp>

#include <sparq/core/config.hpp>
#include <sparq/format/traits.hpp>
#include <sparq/simd/generic/convert.hpp>
#include <sparq/simd/lanes.hpp>
#include <sparq/layout/packing.hpp>

SPARQ_ARCH_NAMESPACE_BEGIN
namespace kernel {
namespace simd {

/// Bytes of U codes of E (U * bits / 8; U is a multiple of 8).
template <class E, std::size_t U>
inline constexpr std::size_t chunk_bytes = U * static_cast<std::size_t>(bits_of_v<E>) / 8;

/// out[j] = the values of codes j*W .. j*W+W-1 of the chunk at p. Sub-byte codes are unpacked to
/// a byte each first, wider ones are decoded where they lie (p aligned to the storage type).
template <class A, class E, std::size_t U>
SPARQ_INLINE void decode_chunk(std::uint8_t const* p, fbatch<A>* out, xsimd::generic const&) noexcept {
  constexpr std::size_t w = fbatch<A>::size;
  static_assert(U % w == 0, "decode_chunk: U must be a multiple of the batch size");
  if constexpr (bits_of_v<E> >= 8) {
    E const* e = reinterpret_cast<E const*>(p);
    for (std::size_t j = 0; j < U / w; ++j) out[j] = load_float<A>(e + j * w, A{});
  } else {
    alignas(64) E tmp[U];
    unpack(p, U, tmp);
    for (std::size_t j = 0; j < U / w; ++j) out[j] = load_float<A>(tmp + j * w, A{});
  }
}

}  // namespace simd
}  // namespace kernel
SPARQ_ARCH_NAMESPACE_END
