// SPDX-License-Identifier: Apache-2.0
// NEON chunk decode: 4-bit codes by a TBL lookup of float16 high bytes, 6- and 8-bit minifloats by
// the float16 trick on eight 16-bit lanes, each then widened to float by FCVTL (exact); UINT4 by
// zero extension; bfloat16 by one shift-left-long.
#pragma once

#include <arm_neon.h>

#include <cstddef>
#include <cstdint>
#include <type_traits>

#include <xsimd/xsimd.hpp>

#include <sparq/core/config.hpp>
#include <sparq/format/bfloat16.hpp>
#include <sparq/format/traits.hpp>
#include <sparq/layout/packing.hpp>
#include <sparq/simd/arm_neon/codes.hpp>
#include <sparq/simd/half_tables.hpp>
#include <sparq/simd/lanes.hpp>

SPARQ_ARCH_NAMESPACE_BEGIN
namespace kernel {
namespace simd {
namespace neon {

/// 16 byte codes of a chunk_decode<E>::half format (6 or 8 bits) to four float vectors.
template <class E>
SPARQ_INLINE void decode16_via_half(uint8x16_t codes, float32x4_t* out) noexcept {
  using spec = typename E::spec;
  halves_to_float(half_bits<spec>(vmovl_u8(vget_low_u8(codes))), out);
  halves_to_float(half_bits<spec>(vmovl_high_u8(codes)), out + 2);
  constexpr float f = chunk_rebias<E>();
  if constexpr (f != 1.0f) {
    for (std::size_t i = 0; i < 4; ++i) out[i] = vmulq_n_f32(out[i], f);
  }
}

}  // namespace neon

/// U codes of E to U / 4 float vectors.
template <class A, class E, std::size_t U, std::enable_if_t<chunk_decode<E>::any, int> = 0>
SPARQ_INLINE void decode_chunk(std::uint8_t const* p, fbatch<A>* out, xsimd::neon64 const&) noexcept {
  float32x4_t v[U / 4];
  if constexpr (bits_of_v<E> == 4) {
    uint8x16_t c[2];
    neon::split_nibbles<U>(p, c);
    SPARQ_UNROLL
    for (std::size_t h = 0; h < U / 16; ++h) {
      if constexpr (chunk_decode<E>::half) {
        uint8x16_t const hb = vqtbl1q_u8(neon::byte_table(half_table<E>::table), c[h]), z = vdupq_n_u8(0);
        neon::halves_to_float(vreinterpretq_u16_u8(vzip1q_u8(z, hb)), v + 4 * h);
        neon::halves_to_float(vreinterpretq_u16_u8(vzip2q_u8(z, hb)), v + 4 * h + 2);
      } else {
        uint16x8_t const lo = vmovl_u8(vget_low_u8(c[h])), hi = vmovl_high_u8(c[h]);
        v[4 * h] = vcvtq_f32_u32(vmovl_u16(vget_low_u16(lo)));
        v[4 * h + 1] = vcvtq_f32_u32(vmovl_high_u16(lo));
        v[4 * h + 2] = vcvtq_f32_u32(vmovl_u16(vget_low_u16(hi)));
        v[4 * h + 3] = vcvtq_f32_u32(vmovl_high_u16(hi));
      }
    }
  } else if constexpr (bits_of_v<E> == 6) {
    alignas(16) E codes[U];
    unpack(p, U, codes);
    SPARQ_UNROLL
    for (std::size_t h = 0; h < U / 16; ++h) {
      neon::decode16_via_half<E>(vld1q_u8(reinterpret_cast<std::uint8_t const*>(codes) + 16 * h), v + 4 * h);
    }
  } else {
    SPARQ_UNROLL
    for (std::size_t h = 0; h < U / 16; ++h) neon::decode16_via_half<E>(vld1q_u8(p + 16 * h), v + 4 * h);
  }
  for (std::size_t j = 0; j < U / 4; ++j) out[j] = v[j];
}

/// bfloat16 chunks for the kernels' arithmetic: the code in the top half of each float. A NaN
/// code stays a NaN with its payload (load_float canonicalizes it for bit-exact conversion; a sum
/// does not see the difference).
template <class A, class E, std::size_t U, std::enable_if_t<std::is_same<E, bfloat16>::value, int> = 0>
SPARQ_INLINE void decode_chunk(std::uint8_t const* p, fbatch<A>* out, xsimd::neon64 const&) noexcept {
  std::uint16_t const* h = reinterpret_cast<std::uint16_t const*>(p);
  SPARQ_UNROLL
  for (std::size_t j = 0; j < U / 4; ++j) {
    out[j] = vreinterpretq_f32_u32(vshll_n_u16(vld1_u16(h + 4 * j), 16));
  }
}

}  // namespace simd
}  // namespace kernel
SPARQ_ARCH_NAMESPACE_END
