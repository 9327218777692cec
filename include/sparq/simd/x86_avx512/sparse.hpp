// SPDX-License-Identifier: Apache-2.0
// AVX-512 sparse primitives. N:M gathers where 16 kept values span 32 or 64 columns (N * 2 == M:
// 1:2, 2:4, 4:8, 8:16; N * 4 == M: 1:4, 2:8, 4:16): the activations stay in column order and
// VPERMT2PS picks each kept value's column out of two 16-float loads by its packed field, so a
// batch of 16 kept values costs a field decode (broadcast, shift, one ternary-logic op) and one or
// two two-table permutes. (The bitmap GEMV runs the AVX2 kernel: arch_traits::bitmap_arch.)
#pragma once

#include <immintrin.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include <xsimd/xsimd.hpp>

#include <sparq/core/bits.hpp>
#include <sparq/core/config.hpp>
#include <sparq/simd/lanes.hpp>
#include <sparq/simd/sparse_layout.hpp>

SPARQ_ARCH_NAMESPACE_BEGIN
namespace kernel {
namespace simd {
namespace x86 {

/// Lane l: the column, inside the span of kept values j0 .. j0 + 15 (j0 a multiple of 16), of
/// kept value j0 + l: (l / N) * M + its log2(M)-bit field.
template <std::size_t N, std::size_t M>
SPARQ_INLINE __m512i nm_columns16(std::uint8_t const* idx, std::size_t j0) noexcept {
  constexpr int b = static_cast<int>(sparq::detail::log2_of(M));
  constexpr int n = static_cast<int>(N), m = static_cast<int>(M);
  __m512i words, shifts;
  if constexpr (2 * b <= 4) {
    // The 16 fields fit one 32-bit word (1:2, 2:4).
    std::uint32_t w = 0;
    std::memcpy(&w, idx + j0 * b / 8, 2 * b);
    words = _mm512_set1_epi32(static_cast<int>(w));
    shifts = _mm512_setr_epi32(0, b, 2 * b, 3 * b, 4 * b, 5 * b, 6 * b, 7 * b, 8 * b, 9 * b, 10 * b, 11 * b, 12 * b,
                               13 * b, 14 * b, 15 * b);
  } else {
    // Eight fields per b bytes: lanes 0-7 from the first b bytes, lanes 8-15 from the next.
    std::uint32_t w0 = 0, w1 = 0;
    std::memcpy(&w0, idx + j0 * b / 8, b);
    std::memcpy(&w1, idx + j0 * b / 8 + b, b);
    words = _mm512_mask_set1_epi32(_mm512_set1_epi32(static_cast<int>(w0)), 0xFF00, static_cast<int>(w1));
    shifts = _mm512_setr_epi32(0, b, 2 * b, 3 * b, 4 * b, 5 * b, 6 * b, 7 * b, 0, b, 2 * b, 3 * b, 4 * b, 5 * b, 6 * b,
                               7 * b);
  }
  __m512i const base = _mm512_setr_epi32(0 / n * m, 1 / n * m, 2 / n * m, 3 / n * m, 4 / n * m, 5 / n * m, 6 / n * m,
                                         7 / n * m, 8 / n * m, 9 / n * m, 10 / n * m, 11 / n * m, 12 / n * m,
                                         13 / n * m, 14 / n * m, 15 / n * m);
  // (shifted & (M - 1)) | base: the field and the group's first column share no bit.
  return _mm512_ternarylogic_epi32(_mm512_srlv_epi32(words, shifts), _mm512_set1_epi32(m - 1), base, 0xEA);
}

}  // namespace x86

template <std::size_t N, std::size_t M>
constexpr bool avx512_nm_gather = N * 2 == M || N * 4 == M;

/// Kept values j0 .. j0 + 15 (j0 a multiple of 16) of an N:M row, activations in column order.
template <class A, std::size_t N, std::size_t M, std::enable_if_t<avx512_nm_gather<N, M>, int> = 0>
SPARQ_INLINE fbatch<A> gather_nm(float const* a, std::uint8_t const* idx, std::size_t j0,
                                 xsimd::avx512bw const&) noexcept {
  __m512i const cols = x86::nm_columns16<N, M>(idx, j0);
  float const* q = a + j0 / N * M;
  __m512 const p0 = _mm512_permutex2var_ps(_mm512_loadu_ps(q), cols, _mm512_loadu_ps(q + 16));
  if constexpr (N * 2 == M) {
    return p0;
  } else {
    __m512 const p1 = _mm512_permutex2var_ps(_mm512_loadu_ps(q + 32), cols, _mm512_loadu_ps(q + 48));
    return _mm512_mask_blend_ps(_mm512_test_epi32_mask(cols, _mm512_set1_epi32(32)), p0, p1);
  }
}

template <class A, std::size_t N, std::size_t M, std::size_t NB, std::enable_if_t<avx512_nm_gather<N, M>, int> = 0>
SPARQ_INLINE void gather_nm_chunk(float const* a, std::uint8_t const* idx, std::size_t j0, fbatch<A>* out,
                                  xsimd::avx512bw const&) noexcept {
  SPARQ_UNROLL
  for (std::size_t x = 0; x < NB; ++x) out[x] = gather_nm<A, N, M>(a, idx, j0 + x * 16, A{});
}

}  // namespace simd
}  // namespace kernel
SPARQ_ARCH_NAMESPACE_END
