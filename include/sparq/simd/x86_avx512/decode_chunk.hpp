// SPDX-License-Identifier: Apache-2.0
// AVX-512 chunk decode: the x86 per-16-code steps (x86_avx2/decode_chunk.hpp) widened to one
// 16-lane batch by one VCVTPH2PS (zmm) per 16 codes.
#pragma once

#include <immintrin.h>

#include <cstddef>
#include <cstdint>
#include <type_traits>

#include <xsimd/xsimd.hpp>

#include <sparq/core/config.hpp>
#include <sparq/format/bfloat16.hpp>
#include <sparq/simd/lanes.hpp>
#include <sparq/simd/x86_avx2/decode_chunk.hpp>

SPARQ_ARCH_NAMESPACE_BEGIN
namespace kernel {
namespace simd {

template <class A, class E, std::size_t U, std::enable_if_t<chunk_decode<E>::any, int> = 0>
SPARQ_INLINE void decode_chunk(std::uint8_t const* p, fbatch<A>* out, xsimd::avx512bw const&) noexcept {
  if constexpr (bits_of_v<E> == 4) {
    x86::split4<E, U> const s(p);
    SPARQ_UNROLL
    for (std::size_t h = 0; h < U / 16; ++h) {
      if constexpr (chunk_decode<E>::half) {
        __m128i const hb = s.half_high(h), z = _mm_setzero_si128();
        out[h] = _mm512_cvtph_ps(_mm256_setr_m128i(_mm_unpacklo_epi8(z, hb), _mm_unpackhi_epi8(z, hb)));
      } else {
        out[h] = _mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(s.c[h]));
      }
    }
  } else {
    SPARQ_UNROLL
    for (std::size_t h = 0; h < U / 16; ++h) {
      __m512 v = _mm512_cvtph_ps(x86::half16<E, U>(p, h));
      constexpr float f = chunk_rebias<E>();
      if constexpr (f != 1.0f) v = _mm512_mul_ps(v, _mm512_set1_ps(f));
      out[h] = v;
    }
  }
}

/// bfloat16 chunks: the code in the top half of each float (zero extension and one shift, as on
/// AVX2; NaN payloads kept).
template <class A, class E, std::size_t U, std::enable_if_t<std::is_same<E, bfloat16>::value, int> = 0>
SPARQ_INLINE void decode_chunk(std::uint8_t const* p, fbatch<A>* out, xsimd::avx512bw const&) noexcept {
  SPARQ_UNROLL
  for (std::size_t j = 0; j < U / 16; ++j) {
    __m512i const w = _mm512_cvtepu16_epi32(_mm256_loadu_si256(reinterpret_cast<__m256i const*>(p + 32 * j)));
    out[j] = _mm512_castsi512_ps(_mm512_slli_epi32(w, 16));
  }
}

}  // namespace simd
}  // namespace kernel
SPARQ_ARCH_NAMESPACE_END
