// SPDX-License-Identifier: Apache-2.0
// The AVX2 int8_activations GEMV for 4-bit codes (FP4 E2M1, INT4, UINT4 with zero points; 32
// codes per chunk): the codes are decoded in registers and never stored. Per chunk and weight
// row: one broadcast load of the 16 code bytes, a variable shift and a mask split them into
// [even codes | odd codes] (the order the activations were arranged in, once per call), one byte
// shuffle maps each code to its unsigned image u = image + offset, and vpmaddubsw + vpmaddwd give
// eight 32-bit sums of u * q. Per chunk, the sums of up to eight (row, A row) pairs are reduced
// into one vector, and one instruction each subtracts the offset's share (offset times the
// chunk's sum of q, made once per call; with a zero point, (offset + zero) times it), converts,
// and applies d(A block) * scale(W block). The general kernel's sign handling (two vpsignb per
// chunk and row), the image's store and reload, and the per-row convert and FMA are gone.
#pragma once

#include <immintrin.h>

#include <array>
#include <cstddef>
#include <cstdint>

#include <xsimd/xsimd.hpp>

#include <sparq/core/config.hpp>
#include <sparq/format/traits.hpp>
#include <sparq/simd/gemv4.hpp>
#include <sparq/simd/lanes.hpp>
#include <sparq/simd/x86_avx2/codes.hpp>

SPARQ_ARCH_NAMESPACE_BEGIN
namespace kernel {
namespace simd {

/// Whether the arch has the 4-bit GEMV (every AVX2 arch).
constexpr bool has_gemv4(xsimd::avx2 const&) noexcept { return true; }

/// Arranges n int8 activations (a multiple of 32) of one row for gemv4 into out, and each
/// block's sum times `times` into totals.
SPARQ_INLINE void gemv4_arrange(std::int8_t const* q, std::size_t n, int times, std::int8_t* out, std::int32_t* totals,
                                xsimd::avx2 const&) noexcept {
  // Even bytes to the low half, odd bytes to the high half of each 16-byte lane, then the lanes'
  // halves regrouped: [evens of 0-15, evens of 16-31 | odds of 0-15, odds of 16-31].
  __m256i const split = _mm256_setr_epi8(0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15, 0, 2, 4, 6, 8, 10, 12,
                                         14, 1, 3, 5, 7, 9, 11, 13, 15);
  __m256i const ones = _mm256_set1_epi8(1), one16 = _mm256_set1_epi16(1);
  for (std::size_t j = 0; j < n; j += 32) {
    __m256i const v = _mm256_shuffle_epi8(_mm256_loadu_si256(reinterpret_cast<__m256i const*>(q + j)), split);
    __m256i const a = _mm256_permute4x64_epi64(v, 0xD8);  // qwords 0, 2, 1, 3
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + j), a);
    __m256i const s = _mm256_madd_epi16(_mm256_maddubs_epi16(ones, a), one16);
    __m128i const h = _mm_add_epi32(_mm256_castsi256_si128(s), _mm256_extracti128_si256(s, 1));
    __m128i const h2 = _mm_add_epi32(h, _mm_shuffle_epi32(h, 0x4E));
    totals[j / 32] = times * _mm_cvtsi128_si32(_mm_add_epi32(h2, _mm_shuffle_epi32(h2, 0xB1)));
  }
}

/// t[rr] = the sum of the eight 32-bit lanes of s[rr], for eight vectors.
SPARQ_INLINE __m256i gemv4_row_sums(__m256i const* s) noexcept {
  __m256i const h01 = _mm256_hadd_epi32(s[0], s[1]), h23 = _mm256_hadd_epi32(s[2], s[3]);
  __m256i const h45 = _mm256_hadd_epi32(s[4], s[5]), h67 = _mm256_hadd_epi32(s[6], s[7]);
  __m256i const lo = _mm256_hadd_epi32(h01, h23), hi = _mm256_hadd_epi32(h45, h67);
  return _mm256_add_epi32(_mm256_permute2x128_si256(lo, hi, 0x20), _mm256_permute2x128_si256(lo, hi, 0x31));
}

/// dots[rr * M + i] = sum over K of image(W row r + rr) * q(A row i) * d * scale, for R weight rows
/// (R * M <= 8) of a source with 4-bit packed chunks of 32 codes (kernel/source/concept.hpp:
/// packed_chunk). Each chunk's R * M integer sums are reduced into the lanes of one vector
/// (lane rr * M + i), so the offset's share, the convert and the scales cost one instruction per
/// chunk for all of them; every (row, A row) pair gets the same arithmetic whatever R and M are,
/// so a row's result does not depend on how rows are grouped.
template <std::size_t M, std::size_t R, class W>
void gemv4_rows(W const& w, gemv4_activations const& qa, std::size_t r, float* dots, xsimd::avx2 const&) noexcept {
  static_assert(R * M <= 8, "gemv4_rows: R * M sums must fit one vector");
  using E = typename W::packed_element;
  constexpr std::size_t L = R * M;
  constexpr int offset = gemv4_offset<E>();
  constexpr float inv_factor = 1.0f / static_cast<float>(W::image_factor);
  __m256i const lut = _mm256_add_epi8(x86::image_lut<E>(), _mm256_set1_epi8(static_cast<char>(offset)));
  __m256i const shifts = _mm256_setr_epi32(0, 0, 0, 0, 4, 4, 4, 4);
  __m256i const low4 = _mm256_set1_epi8(0x0F), one16 = _mm256_set1_epi16(1);
  std::size_t const chunks = w.chunks(), per = w.chunks_per_block(), whole = w.packed_whole_chunks();
  constexpr std::size_t stride = W::packed_chunk_stride();
  std::uint8_t const* row[R];
  SPARQ_UNROLL
  for (std::size_t rr = 0; rr < R; ++rr) row[rr] = w.packed_row(r + rr);
  // Lane k holds row rr = k / M and A row i = k % M; lanes from L on stay zero.
  auto lanes = [](auto of) {
    auto at = [&](std::size_t k) { return k < L ? of(k / M, k % M) : decltype(of(0, 0)){}; };
    return std::array<decltype(of(0, 0)), 8>{at(0), at(1), at(2), at(3), at(4), at(5), at(6), at(7)};
  };
  __m256 acc = _mm256_setzero_ps();
  for (std::size_t b = 0, c0 = 0; c0 < chunks; ++b, c0 += per) {
    std::size_t const c1 = c0 + per < chunks ? c0 + per : chunks;
    auto const ws = lanes([&](std::size_t rr, std::size_t) { return w.scale(r + rr, b); });
    __m256 const wsv = _mm256_mul_ps(_mm256_setr_ps(ws[0], ws[1], ws[2], ws[3], ws[4], ws[5], ws[6], ws[7]),
                                     _mm256_set1_ps(inv_factor));
    __m256i zv = _mm256_setzero_si256();
    if constexpr (W::has_zero) {
      auto const z = lanes([&](std::size_t rr, std::size_t) { return offset + w.zero_code(r + rr, b); });
      zv = _mm256_setr_epi32(z[0], z[1], z[2], z[3], z[4], z[5], z[6], z[7]);
    }
    for (std::size_t c = c0; c < c1; ++c) {
      __m256i qv[M];
      SPARQ_UNROLL
      for (std::size_t i = 0; i < M; ++i) {
        qv[i] = _mm256_loadu_si256(reinterpret_cast<__m256i const*>(qa.q + i * qa.kp + c * 32));
      }
      __m256i s[8];
      SPARQ_UNROLL
      for (std::size_t k = L; k < 8; ++k) s[k] = _mm256_setzero_si256();
      SPARQ_UNROLL
      for (std::size_t rr = 0; rr < R; ++rr) {
        alignas(16) std::uint8_t buf[16];
        std::uint8_t const* p = c < whole ? row[rr] + c * stride : w.packed_chunk(r + rr, c, buf);
        __m256i const v = _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<__m128i const*>(p)));
        __m256i const u = _mm256_shuffle_epi8(lut, _mm256_and_si256(_mm256_srlv_epi32(v, shifts), low4));
        SPARQ_UNROLL
        for (std::size_t i = 0; i < M; ++i) s[rr * M + i] = _mm256_madd_epi16(_mm256_maddubs_epi16(u, qv[i]), one16);
      }
      // The offset's share: (offset [+ zero]) * the sum of the chunk's q (totals holds it times
      // the offset where there is no zero point).
      __m256i t = gemv4_row_sums(s);
      __m256i qsum;
      __m256 dv;
      if constexpr (M == 1) {
        qsum = _mm256_set1_epi32(qa.totals[c]);
        dv = _mm256_set1_ps(qa.d[c]);
      } else {
        auto const q = lanes([&](std::size_t, std::size_t i) { return qa.totals[i * chunks + c]; });
        auto const d = lanes([&](std::size_t, std::size_t i) { return qa.d[i * qa.nd + c]; });
        qsum = _mm256_setr_epi32(q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7]);
        dv = _mm256_setr_ps(d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]);
      }
      if constexpr (W::has_zero) {
        t = _mm256_sub_epi32(t, _mm256_mullo_epi32(qsum, zv));
      } else {
        t = _mm256_sub_epi32(t, qsum);
      }
      acc = _mm256_fmadd_ps(_mm256_mul_ps(_mm256_cvtepi32_ps(t), dv), wsv, acc);
    }
  }
  alignas(32) float out[8];
  _mm256_store_ps(out, acc);
  for (std::size_t k = 0; k < L; ++k) dots[k] = out[k];
}

}  // namespace simd
}  // namespace kernel
SPARQ_ARCH_NAMESPACE_END
