// SPDX-License-Identifier: Apache-2.0
// The float16 trick's arch-independent half, shared by every arch's decode: which minifloats
// reach float through a float16 encoding (their fields moved into float16's, so the hardware's
// float16 -> float conversion does the subnormal work and one multiply rebiases), the multiplier,
// and the 16-entry tables of float16 high bytes for 4-bit formats. Arch files (x86_avx2/codes.hpp,
// arm_neon/codes.hpp) turn them into registers.
#pragma once

#include <array>
#include <cstddef>

#include <sparq/core/bits.hpp>
#include <sparq/core/config.hpp>
#include <sparq/format/traits.hpp>

SPARQ_ARCH_NAMESPACE_BEGIN
namespace kernel {
namespace simd {

/// Minifloats whose fields fit float16's once moved into place: the exponent field goes to
/// float16's exponent unchanged, so the conversion does the subnormal work and one multiply by
/// 2^(15 - bias) rebiases. Five-bit exponents only where float16 reads the top binade the same
/// way (float8_e5m2: Inf and NaN); e5m2fnuz keeps the generic path.
template <class Spec>
inline constexpr bool via_half = !Spec::is_integer && Spec::bits <= 8 && Spec::is_signed && Spec::has_zero &&
                                 Spec::man_bits <= 10 &&
                                 (Spec::exp_bits <= 4 ||
                                  (Spec::exp_bits == 5 && Spec::bias == 15 && Spec::special == specials::ieee));

template <class E>
constexpr bool via_half_format_f() noexcept {
  if constexpr (E::spec::is_integer) {
    return false;
  } else {
    return via_half<typename E::spec>;
  }
}
/// The element format E takes the float16 trick.
template <class E>
inline constexpr bool via_half_format = via_half_format_f<E>();

/// The multiplier that undoes the trick's rebias (1 when the bias is float16's).
template <class Spec>
inline constexpr float rebias = Spec::bias == 15 ? 1.0f : sparq::detail::exp2i(15 - Spec::bias);

/// The high byte of the float16 encoding of v, when v is exactly that float16 with a zero low
/// byte (at most 3 significant bits, exponent in float16's normal range); -1 otherwise.
constexpr int half_high_byte(float v) noexcept {
  int sign = 0;
  if (v < 0.0f) {
    sign = 0x80;
    v = -v;
  }
  if (v == 0.0f) return sign;
  int e = 0;
  while (v >= 2.0f) {
    v *= 0.5f;
    ++e;
  }
  while (v < 1.0f) {
    v *= 2.0f;
    --e;
  }
  float const frac = (v - 1.0f) * 4.0f;  // two mantissa bits live in the high byte
  int const man = static_cast<int>(frac);
  if (static_cast<float>(man) != frac || e < -14 || e > 15) return -1;
  return sign | ((e + 15) << 2) | man;
}

/// 4-bit formats whose every value is such a float16 (FP4 E2M1, INT4): the table of high bytes.
template <class E>
struct half_table {
  static constexpr auto make() noexcept {
    std::array<int, 16> t{};
    for (std::size_t c = 0; c < 16; ++c) t[c] = half_high_byte(decode_table_v<E>[c]);
    return t;
  }
  static constexpr std::array<int, 16> table = make();
  static constexpr bool exact() noexcept {
    for (int b : table) {
      if (b < 0) return false;
    }
    return true;
  }
};

/// How a 4-, 6- or 8-bit element format's chunks decode on the archs with the trick: `half`
/// (every value reaches float through a float16 encoding: FP4 E2M1, INT4, FP6, FP8 but
/// e5m2fnuz), `bytes` (UINT4: zero extension of the code), or not at all (the generic decode).
template <class E>
constexpr bool decodes_via_half() noexcept {
  if constexpr (bits_of_v<E> == 4) {
    return half_table<E>::exact();
  } else {
    return (bits_of_v<E> == 6 || bits_of_v<E> == 8) && via_half_format<E>;
  }
}

/// The decode of element format E's chunks on the archs with the trick.
template <class E>
struct chunk_decode {
  static constexpr bool four = bits_of_v<E> == 4;
  static constexpr bool half = decodes_via_half<E>();
  static constexpr bool bytes = four && !half && !is_signed_format_v<E>;
  static constexpr bool any = half || bytes;
};

/// The multiplier a chunk's float16 values need (4-bit tables hold the values themselves).
template <class E>
SPARQ_INLINE constexpr float chunk_rebias() noexcept {
  if constexpr (bits_of_v<E> == 4) {
    return 1.0f;
  } else {
    return rebias<typename E::spec>;
  }
}

}  // namespace simd
}  // namespace kernel
SPARQ_ARCH_NAMESPACE_END
