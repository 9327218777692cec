// SPDX-License-Identifier: Apache-2.0
// The chunk codec of dense codes: U consecutive codes of element format E, packed as
// layout/packing.hpp says, decoded to float lanes or to their int8 image by the arch registry's
// primitives (simd/registry.hpp); scalar forms for builds without SIMD and for value(). Chunks
// that end past K are masked first (masked_chunk), so padding and whatever follows a row never
// reach the arithmetic.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include <sparq/core/config.hpp>
#include <sparq/format/traits.hpp>
#include <sparq/kernel/source/addressing.hpp>
#include <sparq/simd/registry.hpp>

SPARQ_NAMESPACE_BEGIN
namespace detail {

/// Keeps the first `valid` codes of a chunk copied to dst (bytes long) and clears the rest.
inline void mask_chunk(std::uint8_t* dst, std::size_t bytes, std::size_t valid, int bits) noexcept {
  std::size_t const keep_bits = valid * static_cast<std::size_t>(bits);
  std::size_t const full = keep_bits / 8, rest = keep_bits % 8;
  if (rest != 0) dst[full] = static_cast<std::uint8_t>(dst[full] & ((1u << rest) - 1u));
  for (std::size_t i = full + (rest != 0 ? 1 : 0); i < bytes; ++i) dst[i] = 0;
}

template <class E, std::size_t U>
struct dense_codec {
  static constexpr std::size_t unit = U;
  static constexpr std::size_t chunk_bytes = U * static_cast<std::size_t>(bits_of_v<E>) / 8;
  static constexpr bool has_image = bits_of_v<E> <= 8 && int8_image<E>::exists;
  static constexpr int image_factor = has_image ? int8_image<E>::factor : 0;
  /// The chunk's bytes are read where they lie (a foreign codec reorders them into a copy).
  static constexpr bool in_place = true;

  static void copy(std::uint8_t const* p, std::uint8_t* dst) noexcept { std::memcpy(dst, p, chunk_bytes); }

  /// dst = the chunk at p with codes from `valid` on cleared; `avail` bytes may be read at p.
  static void masked_chunk(std::uint8_t const* p, std::size_t avail, std::size_t valid, std::uint8_t* dst) noexcept {
    std::size_t const n = avail < chunk_bytes ? avail : chunk_bytes;
    std::memcpy(dst, p, n);
    for (std::size_t i = n; i < chunk_bytes; ++i) dst[i] = 0;
    mask_chunk(dst, chunk_bytes, valid, bits_of_v<E>);
  }

  static float value(std::uint8_t const* p, std::size_t u) noexcept { return static_cast<float>(unpack_code<E>(p, u)); }

#if SPARQ_SIMD
  template <class Arch>
  SPARQ_INLINE static void decode(std::uint8_t const* p, kernel::simd::fbatch<Arch>* out) noexcept {
    kernel::simd::decode_chunk<Arch, E, U>(p, out, Arch{});
  }
#endif

  /// out[u] = image(code u) - zero. Zero-point formats: the code itself minus the zero point.
  template <class Arch>
  SPARQ_INLINE static void image(std::uint8_t const* p, int zero, std::int8_t* out) noexcept {
#if SPARQ_SIMD
    if constexpr (!std::is_same<Arch, no_simd_arch>::value) {
      kernel::simd::image_chunk<Arch, E, U>(p, zero, out, Arch{});
      return;
    }
#endif
    for (std::size_t u = 0; u < U; ++u) {
      out[u] = static_cast<std::int8_t>(image_table_v<E>[unpack_code<E>(p, u).bits()] - zero);
    }
  }
};

}  // namespace detail
SPARQ_NAMESPACE_END
