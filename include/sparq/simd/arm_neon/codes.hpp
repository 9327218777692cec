// SPDX-License-Identifier: Apache-2.0
// The NEON (AArch64) building blocks the decode and int8 files share: the nibble split of 4-bit
// codes, 16-entry byte tables as TBL operands, and the float16 trick on 16-bit lanes (a code's
// fields moved into float16's, so FCVTL does the subnormal work).
#pragma once

#include <arm_neon.h>

#include <array>
#include <cstddef>
#include <cstdint>

#include <sparq/core/config.hpp>
#include <sparq/format/traits.hpp>
#include <sparq/simd/half_tables.hpp>

SPARQ_ARCH_NAMESPACE_BEGIN
namespace kernel {
namespace simd {
namespace neon {

/// U (16 or 32) 4-bit codes at p (U / 2 bytes) split into one code per byte in element order:
/// c[0] codes 0-15, c[1] codes 16-31. Code 2i is the low nibble of byte i.
template <std::size_t U>
SPARQ_INLINE void split_nibbles(std::uint8_t const* p, uint8x16_t* c) noexcept {
  uint8x16_t const m = vdupq_n_u8(0x0F);
  if constexpr (U == 32) {
    uint8x16_t const b = vld1q_u8(p);
    uint8x16_t const lo = vandq_u8(b, m), hi = vshrq_n_u8(b, 4);
    c[0] = vzip1q_u8(lo, hi);
    c[1] = vzip2q_u8(lo, hi);
  } else {
    uint8x8_t const b = vld1_u8(p);
    uint8x8_t const lo = vand_u8(b, vget_low_u8(m)), hi = vshr_n_u8(b, 4);
    c[0] = vcombine_u8(vzip1_u8(lo, hi), vzip2_u8(lo, hi));
  }
}

/// A 16-entry byte table as a TBL operand.
SPARQ_INLINE uint8x16_t byte_table(std::array<int, 16> const& t) noexcept {
  alignas(16) std::uint8_t b[16];
  for (std::size_t i = 0; i < 16; ++i) b[i] = static_cast<std::uint8_t>(t[i]);
  return vld1q_u8(b);
}

/// The int8 image table of E (16 entries from Offset) as a TBL operand.
template <class E, std::size_t Offset = 0>
SPARQ_INLINE int8x16_t image_lut() noexcept {
  return vld1q_s8(image_table_v<E>.data() + Offset);
}

/// 8 codes (zero-extended in 16-bit lanes) to the float16 encodings of their values times
/// 2^(bias - 15): the x86 procedure (x86_avx2/codes.hpp half_bits) on NEON lanes. NaN codes
/// become float16's canonical NaN with their sign, as detail::decode_fp returns them.
template <class Spec>
SPARQ_INLINE uint16x8_t half_bits(uint16x8_t w) noexcept {
  constexpr int width = Spec::exp_bits + Spec::man_bits;
  uint16x8_t const mag = vandq_u16(w, vdupq_n_u16(static_cast<std::uint16_t>(Spec::mag_mask)));
  uint16x8_t const sign =
      vshlq_n_u16(vandq_u16(w, vdupq_n_u16(static_cast<std::uint16_t>(Spec::sign_mask))), 15 - width);
  uint16x8_t half = vorrq_u16(vshlq_n_u16(mag, 10 - Spec::man_bits), sign);
  if constexpr (Spec::special == specials::nan_only || Spec::special == specials::nan_only_no_negzero) {
    uint16x8_t const nan = Spec::special == specials::nan_only
                               ? vceqq_u16(mag, vdupq_n_u16(static_cast<std::uint16_t>(Spec::mag_mask)))
                               : vceqq_u16(w, vdupq_n_u16(static_cast<std::uint16_t>(Spec::sign_mask)));
    half = vbslq_u16(nan, vorrq_u16(sign, vdupq_n_u16(0x7E00)), half);
  } else if constexpr (Spec::special == specials::ieee) {
    uint16x8_t const nan = vcgtq_u16(mag, vdupq_n_u16(static_cast<std::uint16_t>(Spec::inf_code)));
    half = vbslq_u16(nan, vorrq_u16(sign, vdupq_n_u16(0x7E00)), half);
  }
  return half;
}

/// Eight float16 encodings to two float vectors (exact).
SPARQ_INLINE void halves_to_float(uint16x8_t h, float32x4_t* out) noexcept {
  float16x8_t const f = vreinterpretq_f16_u16(h);
  out[0] = vcvt_f32_f16(vget_low_f16(f));
  out[1] = vcvt_high_f32_f16(f);
}

}  // namespace neon
}  // namespace simd
}  // namespace kernel
SPARQ_ARCH_NAMESPACE_END
