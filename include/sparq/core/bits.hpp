// SPDX-License-Identifier: Apache-2.0
// Bit-level helpers shared by the format and kernel layers: bit_cast, storage selection, masks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include <sparq/core/config.hpp>

// __builtin_bit_cast makes float <-> bits constexpr in C++17 (GCC >= 11, clang >= 9, nvcc's
// front end with those hosts). Elsewhere the memcpy path is used and the scalar codec is not
// usable in constant expressions.
#if defined(__has_builtin)
#if __has_builtin(__builtin_bit_cast)
#define SPARQ_HAS_CONSTEXPR_BIT_CAST 1
#endif
#endif
#ifndef SPARQ_HAS_CONSTEXPR_BIT_CAST
#define SPARQ_HAS_CONSTEXPR_BIT_CAST 0
#endif

#if SPARQ_HAS_CONSTEXPR_BIT_CAST
#define SPARQ_BIT_CAST_CONSTEXPR constexpr
#else
#define SPARQ_BIT_CAST_CONSTEXPR
#endif

SPARQ_NAMESPACE_BEGIN
namespace detail {

template <class To, class From>
SPARQ_HOST_DEVICE SPARQ_BIT_CAST_CONSTEXPR To bit_cast(From const& from) noexcept {
  static_assert(sizeof(To) == sizeof(From), "bit_cast needs types of equal size");
  static_assert(std::is_trivially_copyable<To>::value && std::is_trivially_copyable<From>::value,
                "bit_cast needs trivially copyable types");
#if SPARQ_HAS_CONSTEXPR_BIT_CAST
  return __builtin_bit_cast(To, from);
#else
  To to;
  std::memcpy(&to, &from, sizeof(To));
  return to;
#endif
}


/// The smallest unsigned integer type holding Bits bits (Bits <= 32).
template <int Bits>
using storage_for = std::conditional_t<
    (Bits <= 8), std::uint8_t,
    std::conditional_t<(Bits <= 16), std::uint16_t, std::uint32_t>>;

/// (1 << Bits) - 1 without overflow for Bits == 32.
SPARQ_HOST_DEVICE constexpr std::uint32_t low_mask(int bits) noexcept {
  return bits >= 32 ? 0xFFFFFFFFu : ((1u << bits) - 1u);
}

/// 2^e as a float for -149 <= e <= 127, exact and constexpr (no ldexp in C++17 constexpr).
SPARQ_HOST_DEVICE constexpr float exp2i(int e) noexcept {
  float r = 1.0f;
  if (e >= 0) {
    for (int i = 0; i < e; ++i) r *= 2.0f;
  } else {
    // Step through the normal range first so subnormal results are exact.
    for (int i = 0; i < -e; ++i) r *= 0.5f;
  }
  return r;
}
static_assert(exp2i(3) == 8.0f && exp2i(-2) == 0.25f, "exp2i");

/// Sets field j (b bits, least significant first) of a zeroed packed row.
inline void put_field(std::uint8_t* row, std::size_t j, unsigned b, unsigned v) noexcept {
  std::size_t const bit = j * b;
  row[bit / 8] = static_cast<std::uint8_t>(row[bit / 8] | (v << (bit % 8)));
  if (bit % 8 + b > 8) row[bit / 8 + 1] = static_cast<std::uint8_t>(row[bit / 8 + 1] | (v >> (8 - bit % 8)));
}

/// log2 of a power of two.
constexpr unsigned log2_of(std::size_t m) noexcept { return m <= 1 ? 0u : 1u + log2_of(m / 2); }

/// Field j (b bits, least significant first) of a packed bit stream; reads only the bytes that
/// hold it.
inline unsigned bit_field(std::uint8_t const* p, std::size_t j, unsigned b) noexcept {
  std::size_t const bit = j * b;
  unsigned const lo = p[bit / 8];
  unsigned const hi = bit % 8 + b > 8 ? p[bit / 8 + 1] : 0u;
  return ((lo | (hi << 8)) >> (bit % 8)) & ((1u << b) - 1u);
}

}  // namespace detail

/// Set bits of x.
inline int popcount64(std::uint64_t x) noexcept {
#if defined(__GNUC__) || defined(__clang__)
  return __builtin_popcountll(x);
#else
  int n = 0;
  for (; x != 0; x &= x - 1) ++n;
  return n;
#endif
}

/// Index of the lowest set bit of x != 0.
inline int lowest_bit64(std::uint64_t x) noexcept {
#if defined(__GNUC__) || defined(__clang__)
  return __builtin_ctzll(x);
#else
  int n = 0;
  for (; (x & 1u) == 0; x >>= 1) ++n;
  return n;
#endif
}
SPARQ_NAMESPACE_END
