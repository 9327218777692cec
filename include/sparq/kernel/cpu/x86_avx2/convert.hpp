// SPDX-License-Identifier: Apache-2.0
// AVX2 overloads for bulk conversion: widening loads and narrowing stores of 8- and 16-bit codes
// (the generic movers go through a lane buffer), and F16C for float16.
#pragma once

#include <immintrin.h>

#include <cstdint>

#include <xsimd/xsimd.hpp>

#include <sparq/core/config.hpp>
#include <sparq/format/float16.hpp>
#include <sparq/kernel/cpu/convert_lanes.hpp>

SPARQ_NAMESPACE_BEGIN
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

#if defined(__F16C__)
/// float16 -> float with VCVTPH2PS (exact); NaNs canonicalized to match detail::decode_fp.
template <class A>
SPARQ_INLINE fbatch<A> load_float(float16 const* p, xsimd::avx2 const&) noexcept {
  __m128i const h = _mm_loadu_si128(reinterpret_cast<__m128i const*>(p));
  __m256 const f = _mm256_cvtph_ps(h);
  __m256 const nan = _mm256_cmp_ps(f, f, _CMP_UNORD_Q);
  __m256 const sign = _mm256_and_ps(f, _mm256_castsi256_ps(_mm256_set1_epi32(INT32_MIN)));
  __m256 const canonical = _mm256_or_ps(sign, _mm256_castsi256_ps(_mm256_set1_epi32(0x7FC00000)));
  return _mm256_blendv_ps(f, canonical, nan);
}
#endif

}  // namespace simd
}  // namespace kernel
SPARQ_NAMESPACE_END
