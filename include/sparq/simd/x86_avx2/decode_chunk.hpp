// SPDX-License-Identifier: Apache-2.0
// AVX2 chunk decode: 4-bit codes by a byte-shuffle table lookup, 6-bit codes by one shuffle per 16
// codes, byte minifloats by the float16 trick on 16 lanes at a time (F16C). The per-16-code steps
// (x86::split4, x86::half16) are shared with the AVX-512 file, which widens them differently.
#pragma once

#include <immintrin.h>

#include <cstddef>
#include <cstdint>
#include <type_traits>

#include <xsimd/xsimd.hpp>

#include <sparq/core/config.hpp>
#include <sparq/format/bfloat16.hpp>
#include <sparq/format/traits.hpp>
#include <sparq/simd/lanes.hpp>
#include <sparq/simd/half_tables.hpp>
#include <sparq/simd/x86_avx2/codes.hpp>

SPARQ_ARCH_NAMESPACE_BEGIN
namespace kernel {
namespace simd {
namespace x86 {

/// The U codes of a 4-bit chunk split once (nibble split; each call to the step functions below
/// takes one group of 16).
template <class E, std::size_t U>
struct split4 {
  __m128i c[2];
  explicit split4(std::uint8_t const* p) noexcept { split_nibbles<U>(p, c); }
  /// Group h as 16 float16 high bytes (chunk_decode<E>::half formats).
  __m128i half_high(std::size_t h) const noexcept { return _mm_shuffle_epi8(half_lut<E>(), c[h]); }
};

/// Codes 16h .. 16h+15 of a 6- or 8-bit chunk at p as 16 float16 encodings of their values times
/// 2^(bias - 15) (see chunk_rebias), for chunk_decode<E>::half formats.
template <class E, std::size_t U>
SPARQ_INLINE __m256i half16(std::uint8_t const* p, std::size_t h) noexcept {
  if constexpr (bits_of_v<E> == 6) {
    return half_bits<typename E::spec>(_mm256_cvtepu8_epi16(load6x16<U>(p, h)));
  } else {
    return half_bits<typename E::spec>(
        _mm256_cvtepu8_epi16(_mm_loadu_si128(reinterpret_cast<__m128i const*>(p + 16 * h))));
  }
}

}  // namespace x86

/// U codes of E to U / 8 float batches: 16 float16 encodings then two VCVTPH2PS per 16 codes.
template <class A, class E, std::size_t U, std::enable_if_t<chunk_decode<E>::any, int> = 0>
SPARQ_INLINE void decode_chunk(std::uint8_t const* p, fbatch<A>* out, xsimd::avx2 const&) noexcept {
  if constexpr (bits_of_v<E> == 4) {
    x86::split4<E, U> const s(p);
    SPARQ_UNROLL
    for (std::size_t h = 0; h < U / 16; ++h) {
      if constexpr (chunk_decode<E>::half) {
        __m128i const hb = s.half_high(h), z = _mm_setzero_si128();
        out[2 * h] = _mm256_cvtph_ps(_mm_unpacklo_epi8(z, hb));
        out[2 * h + 1] = _mm256_cvtph_ps(_mm_unpackhi_epi8(z, hb));
      } else {
        out[2 * h] = _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(s.c[h]));
        out[2 * h + 1] = _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_srli_si128(s.c[h], 8)));
      }
    }
  } else {
    SPARQ_UNROLL
    for (std::size_t h = 0; h < U / 16; ++h) {
      __m256i const hv = x86::half16<E, U>(p, h);
      __m256 lo = _mm256_cvtph_ps(_mm256_castsi256_si128(hv));
      __m256 hi = _mm256_cvtph_ps(_mm256_extracti128_si256(hv, 1));
      constexpr float f = chunk_rebias<E>();
      if constexpr (f != 1.0f) {
        lo = _mm256_mul_ps(lo, _mm256_set1_ps(f));
        hi = _mm256_mul_ps(hi, _mm256_set1_ps(f));
      }
      out[2 * h] = lo;
      out[2 * h + 1] = hi;
    }
  }
}

/// bfloat16 chunks for the kernels' arithmetic: the code in the top half of each float (zero
/// extension and one shift). A NaN code stays a NaN with its payload (load_float canonicalizes it
/// for bit-exact conversion; a sum does not see the difference).
template <class A, class E, std::size_t U, std::enable_if_t<std::is_same<E, bfloat16>::value, int> = 0>
SPARQ_INLINE void decode_chunk(std::uint8_t const* p, fbatch<A>* out, xsimd::avx2 const&) noexcept {
  SPARQ_UNROLL
  for (std::size_t j = 0; j < U / 8; ++j) {
    __m256i const w = _mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<__m128i const*>(p + 16 * j)));
    out[j] = _mm256_castsi256_ps(_mm256_slli_epi32(w, 16));
  }
}

}  // namespace simd
}  // namespace kernel
SPARQ_ARCH_NAMESPACE_END
