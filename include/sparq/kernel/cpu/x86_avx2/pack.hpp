// SPDX-License-Identifier: Apache-2.0
// AVX2 6-bit packing: 16 codes <-> 12 bytes per step with shuffles and multiplies, against a
// shift-and-mask loop of 4 codes per 3 bytes.
#pragma once

#include <immintrin.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

#include <xsimd/xsimd.hpp>

#include <sparq/core/config.hpp>

SPARQ_NAMESPACE_BEGIN
namespace kernel {
namespace simd {

/// 6-bit unpack. Code k of a 3-byte group sits at bit 6k: each code's 16-bit window is gathered
/// by one shuffle, moved to the top by a multiply (x 2^(10 - offset), the low 16 bits kept) and
/// shifted down by 10. Each step reads 16 bytes and uses 12, so it runs while 16 remain.
template <int Bits, std::enable_if_t<Bits == 6, int> = 0>
inline std::size_t unpack_prefix(std::uint8_t const* in, std::size_t n, std::uint8_t* out, xsimd::avx2 const&) noexcept {
  std::size_t const bytes = (n * 6 + 7) / 8;
  __m256i const windows = _mm256_setr_epi8(0, 1, 0, 1, 1, 2, 2, 3, 3, 4, 3, 4, 4, 5, 5, 6,     // codes 0-7
                                           6, 7, 6, 7, 7, 8, 8, 9, 9, 10, 9, 10, 10, 11, 11, 12);  // 8-15
  __m256i const lift = _mm256_setr_epi16(1024, 16, 64, 256, 1024, 16, 64, 256, 1024, 16, 64, 256, 1024, 16, 64, 256);
  std::size_t s = 0;
  for (; 16 * (s + 1) <= n && 12 * s + 16 <= bytes; ++s) {
    __m256i const b = _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<__m128i const*>(in + 12 * s)));
    __m256i const w = _mm256_srli_epi16(_mm256_mullo_epi16(_mm256_shuffle_epi8(b, windows), lift), 10);
    __m256i const packed = _mm256_permute4x64_epi64(_mm256_packus_epi16(w, w), 0x08);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 16 * s), _mm256_castsi256_si128(packed));
  }
  return 16 * s;
}

/// 6-bit pack: pairs become 12-bit words (maddubs with 1, 64), word pairs become 24-bit groups
/// (madd with 1, 4096), and a shuffle keeps the three low bytes of each group.
template <int Bits, std::enable_if_t<Bits == 6, int> = 0>
inline std::size_t pack_prefix(std::uint8_t const* codes, std::size_t n, std::uint8_t* out, xsimd::avx2 const&) noexcept {
  __m128i const pair = _mm_setr_epi8(1, 64, 1, 64, 1, 64, 1, 64, 1, 64, 1, 64, 1, 64, 1, 64);
  __m128i const quad = _mm_setr_epi16(1, 4096, 1, 4096, 1, 4096, 1, 4096);
  __m128i const take = _mm_setr_epi8(0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, -1, -1, -1, -1);
  std::size_t s = 0;
  for (; 16 * (s + 1) <= n; ++s) {
    __m128i const c = _mm_loadu_si128(reinterpret_cast<__m128i const*>(codes + 16 * s));
    __m128i const g = _mm_shuffle_epi8(_mm_madd_epi16(_mm_maddubs_epi16(c, pair), quad), take);
    _mm_storel_epi64(reinterpret_cast<__m128i*>(out + 12 * s), g);
    std::uint32_t const tail = static_cast<std::uint32_t>(_mm_extract_epi32(g, 2));
    std::memcpy(out + 12 * s + 8, &tail, 4);
  }
  return 16 * s;
}

}  // namespace simd
}  // namespace kernel
SPARQ_NAMESPACE_END
