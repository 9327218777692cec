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
#include <sparq/simd/x86_avx2/codes.hpp>

SPARQ_ARCH_NAMESPACE_BEGIN
namespace kernel {
namespace simd {

/// 6-bit unpack: 16 codes per step (x86::unpack6x16). Each step reads 16 bytes and uses 12, so
/// it runs while 16 remain.
template <int Bits, std::enable_if_t<Bits == 6, int> = 0>
inline std::size_t unpack_prefix(std::uint8_t const* in, std::size_t n, std::uint8_t* out, xsimd::avx2 const&) noexcept {
  std::size_t const bytes = (n * 6 + 7) / 8;
  std::size_t s = 0;
  for (; 16 * (s + 1) <= n && 12 * s + 16 <= bytes; ++s) {
    __m128i const b = _mm_loadu_si128(reinterpret_cast<__m128i const*>(in + 12 * s));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 16 * s), x86::unpack6x16(b));
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
SPARQ_ARCH_NAMESPACE_END
