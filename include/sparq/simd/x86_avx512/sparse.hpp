// SPDX-License-Identifier: Apache-2.0
// AVX-512 sparse primitives. N:M gathers where 16 kept values span 32 or 64 columns (N * 2 == M:
// 1:2, 2:4, 4:8, 8:16; N * 4 == M: 1:4, 2:8, 4:16): the activations stay in column order and
// VPERMT2PS picks each kept value's column out of two 16-float loads by its packed field, so a
// batch of 16 kept values costs a field decode (broadcast, shift, one ternary-logic op) and one or
// two two-table permutes. Bitmap rows below 40 % density: the columns of the kept entries
// compressed into 16-bit indices (VPCOMPRESSW, two per 64-column tile, where the CPU has VBMI2),
// then one 16-lane gather of activations per 16 kept values; denser rows run the AVX2 kernel
// (arch_traits::bitmap_arch).
#pragma once

#include <immintrin.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include <xsimd/xsimd.hpp>

#include <sparq/core/bits.hpp>
#include <sparq/core/config.hpp>
#include <sparq/core/cpu_features.hpp>
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

#if defined(__GNUC__) || defined(__clang__)
/// The columns of a bitmap row's kept entries, in order, as 16-bit numbers at `out` (tiles * 64
/// <= 65536; writes up to 32 entries past the last). Returns the end. Needs AVX-512 VBMI2.
__attribute__((target("avx512f,avx512bw,avx512vbmi2"))) inline std::uint16_t* bitmap_columns_vbmi2(
    std::uint64_t const* mask, std::size_t tiles, std::uint16_t* out) noexcept {
  __m512i column = _mm512_set_epi16(31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12,
                                    11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
  __m512i const step = _mm512_set1_epi16(32);
  for (std::size_t t = 0; t < tiles; ++t) {
    std::uint64_t const m = mask[t];
    SPARQ_UNROLL
    for (int h = 0; h < 2; ++h) {
      auto const half = static_cast<__mmask32>(m >> (32 * h));
      _mm512_storeu_si512(out, _mm512_maskz_compress_epi16(half, column));
      out += sparq::popcount64(half);
      column = _mm512_add_epi16(column, step);
    }
  }
  return out;
}
#endif

}  // namespace x86

/// Whether bitmap_columns runs here: AVX-512 VBMI2 and at most 65536 columns.
inline bool bitmap_columns_available(std::size_t tiles, xsimd::avx512bw const&) noexcept {
#if defined(__GNUC__) || defined(__clang__)
  return tiles <= 1024 && sparq::cpu_features().avx512vbmi2;
#else
  (void)tiles;
  return false;
#endif
}

/// See x86::bitmap_columns_vbmi2 (only where bitmap_columns_available).
inline std::uint16_t* bitmap_columns(std::uint64_t const* mask, std::size_t tiles, std::uint16_t* out,
                                     xsimd::avx512bw const&) noexcept {
#if defined(__GNUC__) || defined(__clang__)
  return x86::bitmap_columns_vbmi2(mask, tiles, out);
#else
  (void)mask, (void)tiles;
  return out;
#endif
}

/// out[i] = sum_j vals[j] * a[i * lda + col[j]], j < n, for MR rows of A: one gather per 16 kept
/// values and row of A, two accumulators per row, the last 16 masked.
template <std::size_t MR>
SPARQ_INLINE void bitmap_gather_dots(std::uint16_t const* col, float const* vals, std::size_t n, float const* a,
                                     std::size_t lda, float* out, xsimd::avx512bw const&) noexcept {
  __m512 acc0[MR], acc1[MR];
  for (std::size_t i = 0; i < MR; ++i) acc0[i] = acc1[i] = _mm512_setzero_ps();
  std::size_t j = 0;
  for (; j + 32 <= n; j += 32) {
    __m512i const c0 = _mm512_cvtepu16_epi32(_mm256_loadu_si256(reinterpret_cast<__m256i const*>(col + j)));
    __m512i const c1 = _mm512_cvtepu16_epi32(_mm256_loadu_si256(reinterpret_cast<__m256i const*>(col + j + 16)));
    __m512 const v0 = _mm512_loadu_ps(vals + j), v1 = _mm512_loadu_ps(vals + j + 16);
    SPARQ_UNROLL
    for (std::size_t i = 0; i < MR; ++i) {
      acc0[i] = _mm512_fmadd_ps(_mm512_i32gather_ps(c0, a + i * lda, 4), v0, acc0[i]);
      acc1[i] = _mm512_fmadd_ps(_mm512_i32gather_ps(c1, a + i * lda, 4), v1, acc1[i]);
    }
  }
  for (; j < n; j += 16) {
    auto const k = static_cast<__mmask16>(n - j >= 16 ? 0xFFFFu : (1u << (n - j)) - 1u);
    __m512i const c = _mm512_cvtepu16_epi32(_mm512_castsi512_si256(_mm512_maskz_loadu_epi16(k, col + j)));
    __m512 const v = _mm512_maskz_loadu_ps(k, vals + j);
    SPARQ_UNROLL
    for (std::size_t i = 0; i < MR; ++i) {
      acc0[i] = _mm512_fmadd_ps(_mm512_mask_i32gather_ps(_mm512_setzero_ps(), k, c, a + i * lda, 4), v, acc0[i]);
    }
  }
  for (std::size_t i = 0; i < MR; ++i) out[i] = _mm512_reduce_add_ps(_mm512_add_ps(acc0[i], acc1[i]));
}

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
