// SPDX-License-Identifier: Apache-2.0
// NEON overloads for bulk conversion: widening loads and narrowing stores of 8- and 16-bit codes
// (the generic movers go through a lane buffer), FCVTL for float16 and the float16 trick for
// byte minifloats.
#pragma once

#include <arm_neon.h>

#include <cstdint>
#include <cstring>
#include <type_traits>

#include <xsimd/xsimd.hpp>

#include <sparq/core/config.hpp>
#include <sparq/format/bfloat16.hpp>
#include <sparq/format/float16.hpp>
#include <sparq/format/intn.hpp>
#include <sparq/format/minifloat.hpp>
#include <sparq/simd/arm_neon/codes.hpp>
#include <sparq/simd/half_tables.hpp>
#include <sparq/simd/lanes.hpp>

SPARQ_ARCH_NAMESPACE_BEGIN
namespace kernel {
namespace simd {

template <class A>
SPARQ_INLINE ubatch<A> load_codes(std::uint8_t const* p, xsimd::neon64 const&) noexcept {
  std::uint32_t four;
  std::memcpy(&four, p, 4);
  return vmovl_u16(vget_low_u16(vmovl_u8(vcreate_u8(four))));
}

template <class A>
SPARQ_INLINE ubatch<A> load_codes(std::uint16_t const* p, xsimd::neon64 const&) noexcept {
  return vmovl_u16(vld1_u16(p));
}

template <class A>
SPARQ_INLINE void store_codes(ubatch<A> const& codes, std::uint8_t* p, xsimd::neon64 const&) noexcept {
  uint8x8_t const b = vmovn_u16(vcombine_u16(vmovn_u32(codes), vdup_n_u16(0)));
  std::uint32_t const four = vget_lane_u32(vreinterpret_u32_u8(b), 0);
  std::memcpy(p, &four, 4);
}

template <class A>
SPARQ_INLINE void store_codes(ubatch<A> const& codes, std::uint16_t* p, xsimd::neon64 const&) noexcept {
  vst1_u16(p, vmovn_u32(codes));
}

/// 16 codes (each below 256) to bytes: two narrowing steps.
template <class A>
SPARQ_INLINE void store_codes4(ubatch<A> const& c0, ubatch<A> const& c1, ubatch<A> const& c2, ubatch<A> const& c3,
                               std::uint8_t* p, xsimd::neon64 const&) noexcept {
  uint16x8_t const lo = vcombine_u16(vmovn_u32(c0), vmovn_u32(c1));
  uint16x8_t const hi = vcombine_u16(vmovn_u32(c2), vmovn_u32(c3));
  vst1q_u8(p, vcombine_u8(vmovn_u16(lo), vmovn_u16(hi)));
}

/// Two's-complement 8-bit codes: sign extension, then the convert.
template <class A, class Spec, std::enable_if_t<Spec::is_integer && Spec::is_signed && Spec::bits == 8, int> = 0>
SPARQ_INLINE fbatch<A> load_float(intn<Spec> const* p, xsimd::neon64 const&) noexcept {
  std::int32_t four;
  std::memcpy(&four, p, 4);
  return vcvtq_f32_s32(vmovl_s16(vget_low_s16(vmovl_s8(vcreate_s8(static_cast<std::uint32_t>(four))))));
}

namespace neon {
/// NaN lanes of f as sign | 0x7FC00000 (the quiet NaN detail::decode_fp returns), others as they are.
SPARQ_INLINE float32x4_t canonical_nan(float32x4_t f) noexcept {
  uint32x4_t const ordered = vceqq_f32(f, f);
  uint32x4_t const canonical =
      vorrq_u32(vandq_u32(vreinterpretq_u32_f32(f), vdupq_n_u32(0x80000000u)), vdupq_n_u32(0x7FC00000u));
  return vreinterpretq_f32_u32(vbslq_u32(ordered, vreinterpretq_u32_f32(f), canonical));
}
}  // namespace neon

/// 4 byte codes -> float with the float16 trick (neon::half_bits), FCVTL and one multiply.
template <class A, class Spec, std::enable_if_t<via_half<Spec>, int> = 0>
SPARQ_INLINE fbatch<A> load_float(minifloat<Spec> const* p, xsimd::neon64 const&) noexcept {
  std::uint32_t four;
  std::memcpy(&four, p, 4);
  uint16x8_t const half = neon::half_bits<Spec>(vmovl_u8(vcreate_u8(four)));
  float32x4_t const f = vcvt_f32_f16(vreinterpret_f16_u16(vget_low_u16(half)));
  if constexpr (Spec::bias != 15) return vmulq_n_f32(f, rebias<Spec>);
  return f;
}

/// float16 -> float with FCVTL (exact); NaNs canonicalized to match detail::decode_fp.
template <class A>
SPARQ_INLINE fbatch<A> load_float(float16 const* p, xsimd::neon64 const&) noexcept {
  return neon::canonical_nan(vcvt_f32_f16(vreinterpret_f16_u16(vld1_u16(reinterpret_cast<std::uint16_t const*>(p)))));
}

/// bfloat16 -> float: the code in the top half of the float; NaNs canonicalized.
template <class A>
SPARQ_INLINE fbatch<A> load_float(bfloat16 const* p, xsimd::neon64 const&) noexcept {
  return neon::canonical_nan(
      vreinterpretq_f32_u32(vshll_n_u16(vld1_u16(reinterpret_cast<std::uint16_t const*>(p)), 16)));
}

}  // namespace simd
}  // namespace kernel
SPARQ_ARCH_NAMESPACE_END
