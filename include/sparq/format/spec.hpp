// SPDX-License-Identifier: Apache-2.0
// Format descriptors: the facts a format states (fp_spec, int_spec); everything else is computed.
#pragma once

#include <cstdint>

#include <sparq/core/bits.hpp>
#include <sparq/core/config.hpp>
#include <sparq/format/policy.hpp>

SPARQ_NAMESPACE_BEGIN

/// Special-value policy of a minifloat (CUTLASS NanInfEncoding, ml_dtypes suffixes).
///
///   ieee                 all-ones exponent: mantissa 0 is +-Inf, otherwise NaN (e5m2, fp16, bf16)
///   nan_only             no Inf; only the all-ones magnitude is NaN ("fn": e4m3fn)
///   nan_only_no_negzero  no Inf; the -0 pattern is the only NaN, no -0 ("fnuz")
///   none                 every code is finite (FP6, FP4)
///   nan_only_no_zero     unsigned, exponent only: no zero, no subnormals, all-ones is NaN (e8m0fnu)
enum class specials { ieee, nan_only, nan_only_no_negzero, none, nan_only_no_zero };

/// A binary floating-point format: (1 + M/2^m) * 2^(E - bias) for normal codes,
/// (M/2^m) * 2^(1 - bias) for E = 0 when the format has subnormals.
///
/// @pre 1 <= ExpBits <= 8, 0 <= ManBits <= 10 or the bfloat16/float16 cases, bias >= 1.
template <int ExpBits, int ManBits, int Bias, specials Specials, bool Signed = true,
          class DefaultOverflow = overflow::saturate_t>
struct fp_spec {
  static_assert(ExpBits >= 1 && ExpBits <= 8, "fp_spec: 1..8 exponent bits");
  static_assert(ManBits >= 0 && ManBits <= 22, "fp_spec: at most 22 mantissa bits");
  static_assert(Bias >= 1 && Bias <= 127, "fp_spec: bias in 1..127");
  static_assert(Specials != specials::nan_only_no_zero || (!Signed && ManBits == 0),
                "fp_spec: nan_only_no_zero describes unsigned exponent-only formats (E8M0)");

  static constexpr bool is_integer = false;
  static constexpr int exp_bits = ExpBits;
  static constexpr int man_bits = ManBits;
  static constexpr int bias = Bias;
  static constexpr specials special = Specials;
  static constexpr bool is_signed = Signed;
  static constexpr int bits = (Signed ? 1 : 0) + ExpBits + ManBits;
  using default_overflow = DefaultOverflow;

  static constexpr std::uint32_t man_mask = detail::low_mask(ManBits);
  static constexpr std::uint32_t exp_all_ones = detail::low_mask(ExpBits);
  static constexpr std::uint32_t mag_mask = detail::low_mask(ExpBits + ManBits);
  static constexpr std::uint32_t sign_mask = Signed ? (1u << (ExpBits + ManBits)) : 0u;

  static constexpr bool has_inf = Specials == specials::ieee;
  static constexpr bool has_nan = Specials != specials::none;
  static constexpr bool has_zero = Specials != specials::nan_only_no_zero;
  static constexpr bool has_subnormals = has_zero;
  static constexpr bool has_negative_zero = Signed && Specials != specials::nan_only_no_negzero &&
                                            Specials != specials::nan_only_no_zero;
  /// NaN codes carry a sign (ieee, nan_only); fnuz and e8m0 have exactly one NaN code.
  static constexpr bool has_signed_nan =
      Signed && (Specials == specials::ieee || Specials == specials::nan_only);

  /// Magnitude bits of the largest finite value.
  static constexpr std::uint32_t max_magnitude =
      Specials == specials::ieee ? (((exp_all_ones - 1u) << ManBits) | man_mask)
      : (Specials == specials::nan_only || Specials == specials::nan_only_no_zero)
          ? mag_mask - 1u
          : mag_mask;
  /// The positive (canonical, quiet) NaN code, or 0 when the format has no NaN.
  static constexpr std::uint32_t nan_code =
      Specials == specials::ieee ? ((exp_all_ones << ManBits) | (ManBits > 0 ? 1u << (ManBits - 1) : 0u))
      : Specials == specials::nan_only            ? mag_mask
      : Specials == specials::nan_only_no_negzero ? sign_mask
      : Specials == specials::nan_only_no_zero    ? mag_mask
                                                  : 0u;
  /// The +Inf code, or 0 when the format has no Inf.
  static constexpr std::uint32_t inf_code = has_inf ? (exp_all_ones << ManBits) : 0u;

  /// Unbiased exponent of the largest power of two (the MX scale rule's emax).
  static constexpr int emax = static_cast<int>(max_magnitude >> ManBits) - Bias;
  /// Unbiased exponent of the smallest normal value.
  static constexpr int emin = has_subnormals ? 1 - Bias : -Bias;
};

/// A two's-complement (Signed) or unsigned integer format of Bits bits, 2 <= Bits <= 8.
template <int Bits, bool Signed>
struct int_spec {
  static_assert(Bits >= 2 && Bits <= 8, "int_spec: 2..8 bits");
  static constexpr bool is_integer = true;
  static constexpr int bits = Bits;
  static constexpr bool is_signed = Signed;
  static constexpr int max_value = Signed ? (1 << (Bits - 1)) - 1 : (1 << Bits) - 1;
  static constexpr int min_value = Signed ? -(1 << (Bits - 1)) : 0;
  static constexpr std::uint32_t mask = detail::low_mask(Bits);
  static constexpr bool has_inf = false;
  static constexpr bool has_nan = false;
  using default_overflow = overflow::saturate_t;
};

SPARQ_NAMESPACE_END
