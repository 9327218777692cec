// SPDX-License-Identifier: Apache-2.0
// The AVX2 building blocks every x86 decode shares, each in one copy: sub-byte codes to one code
// per byte (the nibble split, the 6-bit shuffle unpack) and the float16 trick (a code's fields
// moved into float16's, so F16C does the subnormal work). Used by the AVX2 and AVX-512 files.
#pragma once

#include <immintrin.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include <sparq/core/config.hpp>
#include <sparq/format/traits.hpp>
#include <sparq/simd/half_tables.hpp>

SPARQ_ARCH_NAMESPACE_BEGIN
namespace kernel {
namespace simd {
namespace x86 {

/// 32 4-bit codes (16 bytes at p; 16 codes: 8 bytes) split into one code per byte in element
/// order: c[0] codes 0-15, c[1] codes 16-31.
template <std::size_t U>
SPARQ_INLINE void split_nibbles(std::uint8_t const* p, __m128i* c) noexcept {
  __m128i const b = U == 32 ? _mm_loadu_si128(reinterpret_cast<__m128i const*>(p))
                            : _mm_loadl_epi64(reinterpret_cast<__m128i const*>(p));
  __m128i const m = _mm_set1_epi8(0x0F);
  __m128i const lo = _mm_and_si128(b, m);
  __m128i const hi = _mm_and_si128(_mm_srli_epi16(b, 4), m);
  c[0] = _mm_unpacklo_epi8(lo, hi);
  c[1] = _mm_unpackhi_epi8(lo, hi);
}

/// 16 codes of 6 bits from bytes 0-11 of b, one per byte. Code k of a 3-byte group sits at bit
/// 6k: one shuffle gathers each code's 16-bit window, a multiply (x 2^(10 - offset), low 16 bits
/// kept) moves it to the top, a shift by 10 brings it down.
SPARQ_INLINE __m128i unpack6x16(__m128i b) noexcept {
  __m128i const windows = _mm_setr_epi8(0, 1, 0, 1, 1, 2, 2, 3, 3, 4, 3, 4, 4, 5, 5, 6);
  __m256i const lift = _mm256_setr_epi16(1024, 16, 64, 256, 1024, 16, 64, 256, 1024, 16, 64, 256, 1024, 16, 64, 256);
  // Codes 0-7 from bytes 0-5 in the low half, codes 8-15 from bytes 6-11 in the high half.
  __m256i const two = _mm256_inserti128_si256(_mm256_castsi128_si256(b), _mm_srli_si128(b, 6), 1);
  __m256i const win = _mm256_shuffle_epi8(two, _mm256_broadcastsi128_si256(windows));
  __m256i const w = _mm256_srli_epi16(_mm256_mullo_epi16(win, lift), 10);
  __m256i const packed = _mm256_packus_epi16(w, w);
  return _mm_unpacklo_epi64(_mm256_castsi256_si128(packed), _mm256_extracti128_si256(packed, 1));
}

/// Codes 16h .. 16h+15 of a chunk of U (16 or 32) 6-bit codes at p, one per byte. Every load
/// stays inside the chunk: the second group of 32 loads bytes 8..23 and drops 4; a chunk of 16
/// (12 bytes) loads 8 + 4.
template <std::size_t U>
SPARQ_INLINE __m128i load6x16(std::uint8_t const* p, std::size_t h) noexcept {
  if constexpr (U == 32) {
    __m128i const raw = _mm_loadu_si128(reinterpret_cast<__m128i const*>(p + (h == 0 ? 0 : 8)));
    return unpack6x16(h == 0 ? raw : _mm_srli_si128(raw, 4));
  } else {
    std::uint32_t tail;
    std::memcpy(&tail, p + 8, 4);
    return unpack6x16(_mm_insert_epi32(_mm_loadl_epi64(reinterpret_cast<__m128i const*>(p)), static_cast<int>(tail), 2));
  }
}

/// 16 codes (zero-extended in 16-bit lanes) to the float16 encodings of their values times
/// 2^(bias - 15): 7 integer ops, plus a blend for NaN codes. NaN codes become float16's canonical
/// NaN with their sign; the rebias multiply keeps a quiet NaN's bits, so the result is the
/// canonical float NaN of detail::decode_fp. float8_e5m2 is float16's top byte: Inf stays Inf.
template <class Spec>
SPARQ_INLINE __m256i half_bits(__m256i w) noexcept {
  constexpr int width = Spec::exp_bits + Spec::man_bits;
  __m256i const mag = _mm256_and_si256(w, _mm256_set1_epi16(static_cast<short>(Spec::mag_mask)));
  __m256i half = _mm256_slli_epi16(mag, 10 - Spec::man_bits);
  __m256i const sign =
      _mm256_slli_epi16(_mm256_and_si256(w, _mm256_set1_epi16(static_cast<short>(Spec::sign_mask))), 15 - width);
  half = _mm256_or_si256(half, sign);
  if constexpr (Spec::special == specials::nan_only || Spec::special == specials::nan_only_no_negzero) {
    __m256i const nan = Spec::special == specials::nan_only
                            ? _mm256_cmpeq_epi16(mag, _mm256_set1_epi16(static_cast<short>(Spec::mag_mask)))
                            : _mm256_cmpeq_epi16(w, _mm256_set1_epi16(static_cast<short>(Spec::sign_mask)));
    half = _mm256_blendv_epi8(half, _mm256_or_si256(sign, _mm256_set1_epi16(0x7E00)), nan);
  } else if constexpr (Spec::special == specials::ieee) {
    __m256i const nan = _mm256_cmpgt_epi16(mag, _mm256_set1_epi16(static_cast<short>(Spec::inf_code)));
    half = _mm256_blendv_epi8(half, _mm256_or_si256(sign, _mm256_set1_epi16(0x7E00)), nan);
  }
  return half;
}

/// 16-entry byte table as a shuffle operand.
SPARQ_INLINE __m128i byte_table(std::array<int, 16> const& t) noexcept {
  return _mm_setr_epi8(static_cast<char>(t[0]), static_cast<char>(t[1]), static_cast<char>(t[2]),
                       static_cast<char>(t[3]), static_cast<char>(t[4]), static_cast<char>(t[5]),
                       static_cast<char>(t[6]), static_cast<char>(t[7]), static_cast<char>(t[8]),
                       static_cast<char>(t[9]), static_cast<char>(t[10]), static_cast<char>(t[11]),
                       static_cast<char>(t[12]), static_cast<char>(t[13]), static_cast<char>(t[14]),
                       static_cast<char>(t[15]));
}

/// The float16 high-byte table of a 4-bit format (half_table) as a shuffle operand.
template <class E>
SPARQ_INLINE __m128i half_lut() noexcept {
  return byte_table(half_table<E>::table);
}

/// The int8 image table of E (16 entries from Offset) in both 128-bit lanes.
template <class E, std::size_t Offset = 0>
SPARQ_INLINE __m256i image_lut() noexcept {
  auto const& t = image_table_v<E>;
  auto b = [&](std::size_t i) { return static_cast<char>(t[Offset + i]); };
  return _mm256_setr_epi8(b(0), b(1), b(2), b(3), b(4), b(5), b(6), b(7), b(8), b(9), b(10), b(11), b(12), b(13),
                          b(14), b(15), b(0), b(1), b(2), b(3), b(4), b(5), b(6), b(7), b(8), b(9), b(10), b(11),
                          b(12), b(13), b(14), b(15));
}

}  // namespace x86
}  // namespace simd
}  // namespace kernel
SPARQ_ARCH_NAMESPACE_END
