// SPDX-License-Identifier: Apache-2.0
// NEON int8_activations blocks: 4-bit images by one TBL per 16 codes, 8-bit integer codes as they
// are, and the integer dot by SDOT where the build has the dot-product extension
// (__ARM_FEATURE_DOTPROD: -march=armv8.2-a+dotprod and later), by SMULL + SADALP otherwise.
#pragma once

#include <arm_neon.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

#include <xsimd/xsimd.hpp>

#include <sparq/core/config.hpp>
#include <sparq/format/traits.hpp>
#include <sparq/simd/arm_neon/codes.hpp>
#include <sparq/simd/lanes.hpp>

SPARQ_ARCH_NAMESPACE_BEGIN
namespace kernel {
namespace simd {
namespace neon {

/// Which element formats the NEON image covers (others take the generic table loop).
template <class E>
struct chunk_image {
  static constexpr bool four = bits_of_v<E> == 4;
  static constexpr bool eight = bits_of_v<E> == 8 && E::spec::is_integer && E::spec::is_signed;
  static constexpr bool any = (four || eight) && int8_image<E>::exists;
};

/// Four 32-bit lanes summing to w . q over 16 values (acc added).
SPARQ_INLINE int32x4_t dot16(int32x4_t acc, int8x16_t w, int8x16_t q) noexcept {
#if defined(__ARM_FEATURE_DOTPROD)
  return vdotq_s32(acc, w, q);
#else
  // Each product fits 16 bits (|w|, |q| <= 128, at most 2^14); SADALP adds pairs into 32 bits.
  acc = vpadalq_s16(acc, vmull_s8(vget_low_s8(w), vget_low_s8(q)));
  return vpadalq_s16(acc, vmull_high_s8(w, q));
#endif
}

}  // namespace neon

/// out[u] = image(code u) - zero for the U codes at p.
template <class A, class E, std::size_t U, std::enable_if_t<neon::chunk_image<E>::any, int> = 0>
SPARQ_INLINE void image_chunk(std::uint8_t const* p, int zero, std::int8_t* out, xsimd::neon64 const&) noexcept {
  if constexpr (neon::chunk_image<E>::four) {
    uint8x16_t c[2];
    neon::split_nibbles<U>(p, c);
    int8x16_t const lut = neon::image_lut<E>(), z = vdupq_n_s8(static_cast<std::int8_t>(zero));
    SPARQ_UNROLL
    for (std::size_t h = 0; h < U / 16; ++h) vst1q_s8(out + 16 * h, vsubq_s8(vqtbl1q_s8(lut, c[h]), z));
  } else {
    // Two's-complement 8-bit codes are their own image.
    if (zero == 0) {
      std::memcpy(out, p, U);
    } else {
      int8x16_t const z = vdupq_n_s8(static_cast<std::int8_t>(zero));
      SPARQ_UNROLL
      for (std::size_t h = 0; h < U / 16; ++h) {
        vst1q_s8(out + 16 * h, vsubq_s8(vld1q_s8(reinterpret_cast<std::int8_t const*>(p) + 16 * h), z));
      }
    }
  }
}

/// Float lanes whose sum is sum_u w[u] * q[u] (exact: every lane is an integer below 2^24).
template <class A, std::size_t U>
SPARQ_INLINE fbatch<A> int8_dot(std::int8_t const* w, std::int8_t const* q, xsimd::neon64 const&) noexcept {
  int32x4_t acc = vdupq_n_s32(0);
  SPARQ_UNROLL
  for (std::size_t h = 0; h < U / 16; ++h) acc = neon::dot16(acc, vld1q_s8(w + 16 * h), vld1q_s8(q + 16 * h));
  return vcvtq_f32_s32(acc);
}

}  // namespace simd
}  // namespace kernel
SPARQ_ARCH_NAMESPACE_END
