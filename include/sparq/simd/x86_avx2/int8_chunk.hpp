// SPDX-License-Identifier: Apache-2.0
// AVX2 int8_activations blocks: 4-bit images by one byte shuffle, 6-bit sign-magnitude images by
// two shuffles and a sign, and the integer dot by vpmaddubsw / vpmaddwd (|w| times q with w's
// sign). The image functions write bytes, so the AVX-512 file reuses them as they are.
#pragma once

#include <immintrin.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

#include <xsimd/xsimd.hpp>

#include <sparq/core/config.hpp>
#include <sparq/format/traits.hpp>
#include <sparq/simd/lanes.hpp>
#include <sparq/simd/x86_avx2/codes.hpp>

SPARQ_ARCH_NAMESPACE_BEGIN
namespace kernel {
namespace simd {
namespace x86 {

/// Which element formats the x86 image covers.
template <class E>
struct chunk_image {
  static constexpr bool four = bits_of_v<E> == 4;
  static constexpr bool six = bits_of_v<E> == 6 && is_signed_minifloat_v<E>;
  static constexpr bool eight = bits_of_v<E> == 8 && E::spec::is_integer && E::spec::is_signed;
  static constexpr bool any = (four || six || eight) && int8_image<E>::exists;
};

/// out[u] = image(code u) - zero for the U codes at p.
template <class E, std::size_t U>
SPARQ_INLINE void image(std::uint8_t const* p, int zero, std::int8_t* out) noexcept {
  if constexpr (chunk_image<E>::four) {
    __m128i c[2];
    split_nibbles<U>(p, c);
    __m256i img = _mm256_shuffle_epi8(image_lut<E>(), _mm256_setr_m128i(c[0], c[1]));
    if (zero != 0) img = _mm256_sub_epi8(img, _mm256_set1_epi8(static_cast<char>(zero)));
    if constexpr (U == 32) {
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(out), img);
    } else {
      _mm_storeu_si128(reinterpret_cast<__m128i*>(out), _mm256_castsi256_si128(img));
    }
  } else if constexpr (chunk_image<E>::six) {
    // Magnitude (5 bits) through two 16-entry tables (bit 4 picks one), then the sign bit.
    (void)zero;  // minifloats have no zero point
    __m256i const lut = image_lut<E>(), lut_hi = image_lut<E, 16>();
    constexpr int sign = static_cast<int>(E::spec::sign_mask), mag = static_cast<int>(E::spec::mag_mask);
    SPARQ_UNROLL
    for (std::size_t h = 0; h < U / 16; ++h) {
      __m128i const codes = load6x16<U>(p, h);
      __m128i const m = _mm_and_si128(codes, _mm_set1_epi8(static_cast<char>(mag)));
      __m128i const low4 = _mm_and_si128(codes, _mm_set1_epi8(0x0F));
      __m128i const img = _mm_blendv_epi8(_mm_shuffle_epi8(_mm256_castsi256_si128(lut), low4),
                                          _mm_shuffle_epi8(_mm256_castsi256_si128(lut_hi), low4), _mm_slli_epi16(m, 3));
      __m128i const neg =
          _mm_cmpeq_epi8(_mm_and_si128(codes, _mm_set1_epi8(static_cast<char>(sign))), _mm_set1_epi8(static_cast<char>(sign)));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 16 * h), _mm_sign_epi8(img, _mm_or_si128(neg, _mm_set1_epi8(1))));
    }
  } else {
    // Two's-complement 8-bit codes are their own image.
    if (zero == 0) {
      std::memcpy(out, p, U);
    } else {
      for (std::size_t u = 0; u < U; ++u) out[u] = static_cast<std::int8_t>(static_cast<std::int8_t>(p[u]) - zero);
    }
  }
}

/// sum of w * q per 32-bit lane over 32 values: |w| (unsigned) times q with w's sign, pairs to
/// 16 bits (at most 2 * 128 * 127, no saturation), then to 32-bit lanes.
SPARQ_INLINE __m256i dot32(std::int8_t const* w, std::int8_t const* q) noexcept {
  __m256i const wv = _mm256_loadu_si256(reinterpret_cast<__m256i const*>(w));
  __m256i const qv = _mm256_loadu_si256(reinterpret_cast<__m256i const*>(q));
  __m256i const p = _mm256_maddubs_epi16(_mm256_sign_epi8(wv, wv), _mm256_sign_epi8(qv, wv));
  return _mm256_madd_epi16(p, _mm256_set1_epi16(1));
}

/// The same over 16 values, in four 32-bit lanes.
SPARQ_INLINE __m128i dot16(std::int8_t const* w, std::int8_t const* q) noexcept {
  __m128i const wv = _mm_loadu_si128(reinterpret_cast<__m128i const*>(w));
  __m128i const qv = _mm_loadu_si128(reinterpret_cast<__m128i const*>(q));
  return _mm_madd_epi16(_mm_maddubs_epi16(_mm_sign_epi8(wv, wv), _mm_sign_epi8(qv, wv)), _mm_set1_epi16(1));
}

}  // namespace x86

template <class A, class E, std::size_t U, std::enable_if_t<x86::chunk_image<E>::any, int> = 0>
SPARQ_INLINE void image_chunk(std::uint8_t const* p, int zero, std::int8_t* out, xsimd::avx2 const&) noexcept {
  x86::image<E, U>(p, zero, out);
}

template <class A, std::size_t U>
SPARQ_INLINE fbatch<A> int8_dot(std::int8_t const* w, std::int8_t const* q, xsimd::avx2 const&) noexcept {
  if constexpr (U == 32) {
    return _mm256_cvtepi32_ps(x86::dot32(w, q));
  } else {
    return _mm256_cvtepi32_ps(_mm256_inserti128_si256(_mm256_setzero_si256(), x86::dot16(w, q), 0));
  }
}

}  // namespace simd
}  // namespace kernel
SPARQ_ARCH_NAMESPACE_END
