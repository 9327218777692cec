// SPDX-License-Identifier: Apache-2.0
// AVX2 overloads for bulk conversion: widening loads and narrowing stores of 8- and 16-bit codes
// (the generic movers go through a lane buffer), and F16C for float16.
#pragma once

#include <immintrin.h>

#include <cstdint>

#include <xsimd/xsimd.hpp>

#include <sparq/core/config.hpp>
#include <sparq/format/bfloat16.hpp>
#include <sparq/format/float16.hpp>
#include <sparq/format/intn.hpp>
#include <sparq/format/minifloat.hpp>
#include <sparq/simd/lanes.hpp>
#include <sparq/simd/x86_avx2/codes.hpp>

SPARQ_ARCH_NAMESPACE_BEGIN
namespace kernel {
namespace simd {

template <class A>
SPARQ_INLINE ubatch<A> load_codes(std::uint8_t const* p, xsimd::avx2 const&) noexcept {
  return _mm256_cvtepu8_epi32(_mm_loadl_epi64(reinterpret_cast<__m128i const*>(p)));
}

template <class A>
SPARQ_INLINE ubatch<A> load_codes(std::uint16_t const* p, xsimd::avx2 const&) noexcept {
  return _mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<__m128i const*>(p)));
}

template <class A>
SPARQ_INLINE void store_codes(ubatch<A> const& codes, std::uint8_t* p, xsimd::avx2 const&) noexcept {
  // Byte 0 of each dword to the low 4 bytes of each 128-bit half, then join the halves:
  // 3 shuffles for 8 codes against 8 scalar stores.
  __m256i const pick = _mm256_setr_epi8(0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                                        0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
  __m256i const b = _mm256_shuffle_epi8(codes, pick);
  __m128i const joined = _mm_unpacklo_epi32(_mm256_castsi256_si128(b), _mm256_extracti128_si256(b, 1));
  _mm_storel_epi64(reinterpret_cast<__m128i*>(p), joined);
}

template <class A>
SPARQ_INLINE void store_codes(ubatch<A> const& codes, std::uint16_t* p, xsimd::avx2 const&) noexcept {
  __m256i const pick = _mm256_setr_epi8(0, 1, 4, 5, 8, 9, 12, 13, -1, -1, -1, -1, -1, -1, -1, -1,
                                        0, 1, 4, 5, 8, 9, 12, 13, -1, -1, -1, -1, -1, -1, -1, -1);
  __m256i const b = _mm256_permute4x64_epi64(_mm256_shuffle_epi8(codes, pick), 0x08);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(p), _mm256_castsi256_si128(b));
}

/// 32 codes (each below 256) to bytes: two dword->word packs, one word->byte pack, one lane fix.
template <class A>
SPARQ_INLINE void store_codes4(ubatch<A> const& c0, ubatch<A> const& c1, ubatch<A> const& c2, ubatch<A> const& c3,
                               std::uint8_t* p, xsimd::avx2 const&) noexcept {
  __m256i const w01 = _mm256_packus_epi32(c0, c1);  // per 128-bit lane: c0 lo, c1 lo | c0 hi, c1 hi
  __m256i const w23 = _mm256_packus_epi32(c2, c3);
  __m256i const b = _mm256_packus_epi16(w01, w23);  // dword k of the result holds 4 codes of batch ...
  __m256i const order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), _mm256_permutevar8x32_epi32(b, order));
}

/// 32 codes (each below 65536) to 16-bit units.
template <class A>
SPARQ_INLINE void store_codes4(ubatch<A> const& c0, ubatch<A> const& c1, ubatch<A> const& c2, ubatch<A> const& c3,
                               std::uint16_t* p, xsimd::avx2 const&) noexcept {
  __m256i const w01 = _mm256_permute4x64_epi64(_mm256_packus_epi32(c0, c1), 0xD8);
  __m256i const w23 = _mm256_permute4x64_epi64(_mm256_packus_epi32(c2, c3), 0xD8);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), w01);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(p + 16), w23);
}

/// Two's-complement 8-bit codes: VPMOVSXBD sign-extends in the load (1 op against 3).
template <class A, class Spec, std::enable_if_t<Spec::is_integer && Spec::is_signed && Spec::bits == 8, int> = 0>
SPARQ_INLINE fbatch<A> load_float(intn<Spec> const* p, xsimd::avx2 const&) noexcept {
  return _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_loadl_epi64(reinterpret_cast<__m128i const*>(p))));
}

namespace x86 {
/// NaN lanes of f as sign | 0x7FC00000 (the quiet NaN detail::decode_fp returns), others as they are.
SPARQ_INLINE __m256 canonical_nan(__m256 f) noexcept {
  __m256 const nan = _mm256_cmp_ps(f, f, _CMP_UNORD_Q);
  __m256 const sign = _mm256_and_ps(f, _mm256_castsi256_ps(_mm256_set1_epi32(INT32_MIN)));
  __m256 const canonical = _mm256_or_ps(sign, _mm256_castsi256_ps(_mm256_set1_epi32(0x7FC00000)));
  return _mm256_blendv_ps(f, canonical, nan);
}
}  // namespace x86

#if defined(__F16C__)
/// 8 byte codes -> float with the float16 trick (x86::half_bits: 7 integer ops, a blend for NaN
/// codes), VCVTPH2PS and one multiply, against 15 ops on 32-bit lanes in the generic decode. Not
/// affected by DAZ: float16 subnormals convert exactly and the product is normal.
template <class A, class Spec, std::enable_if_t<via_half<Spec>, int> = 0>
SPARQ_INLINE fbatch<A> load_float(minifloat<Spec> const* p, xsimd::avx2 const&) noexcept {
  __m256i const half =
      x86::half_bits<Spec>(_mm256_cvtepu8_epi16(_mm_loadl_epi64(reinterpret_cast<__m128i const*>(p))));
  __m256 const f = _mm256_cvtph_ps(_mm256_castsi256_si128(half));
  if constexpr (Spec::bias != 15) return _mm256_mul_ps(f, _mm256_set1_ps(rebias<Spec>));
  return f;
}

/// float16 -> float with VCVTPH2PS (exact); NaNs canonicalized to match detail::decode_fp.
template <class A>
SPARQ_INLINE fbatch<A> load_float(float16 const* p, xsimd::avx2 const&) noexcept {
  return x86::canonical_nan(_mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<__m128i const*>(p))));
}
#endif

/// bfloat16 -> float: the code in the top half of the float (zero extension and one shift, exact,
/// against the generic minifloat decode's 15 ops); NaNs canonicalized as detail::decode_fp does.
template <class A>
SPARQ_INLINE fbatch<A> load_float(bfloat16 const* p, xsimd::avx2 const&) noexcept {
  __m256i const w = _mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<__m128i const*>(p)));
  return x86::canonical_nan(_mm256_castsi256_ps(_mm256_slli_epi32(w, 16)));
}

}  // namespace simd
}  // namespace kernel
SPARQ_ARCH_NAMESPACE_END
