// SPDX-License-Identifier: Apache-2.0
// AVX2 sparse primitives. bitmap_compress, and the 2:4 chunk gather: see below. gather_nm for N:M
// with N * 2 == M (1:2, 4:8, 8:16): eight kept
// values span 16 columns, so their activations come from two 8-float permutes and a blend, the
// permute indices from the packed fields by one variable shift.
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

template <class A, std::size_t N, std::size_t M, std::enable_if_t<N * 2 == M && !(N == 2 && M == 4), int> = 0>
SPARQ_INLINE fbatch<A> gather_nm(float const* a, std::uint8_t const* idx, std::size_t j0, xsimd::avx2 const&) noexcept {
  constexpr int b = static_cast<int>(sparq::detail::log2_of(M));
  std::uint32_t word = 0;
  std::memcpy(&word, idx + j0 * b / 8, b);  // the b bytes of 8 fields (j0 is a multiple of 8)
  __m256i const shifts = _mm256_setr_epi32(0, b, 2 * b, 3 * b, 4 * b, 5 * b, 6 * b, 7 * b);
  __m256i const field = _mm256_and_si256(_mm256_srlv_epi32(_mm256_set1_epi32(static_cast<int>(word)), shifts),
                                         _mm256_set1_epi32(static_cast<int>(M - 1)));
  float const* q = a + j0 * 2;  // column of kept value j0: j0 / N * M
  if constexpr (N <= 4) {
    // Lanes 0-3 lie in columns [0, 8) of the span, lanes 4-7 in [8, 16).
    constexpr int g0 = 0, g1 = static_cast<int>(M) * (1 / N), g2 = static_cast<int>(M) * (2 / N),
                  g3 = static_cast<int>(M) * (3 / N);
    __m256i const base = _mm256_setr_epi32(g0, g1, g2, g3, g0, g1, g2, g3);
    __m256i const p = _mm256_add_epi32(field, base);
    __m256 const lo = _mm256_permutevar8x32_ps(_mm256_loadu_ps(q), p);
    __m256 const hi = _mm256_permutevar8x32_ps(_mm256_loadu_ps(q + 8), p);
    return _mm256_blend_ps(lo, hi, 0xF0);
  } else {
    // 8:16: all eight in one group of 16 columns; bit 3 of the field picks the half.
    __m256 const lo = _mm256_permutevar8x32_ps(_mm256_loadu_ps(q), field);
    __m256 const hi = _mm256_permutevar8x32_ps(_mm256_loadu_ps(q + 8), field);
    return _mm256_blendv_ps(lo, hi, _mm256_castsi256_ps(_mm256_slli_epi32(field, 28)));
  }
}

/// 2:4 on AVX2: each 16 columns stored as [0-3, 8-11, 4-7, 12-15], so that one aligned load gives
/// [group 0 | group 2] and the next [group 1 | group 3] and an in-lane permute picks each kept
/// value's activation by its 2-bit field as is.
template <class A>
struct nm_activations<A, 2, 4, std::enable_if_t<std::is_base_of<xsimd::avx2, A>::value>> {
  static void arrange(float* row, std::size_t cols) noexcept {
    for (std::size_t b = 0; b + 16 <= cols; b += 16) {
      __m128 const g1 = _mm_loadu_ps(row + b + 4), g2 = _mm_loadu_ps(row + b + 8);
      _mm_storeu_ps(row + b + 4, g2);
      _mm_storeu_ps(row + b + 8, g1);
    }
  }
  static std::size_t position(std::size_t p) noexcept {
    std::size_t const q = p % 16;
    return q >= 4 && q < 12 ? p + (q < 8 ? 4 : std::size_t(0) - 4) : p;
  }
};

/// 2:4, a whole chunk, activations arranged as above: the fields of 16 kept values (4 bytes)
/// broadcast once and shifted per batch; per 8 kept values two loads, two in-lane permutes and
/// a blend.
template <class A, std::size_t N, std::size_t M, std::size_t NB, std::enable_if_t<N == 2 && M == 4 && NB % 2 == 0, int> = 0>
SPARQ_INLINE void gather_nm_chunk(float const* a, std::uint8_t const* idx, std::size_t j0, fbatch<A>* out,
                                  xsimd::avx2 const&) noexcept {
  __m256i const lo_shifts = _mm256_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14);
  __m256i const hi_shifts = _mm256_setr_epi32(16, 18, 20, 22, 24, 26, 28, 30);
  SPARQ_UNROLL
  for (std::size_t x = 0; x < NB; x += 2) {
    std::size_t const j = j0 + x * 8;
    std::uint32_t word;
    std::memcpy(&word, idx + j / 4, 4);  // fields of kept values j .. j + 15
    __m256i const all = _mm256_set1_epi32(static_cast<int>(word));
    SPARQ_UNROLL
    for (std::size_t h = 0; h < 2; ++h) {
      float const* q = a + 2 * (j + 8 * h);  // 16 columns of 8 kept values, arranged
      __m256i const f = _mm256_srlv_epi32(all, h ? hi_shifts : lo_shifts);
      out[x + h] = _mm256_blend_ps(_mm256_permutevar_ps(_mm256_loadu_ps(q), f),
                                   _mm256_permutevar_ps(_mm256_loadu_ps(q + 8), f), 0xCC);
    }
  }
}

/// The general N * 2 == M gather reads columns in order: other patterns keep the identity
/// arrangement (the generic nm_activations).
namespace x86 {
/// Per mask byte: the positions of its set bits (then zeros) and their count.
struct bitmap_luts {
  alignas(32) std::int32_t compress[256][8];
  std::uint8_t count[256];  // set bits (no POPCNT needed)
  constexpr bitmap_luts() : compress{}, count{} {
    for (int m = 0; m < 256; ++m) {
      int n = 0;
      for (int p = 0; p < 8; ++p) {
        if ((m >> p) & 1) compress[m][n++] = p;
      }
      count[m] = static_cast<std::uint8_t>(n);
    }
  }
};
inline constexpr bitmap_luts bitmap_lut{};
}  // namespace x86

/// One 64-column tile: per mask byte, its eight activations compressed to the kept columns by one
/// permute (positions from a 256-entry table) and stored at `stage` (8 floats; the next byte's
/// store overwrites what lies past the kept ones). Returns stage past the tile's kept columns.
template <class A>
SPARQ_INLINE float* bitmap_compress(std::uint64_t mask, float const* a, float* stage, xsimd::avx2 const&) noexcept {
  SPARQ_UNROLL
  for (std::size_t q = 0; q < 8; ++q) {
    unsigned const byte = static_cast<unsigned>(mask >> (8 * q)) & 0xFFu;
    __m256i const sel = _mm256_load_si256(reinterpret_cast<__m256i const*>(x86::bitmap_lut.compress[byte]));
    _mm256_storeu_ps(stage, _mm256_permutevar8x32_ps(_mm256_loadu_ps(a + 8 * q), sel));
    stage += x86::bitmap_lut.count[byte];
  }
  return stage;
}

}  // namespace simd
}  // namespace kernel
SPARQ_ARCH_NAMESPACE_END
