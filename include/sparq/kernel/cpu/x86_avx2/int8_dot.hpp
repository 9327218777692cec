// SPDX-License-Identifier: Apache-2.0
// AVX2 int8_activations blocks: 4-bit images by one byte shuffle, 6-bit E2M3 images by two
// shuffles and a sign, and the integer dot by vpmaddubsw / vpmaddwd (|w| times q with w's sign).
#pragma once

#include <immintrin.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

#include <xsimd/xsimd.hpp>

#include <sparq/core/config.hpp>
#include <sparq/kernel/cpu/convert_lanes.hpp>
#include <sparq/kernel/cpu/x86_avx2/decode_chunk.hpp>
#include <sparq/kernel/gemm/int8_activations.hpp>

SPARQ_NAMESPACE_BEGIN
namespace kernel {
namespace simd {
namespace detail_avx2 {

template <class E, std::size_t Offset = 0>
SPARQ_INLINE __m256i image_lut() noexcept {
  auto const& t = sparq::detail::image_table_v<E>;
  auto b = [&](std::size_t i) { return static_cast<char>(t[Offset + i]); };
  return _mm256_setr_epi8(b(0), b(1), b(2), b(3), b(4), b(5), b(6), b(7), b(8), b(9), b(10), b(11), b(12), b(13),
                          b(14), b(15), b(0), b(1), b(2), b(3), b(4), b(5), b(6), b(7), b(8), b(9), b(10), b(11),
                          b(12), b(13), b(14), b(15));
}

}  // namespace detail_avx2

/// 4-bit codes: nibbles in element order, then the 16-entry image table.
template <class A, class E, std::size_t U, std::enable_if_t<bits_of_v<E> == 4, int> = 0>
SPARQ_INLINE void image_chunk(std::uint8_t const* p, int zero, std::int8_t* out, xsimd::avx2 const&) noexcept {
  __m128i const b = U == 32 ? _mm_loadu_si128(reinterpret_cast<__m128i const*>(p))
                            : _mm_loadl_epi64(reinterpret_cast<__m128i const*>(p));
  __m128i const m = _mm_set1_epi8(0x0F);
  __m128i const lo = _mm_and_si128(b, m), hi = _mm_and_si128(_mm_srli_epi16(b, 4), m);
  __m256i const codes = _mm256_setr_m128i(_mm_unpacklo_epi8(lo, hi), _mm_unpackhi_epi8(lo, hi));
  __m256i img = _mm256_shuffle_epi8(detail_avx2::image_lut<E>(), codes);
  if (zero != 0) img = _mm256_sub_epi8(img, _mm256_set1_epi8(static_cast<char>(zero)));
  if constexpr (U == 32) {
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out), img);
  } else {
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out), _mm256_castsi256_si128(img));
  }
}

#if defined(__F16C__)
/// 6-bit sign-magnitude minifloats (FP6 E2M3): 16 codes per shuffle unpack, the magnitude's image
/// from two 16-entry shuffles (bit 4 picks), then the sign.
template <class A, class E, std::size_t U,
          std::enable_if_t<bits_of_v<E> == 6 && !E::spec::is_integer && E::spec::sign_mask == 0x20u, int> = 0>
SPARQ_INLINE void image_chunk(std::uint8_t const* p, int zero, std::int8_t* out, xsimd::avx2 const&) noexcept {
  (void)zero;  // minifloats have no zero point
  __m256i const lut = detail_avx2::image_lut<E>(), lut_hi = detail_avx2::image_lut<E, 16>();
  for (std::size_t h = 0; h < U / 16; ++h) {
    __m128i const codes = detail_avx2::load6x16<U>(p, h);
    __m128i const mag = _mm_and_si128(codes, _mm_set1_epi8(0x1F));
    __m128i const low4 = _mm_and_si128(codes, _mm_set1_epi8(0x0F));
    __m128i const img = _mm_blendv_epi8(_mm_shuffle_epi8(_mm256_castsi256_si128(lut), low4),
                                        _mm_shuffle_epi8(_mm256_castsi256_si128(lut_hi), low4), _mm_slli_epi16(mag, 3));
    __m128i const neg = _mm_cmpeq_epi8(_mm_and_si128(codes, _mm_set1_epi8(0x20)), _mm_set1_epi8(0x20));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 16 * h), _mm_sign_epi8(img, _mm_or_si128(neg, _mm_set1_epi8(1))));
  }
}
#endif

/// Two's-complement 8-bit codes are their own image.
template <class A, class E, std::size_t U,
          std::enable_if_t<bits_of_v<E> == 8 && E::spec::is_integer && E::spec::is_signed, int> = 0>
SPARQ_INLINE void image_chunk(std::uint8_t const* p, int zero, std::int8_t* out, xsimd::avx2 const&) noexcept {
  if (zero == 0) {
    std::memcpy(out, p, U);
  } else {
    for (std::size_t u = 0; u < U; ++u) out[u] = static_cast<std::int8_t>(static_cast<std::int8_t>(p[u]) - zero);
  }
}

/// sum of w * q over the chunk: |w| (unsigned) times q with w's sign, pairs to 16 bits (at most
/// 2 * 128 * 127, no saturation), then to 32-bit lanes.
template <class A, std::size_t U>
SPARQ_INLINE fbatch<A> int8_dot(std::int8_t const* w, std::int8_t const* q, xsimd::avx2 const&) noexcept {
  __m256i const ones = _mm256_set1_epi16(1);
  if constexpr (U == 32) {
    __m256i const wv = _mm256_loadu_si256(reinterpret_cast<__m256i const*>(w));
    __m256i const qv = _mm256_loadu_si256(reinterpret_cast<__m256i const*>(q));
    __m256i const p = _mm256_maddubs_epi16(_mm256_sign_epi8(wv, wv), _mm256_sign_epi8(qv, wv));
    return _mm256_cvtepi32_ps(_mm256_madd_epi16(p, ones));
  } else {
    __m128i const wv = _mm_loadu_si128(reinterpret_cast<__m128i const*>(w));
    __m128i const qv = _mm_loadu_si128(reinterpret_cast<__m128i const*>(q));
    __m128i const p = _mm_madd_epi16(_mm_maddubs_epi16(_mm_sign_epi8(wv, wv), _mm_sign_epi8(qv, wv)), _mm_set1_epi16(1));
    return _mm256_cvtepi32_ps(_mm256_inserti128_si256(_mm256_setzero_si256(), p, 0));
  }
}

}  // namespace simd
}  // namespace kernel
SPARQ_NAMESPACE_END
