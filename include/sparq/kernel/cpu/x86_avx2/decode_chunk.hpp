// SPDX-License-Identifier: Apache-2.0
// AVX2 chunk decode: 4-bit codes by a byte-shuffle table lookup, 6-bit codes by one shuffle per 16
// codes, byte minifloats by the float16 trick on 16 lanes at a time (F16C).
#pragma once

#include <immintrin.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include <xsimd/xsimd.hpp>

#include <sparq/core/config.hpp>
#include <sparq/format/traits.hpp>
#include <sparq/kernel/cpu/convert.hpp>

#if defined(__F16C__)
SPARQ_NAMESPACE_BEGIN
namespace kernel {
namespace simd {
namespace detail_avx2 {

/// The high byte of the float16 encoding of v, when v is exactly that float16 with a zero low
/// byte (at most 3 significant bits, exponent in float16's normal range); -1 otherwise.
constexpr int half_high_byte(float v) noexcept {
  int sign = 0;
  if (v < 0.0f) {
    sign = 0x80;
    v = -v;
  }
  if (v == 0.0f) return sign;
  int e = 0;
  while (v >= 2.0f) {
    v *= 0.5f;
    ++e;
  }
  while (v < 1.0f) {
    v *= 2.0f;
    --e;
  }
  float const frac = (v - 1.0f) * 4.0f;  // two mantissa bits live in the high byte
  int const man = static_cast<int>(frac);
  if (static_cast<float>(man) != frac || e < -14 || e > 15) return -1;
  return sign | ((e + 15) << 2) | man;
}

/// 4-bit formats whose every value is such a float16 (FP4 E2M1, INT4): the table of high bytes.
template <class E>
struct half_lut {
  static constexpr auto make() noexcept {
    std::array<int, 16> t{};
    for (std::size_t c = 0; c < 16; ++c) t[c] = half_high_byte(decode_table_v<E>[c]);
    return t;
  }
  static constexpr std::array<int, 16> table = make();
  static constexpr bool exact() noexcept {
    for (int b : table) {
      if (b < 0) return false;
    }
    return true;
  }
  static __m128i load() noexcept {
    return _mm_setr_epi8(static_cast<char>(table[0]), static_cast<char>(table[1]), static_cast<char>(table[2]),
                         static_cast<char>(table[3]), static_cast<char>(table[4]), static_cast<char>(table[5]),
                         static_cast<char>(table[6]), static_cast<char>(table[7]), static_cast<char>(table[8]),
                         static_cast<char>(table[9]), static_cast<char>(table[10]), static_cast<char>(table[11]),
                         static_cast<char>(table[12]), static_cast<char>(table[13]), static_cast<char>(table[14]),
                         static_cast<char>(table[15]));
  }
};

/// 16 float16 high bytes (one per byte of h) to two float batches.
SPARQ_INLINE void half_bytes_to_float(__m128i h, __m256* out) noexcept {
  __m128i const z = _mm_setzero_si128();
  out[0] = _mm256_cvtph_ps(_mm_unpacklo_epi8(z, h));
  out[1] = _mm256_cvtph_ps(_mm_unpackhi_epi8(z, h));
}

/// 16 byte codes (zero-extended in 16-bit lanes) of a via_half minifloat to two float batches.
template <class Spec>
SPARQ_INLINE void minifloat16_to_float(__m256i w, __m256* out) noexcept {
  constexpr int width = Spec::exp_bits + Spec::man_bits;
  __m256i const mag = _mm256_and_si256(w, _mm256_set1_epi16(static_cast<short>(Spec::mag_mask)));
  __m256i half = _mm256_slli_epi16(mag, 10 - Spec::man_bits);
  __m256i sign = _mm256_setzero_si256();
  if constexpr (Spec::sign_mask != 0) {
    sign = _mm256_slli_epi16(_mm256_and_si256(w, _mm256_set1_epi16(static_cast<short>(Spec::sign_mask))), 15 - width);
    half = _mm256_or_si256(half, sign);
  }
  if constexpr (Spec::special == specials::nan_only || Spec::special == specials::nan_only_no_negzero) {
    __m256i const nan = Spec::special == specials::nan_only
                            ? _mm256_cmpeq_epi16(mag, _mm256_set1_epi16(static_cast<short>(Spec::mag_mask)))
                            : _mm256_cmpeq_epi16(w, _mm256_set1_epi16(static_cast<short>(Spec::sign_mask)));
    half = _mm256_blendv_epi8(half, _mm256_or_si256(sign, _mm256_set1_epi16(0x7E00)), nan);
  } else if constexpr (Spec::special == specials::ieee) {
    __m256i const nan = _mm256_cmpgt_epi16(mag, _mm256_set1_epi16(static_cast<short>(Spec::inf_code)));
    half = _mm256_blendv_epi8(half, _mm256_or_si256(sign, _mm256_set1_epi16(0x7E00)), nan);
  }
  __m256 lo = _mm256_cvtph_ps(_mm256_castsi256_si128(half));
  __m256 hi = _mm256_cvtph_ps(_mm256_extracti128_si256(half, 1));
  if constexpr (Spec::bias != 15) {
    __m256 const f = _mm256_set1_ps(sparq::detail::exp2i(15 - Spec::bias));
    lo = _mm256_mul_ps(lo, f);
    hi = _mm256_mul_ps(hi, f);
  }
  out[0] = lo;
  out[1] = hi;
}

/// 16 codes of 6 bits from the 12 bytes at p, one per byte (the 16-byte load reads 4 more bytes:
/// callers keep them inside the chunk).
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

template <class E>
constexpr bool via_half_format_f() noexcept {
  if constexpr (E::spec::is_integer) {
    return false;
  } else {
    return via_half<typename E::spec>;
  }
}
template <class E>
inline constexpr bool via_half_format = via_half_format_f<E>();

}  // namespace detail_avx2

/// 4-bit codes: split nibbles, restore element order, then a 16-entry shuffle to float16 high
/// bytes (FP4 E2M1, INT4) or a zero extension (UINT4).
template <class A, class E, std::size_t U, std::enable_if_t<bits_of_v<E> == 4, int> = 0>
SPARQ_INLINE void decode_chunk(std::uint8_t const* p, fbatch<A>* out, xsimd::avx2 const&) noexcept {
  __m128i const b = U == 32 ? _mm_loadu_si128(reinterpret_cast<__m128i const*>(p))
                            : _mm_loadl_epi64(reinterpret_cast<__m128i const*>(p));
  __m128i const m = _mm_set1_epi8(0x0F);
  __m128i const lo = _mm_and_si128(b, m);
  __m128i const hi = _mm_and_si128(_mm_srli_epi16(b, 4), m);
  __m128i const c[2] = {_mm_unpacklo_epi8(lo, hi), _mm_unpackhi_epi8(lo, hi)};
  using lut = detail_avx2::half_lut<E>;
  for (std::size_t h = 0; h < U / 16; ++h) {
    __m256 o[2];
    if constexpr (lut::exact()) {
      detail_avx2::half_bytes_to_float(_mm_shuffle_epi8(lut::load(), c[h]), o);
    } else {
      static_assert(!E::spec::is_signed, "signed 4-bit formats take the table");
      o[0] = _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(c[h]));
      o[1] = _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_srli_si128(c[h], 8)));
    }
    out[2 * h] = o[0];
    out[2 * h + 1] = o[1];
  }
}

/// 6-bit minifloats: 16 codes per shuffle, then the float16 trick.
template <class A, class E, std::size_t U,
          std::enable_if_t<bits_of_v<E> == 6 && detail_avx2::via_half_format<E>, int> = 0>
SPARQ_INLINE void decode_chunk(std::uint8_t const* p, fbatch<A>* out, xsimd::avx2 const&) noexcept {
  for (std::size_t h = 0; h < U / 16; ++h) {
    __m128i const codes = detail_avx2::load6x16<U>(p, h);
    __m256 o[2];
    detail_avx2::minifloat16_to_float<typename E::spec>(_mm256_cvtepu8_epi16(codes), o);
    out[2 * h] = o[0];
    out[2 * h + 1] = o[1];
  }
}

/// Byte minifloats (FP8): 16 codes per pass of the float16 trick.
template <class A, class E, std::size_t U,
          std::enable_if_t<bits_of_v<E> == 8 && detail_avx2::via_half_format<E>, int> = 0>
SPARQ_INLINE void decode_chunk(std::uint8_t const* p, fbatch<A>* out, xsimd::avx2 const&) noexcept {
  for (std::size_t h = 0; h < U / 16; ++h) {
    __m256i const w = _mm256_cvtepu8_epi16(_mm_loadu_si128(reinterpret_cast<__m128i const*>(p + 16 * h)));
    __m256 o[2];
    detail_avx2::minifloat16_to_float<typename E::spec>(w, o);
    out[2 * h] = o[0];
    out[2 * h + 1] = o[1];
  }
}

}  // namespace simd
}  // namespace kernel
SPARQ_NAMESPACE_END
#endif  // __F16C__
