// SPDX-License-Identifier: Apache-2.0
// AVX2 sparse primitives. bitmap_tile: see below. gather_nm for N:M with N * 2 == M (1:2, 2:4, 4:8, 8:16): eight kept
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

SPARQ_ARCH_NAMESPACE_BEGIN
namespace kernel {
namespace simd {

template <class A, std::size_t N, std::size_t M, std::enable_if_t<N * 2 == M, int> = 0>
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

namespace x86 {
/// Per mask byte: lane p takes kept value rank(p) when bit p is set, else lane 7 (masked to 0
/// unless all eight are set).
struct bitmap_luts {
  alignas(32) std::int32_t expand[256][8];
  alignas(32) std::int32_t load[9][8];  // lanes < n: -1
  std::uint8_t count[256];               // set bits (no POPCNT needed)
  constexpr bitmap_luts() : expand{}, load{}, count{} {
    for (int m = 0; m < 256; ++m) {
      int rank = 0;
      for (int p = 0; p < 8; ++p) {
        expand[m][p] = (m >> p) & 1 ? rank++ : 7;
      }
      count[m] = static_cast<std::uint8_t>(rank);
    }
    for (int n = 0; n <= 8; ++n) {
      for (int p = 0; p < 8; ++p) load[n][p] = p < n ? -1 : 0;
    }
  }
};
inline constexpr bitmap_luts bitmap_lut{};
}  // namespace x86

/// One 64-column tile, eight columns at a time: the kept values of a mask byte loaded (masked to
/// the byte's count, so nothing past the row's values is read) and expanded to their columns by
/// one permute, then one FMA per row of A with the dense activations.
template <class A, std::size_t MR, std::size_t NACC>
SPARQ_INLINE float const* bitmap_tile(std::uint64_t mask, float const* vals, float const* a, std::size_t lda, fbatch<A>* acc,
                              xsimd::avx2 const&) noexcept {
  SPARQ_UNROLL
  for (std::size_t q = 0; q < 8; ++q) {
    unsigned const byte = static_cast<unsigned>(mask >> (8 * q)) & 0xFFu;
    unsigned const n = x86::bitmap_lut.count[byte];
    __m256i const sel = _mm256_load_si256(reinterpret_cast<__m256i const*>(x86::bitmap_lut.expand[byte]));
    __m256i const keep = _mm256_load_si256(reinterpret_cast<__m256i const*>(x86::bitmap_lut.load[n]));
    __m256 const v = _mm256_permutevar8x32_ps(_mm256_maskload_ps(vals, keep), sel);
    vals += n;
    SPARQ_UNROLL
    for (std::size_t i = 0; i < MR; ++i) {
      fbatch<A>& x = acc[i * NACC + q % NACC];
      x = _mm256_fmadd_ps(v, _mm256_loadu_ps(a + i * lda + 8 * q), x);
    }
  }
  return vals;
}

}  // namespace simd
}  // namespace kernel
SPARQ_ARCH_NAMESPACE_END
