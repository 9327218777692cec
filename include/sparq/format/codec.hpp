// SPDX-License-Identifier: Apache-2.0
// Scalar float32 <-> code conversion for every fp_spec and int_spec: the semantics every bulk and
// SIMD path reproduces bit for bit. constexpr and SPARQ_HOST_DEVICE: also the GPU oracle.
#pragma once

#include <cstdint>

#include <sparq/core/bits.hpp>
#include <sparq/core/config.hpp>
#include <sparq/format/policy.hpp>
#include <sparq/format/spec.hpp>

SPARQ_NAMESPACE_BEGIN
namespace detail {

// The rounding core shared by every format. The exact value is sig * 2^-s (sig < 2^24, s >= 1):
// return its integer part rounded by Mode. Scalar and SIMD paths implement this same integer
// procedure, which is why they agree bit for bit.
//
//   nearest_even  up when the remainder is above half, or equal to half with an odd quotient
//   toward_zero   never up
//   stochastic    up when rbits < floor(F * 2^32), F = remainder / 2^s
template <round_mode Mode>
SPARQ_HOST_DEVICE constexpr std::uint32_t round_shift(std::uint32_t sig, int s,
                                                      [[maybe_unused]] std::uint32_t rbits) noexcept {
  std::uint32_t const n = s < 32 ? sig >> s : 0u;
  std::uint32_t const rem = s < 32 ? sig & low_mask(s) : sig;
  if constexpr (Mode == round_mode::nearest_even) {
    if (s > 32) return n;  // rem < 2^24 < half
    std::uint32_t const half = 1u << (s - 1);
    return n + ((rem > half || (rem == half && (n & 1u))) ? 1u : 0u);
  } else if constexpr (Mode == round_mode::toward_zero) {
    
    (void)rbits;
    return n;
  } else {
    std::uint32_t const frac32 =
        s <= 32 ? (s == 32 ? rem : rem << (32 - s)) : (s - 32 < 32 ? sig >> (s - 32) : 0u);
    return n + (rbits < frac32 ? 1u : 0u);
  }
}

/// Code of a NaN input: the format's NaN with the input's sign where NaNs are signed; +0 in a
/// format without NaN.
template <class Spec>
SPARQ_HOST_DEVICE constexpr std::uint32_t encode_nan(std::uint32_t sign) noexcept {
  if constexpr (Spec::is_integer) {
    (void)sign;
    return 0u;
  } else if constexpr (Spec::has_signed_nan) {
    return (sign ? Spec::sign_mask : 0u) | Spec::nan_code;
  } else {
    (void)sign;
    return Spec::nan_code;  // fnuz 0x80, e8m0 0xFF, or +0 where there is no NaN
  }
}

/// Code of a value beyond the largest finite one (sign given), or of +-Inf when is_inf.
template <class Spec, round_mode Mode, class Overflow>
SPARQ_HOST_DEVICE constexpr std::uint32_t encode_overflow(std::uint32_t sign, bool is_inf) noexcept {
  std::uint32_t const s = sign ? Spec::sign_mask : 0u;
  bool const keep_finite = !is_ieee_overflow_v<Overflow> || (!is_inf && Mode == round_mode::toward_zero);
  if (keep_finite || (!Spec::has_inf && !Spec::has_nan)) return s | Spec::max_magnitude;
  if constexpr (Spec::has_inf) {
    return s | Spec::inf_code;
  } else {
    return encode_nan<Spec>(sign);
  }
}

/// float32 -> code of an fp_spec. See format/policy.hpp for the policies.
template <class Spec, round_mode Mode, class Overflow>
SPARQ_HOST_DEVICE constexpr std::uint32_t encode_fp(float x, [[maybe_unused]] std::uint32_t rbits) noexcept {
  std::uint32_t const u = bit_cast<std::uint32_t>(x);
  std::uint32_t const sign = u >> 31;
  std::uint32_t const a = u & 0x7FFFFFFFu;
  if (a > 0x7F800000u) return encode_nan<Spec>(sign);

  if constexpr (Spec::special == specials::nan_only_no_zero) {
    // E8M0: 2^(code - 127); no sign, no zero. Zero and negative inputs are below every code.
    if (sign || a == 0) return is_ieee_overflow_v<Overflow> ? Spec::nan_code : 0u;
    if (a == 0x7F800000u) return is_ieee_overflow_v<Overflow> ? Spec::nan_code : Spec::max_magnitude;
    int const ea = static_cast<int>(a >> 23);
    if (ea == 0) {
      // Float32 subnormal, below 2^-126: between code 0x00 (2^-127) and 0x01 (2^-126).
      if (a < 0x00400000u) return 0u;  // at or below 2^-127: the smallest code
      return round_shift<Mode>(a, 22, rbits) - 1u;  // quotient 1 or 2 -> code 0 or 1
    }
    std::uint32_t const sig = (a & 0x7FFFFFu) | 0x800000u;
    std::uint32_t const code = static_cast<std::uint32_t>(ea) - 1u + round_shift<Mode>(sig, 23, rbits);
    if (code > Spec::max_magnitude) {
      bool const finite = Mode == round_mode::toward_zero || !is_ieee_overflow_v<Overflow>;
      return finite ? Spec::max_magnitude : Spec::nan_code;
    }
    return code;
  } else {
    if (sign && !Spec::is_signed && a != 0) {
      // Negative into an unsigned minifloat: below the range.
      return is_ieee_overflow_v<Overflow> && Spec::has_nan ? Spec::nan_code : 0u;
    }
    if (a == 0x7F800000u) return encode_overflow<Spec, Mode, Overflow>(sign, true);
    int const ea = static_cast<int>(a >> 23);
    std::uint32_t const sig = ea != 0 ? ((a & 0x7FFFFFu) | 0x800000u) : a;
    int const te = (ea != 0 ? ea : 1) - 127 + Spec::bias;  // target biased exponent
    int const s = (23 - Spec::man_bits) + (te < 1 ? 1 - te : 0);
    std::uint32_t const n = round_shift<Mode>(sig, s, rbits);
    // n holds the implicit bit, so a carry out of the mantissa moves to the next binade and a
    // subnormal that rounds up to 2^m becomes the smallest normal without special cases.
    std::uint32_t const mag =
        (static_cast<std::uint32_t>(te < 1 ? 0 : te - 1) << Spec::man_bits) + n;
    if (mag > Spec::max_magnitude) return encode_overflow<Spec, Mode, Overflow>(sign, false);
    if (mag == 0 && !Spec::has_negative_zero) return 0u;
    return (sign ? Spec::sign_mask : 0u) | mag;
  }
}

/// Code of an fp_spec -> float32 (exact). NaN codes give the canonical quiet NaN with the code's
/// sign (payloads are not carried).
template <class Spec>
SPARQ_HOST_DEVICE constexpr float decode_fp(std::uint32_t code) noexcept {
  constexpr int m = Spec::man_bits;
  std::uint32_t const sign = (code & Spec::sign_mask) ? 0x80000000u : 0u;
  std::uint32_t const mag = code & Spec::mag_mask;
  std::uint32_t const e = mag >> m;
  std::uint32_t const man = mag & Spec::man_mask;
  if constexpr (Spec::special == specials::nan_only_no_zero) {
    if (mag == Spec::nan_code) return bit_cast<float>(0x7FC00000u);
    return bit_cast<float>(e == 0 ? 0x00400000u : (e << 23));
  } else {
    bool is_nan = false;
    if constexpr (Spec::special == specials::ieee) {
      if (e == Spec::exp_all_ones) {
        if (man == 0) return bit_cast<float>(sign | 0x7F800000u);
        is_nan = true;
      }
    } else if constexpr (Spec::special == specials::nan_only) {
      is_nan = mag == Spec::mag_mask;
    } else if constexpr (Spec::special == specials::nan_only_no_negzero) {
      is_nan = (code & (Spec::sign_mask | Spec::mag_mask)) == Spec::sign_mask;
    }
    if (is_nan) return bit_cast<float>(sign | 0x7FC00000u);
    if (e == 0) {
      // Subnormal: man * 2^(1 - bias - m), exact in float32 for every supported spec.
      constexpr float quantum = exp2i(1 - Spec::bias - m);
      float const v = static_cast<float>(man) * quantum;
      return sign ? -v : v;
    }
    std::uint32_t const fe = e + static_cast<std::uint32_t>(127 - Spec::bias);
    return bit_cast<float>(sign | (fe << 23) | (man << (23 - m)));
  }
}

/// float32 -> integer code (two's complement in the low Bits bits): rounded by Mode, saturated to
/// [min, max]; NaN -> 0; +-Inf -> max / min. Both overflow policies saturate.
template <class Spec, round_mode Mode>
SPARQ_HOST_DEVICE constexpr std::uint32_t encode_int(float x, [[maybe_unused]] std::uint32_t rbits) noexcept {
  std::uint32_t const u = bit_cast<std::uint32_t>(x);
  std::uint32_t const sign = u >> 31;
  std::uint32_t const a = u & 0x7FFFFFFFu;
  if (a > 0x7F800000u) return 0u;
  int value = 0;
  int const ea = static_cast<int>(a >> 23);
  if (ea >= 150) {
    value = sign ? -(1 << 23) : (1 << 23);  // |x| >= 2^23 (and Inf): saturates below
  } else {
    std::uint32_t const sig = ea != 0 ? ((a & 0x7FFFFFu) | 0x800000u) : a;
    int const s = 150 - (ea != 0 ? ea : 1);  // quantum 1: 1 <= s <= 149 here
    std::uint32_t const n = round_shift<Mode>(sig, s, rbits);
    value = sign ? -static_cast<int>(n) : static_cast<int>(n);
  }
  if (value > Spec::max_value) value = Spec::max_value;
  if (value < Spec::min_value) value = Spec::min_value;
  return static_cast<std::uint32_t>(value) & Spec::mask;
}

/// Integer code -> float32 (exact).
template <class Spec>
SPARQ_HOST_DEVICE constexpr float decode_int(std::uint32_t code) noexcept {
  std::uint32_t const c = code & Spec::mask;
  if constexpr (Spec::is_signed) {
    int const v = (c & (1u << (Spec::bits - 1))) ? static_cast<int>(c) - (1 << Spec::bits)
                                                 : static_cast<int>(c);
    return static_cast<float>(v);
  } else {
    return static_cast<float>(c);
  }
}

/// One entry point over both families.
template <class Spec, round_mode Mode, class Overflow>
SPARQ_HOST_DEVICE constexpr std::uint32_t encode(float x, [[maybe_unused]] std::uint32_t rbits) noexcept {
  if constexpr (Spec::is_integer) {
    return encode_int<Spec, Mode>(x, rbits);
  } else {
    return encode_fp<Spec, Mode, Overflow>(x, rbits);
  }
}

template <class Spec>
SPARQ_HOST_DEVICE constexpr float decode(std::uint32_t code) noexcept {
  if constexpr (Spec::is_integer) {
    return decode_int<Spec>(code);
  } else {
    return decode_fp<Spec>(code);
  }
}

}  // namespace detail
SPARQ_NAMESPACE_END
