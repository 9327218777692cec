// SPDX-License-Identifier: Apache-2.0
// minifloat<Spec>: one value type for the whole binary floating-point family, driven by fp_spec.
#pragma once

#include <cstdint>
#include <limits>
#include <type_traits>

#include <sparq/core/bits.hpp>
#include <sparq/core/config.hpp>
#include <sparq/format/codec.hpp>
#include <sparq/format/spec.hpp>

SPARQ_NAMESPACE_BEGIN

/// A value of the floating-point format Spec (an fp_spec, usually through a named format such as
/// float8_e4m3fn). Storage is the smallest unsigned integer that holds Spec::bits bits; the code
/// sits in the low bits and the unused high bits are zero.
///
/// Construction from float uses the format's default policy: nearest-even, and overflow
/// Spec::default_overflow (saturate for quantized formats, ieee for bfloat16/float16). Use
/// sparq::convert<F>(x, policies...) for the others.
///
///   sparq::float8_e4m3fn x{1.5f};   // x.bits() == 0x3C, float(x) == 1.5f
///   sparq::float8_e4m3fn y{500.f};  // saturates: y.bits() == 0x7E, float(y) == 448.f
template <class Spec>
class minifloat {
 public:
  using spec = Spec;
  using storage_type = detail::storage_for<Spec::bits>;

  constexpr minifloat() noexcept = default;

  SPARQ_HOST_DEVICE explicit SPARQ_BIT_CAST_CONSTEXPR minifloat(float v) noexcept
      : bits_(static_cast<storage_type>(
            detail::encode<Spec, detail::round_mode::nearest_even,
                           typename Spec::default_overflow>(v, 0u))) {}

  /// Other arithmetic types go through float (double is rounded to float first, as NumPy casts do).
  template <class T, std::enable_if_t<std::is_arithmetic<T>::value &&
                                          !std::is_same<T, float>::value, int> = 0>
  SPARQ_HOST_DEVICE explicit SPARQ_BIT_CAST_CONSTEXPR minifloat(T v) noexcept
      : minifloat(static_cast<float>(v)) {}

  SPARQ_HOST_DEVICE explicit SPARQ_BIT_CAST_CONSTEXPR operator float() const noexcept {
    return detail::decode<Spec>(bits_);
  }

  /// The code in the low Spec::bits bits.
  SPARQ_HOST_DEVICE constexpr storage_type bits() const noexcept { return bits_; }

  /// The value whose code is code's low Spec::bits bits (higher bits are ignored).
  SPARQ_HOST_DEVICE static constexpr minifloat from_bits(std::uint32_t code) noexcept {
    minifloat m;
    m.bits_ = static_cast<storage_type>(code & detail::low_mask(Spec::bits));
    return m;
  }

  /// Negation. Exact for signed formats (the sign bit flips; fnuz zero stays +0, NaN stays NaN);
  /// unsigned formats convert -x with the default policy.
  SPARQ_HOST_DEVICE friend SPARQ_BIT_CAST_CONSTEXPR minifloat operator-(minifloat x) noexcept {
    if constexpr (Spec::is_signed) {
      if (!Spec::has_negative_zero && (x.bits_ & Spec::mag_mask) == 0) return x;
      return from_bits(x.bits_ ^ Spec::sign_mask);
    } else {
      return minifloat(-static_cast<float>(x));
    }
  }

  /// Value comparison as IEEE floats compare (NaN unequal to itself, -0 == +0).
  friend SPARQ_BIT_CAST_CONSTEXPR bool operator==(minifloat a, minifloat b) noexcept {
    return static_cast<float>(a) == static_cast<float>(b);
  }
  friend SPARQ_BIT_CAST_CONSTEXPR bool operator!=(minifloat a, minifloat b) noexcept { return !(a == b); }

 private:
  storage_type bits_ = 0;
};

namespace detail {
template <class T>
struct is_minifloat : std::false_type {};
template <class Spec>
struct is_minifloat<minifloat<Spec>> : std::true_type {};
}  // namespace detail

template <class T>
inline constexpr bool is_minifloat_v = detail::is_minifloat<T>::value;

/// True for NaN values (false for every code of a format without NaN).
template <class Spec>
SPARQ_HOST_DEVICE SPARQ_BIT_CAST_CONSTEXPR bool isnan(minifloat<Spec> x) noexcept {
  float const f = static_cast<float>(x);
  return f != f;
}

SPARQ_NAMESPACE_END

/// numeric_limits for every minifloat, computed once from its spec (so Eigen's NumTraits and
/// generic code work). Values are pinned to literal decimals in tests/format/spec_cards.cpp.
template <class Spec>
class std::numeric_limits<sparq::minifloat<Spec>> {
  using T = sparq::minifloat<Spec>;
  static constexpr std::uint32_t smallest_normal_code =
      Spec::has_subnormals ? (1u << Spec::man_bits) : 0u;

 public:
  static constexpr bool is_specialized = true;
  static constexpr bool is_signed = Spec::is_signed;
  static constexpr bool is_integer = false;
  static constexpr bool is_exact = false;
  static constexpr bool has_infinity = Spec::has_inf;
  static constexpr bool has_quiet_NaN = Spec::has_nan;
  static constexpr bool has_signaling_NaN = false;
  static constexpr std::float_denorm_style has_denorm =
      Spec::has_subnormals && Spec::man_bits > 0 ? std::denorm_present : std::denorm_absent;
  static constexpr bool has_denorm_loss = false;
  static constexpr std::float_round_style round_style = std::round_to_nearest;
  static constexpr bool is_iec559 = false;
  static constexpr bool is_bounded = true;
  static constexpr bool is_modulo = false;
  static constexpr int digits = Spec::man_bits + 1;
  static constexpr int digits10 = (digits - 1) * 301 / 1000;
  static constexpr int max_digits10 = 2 + digits * 301 / 1000;
  static constexpr int radix = 2;
  static constexpr int min_exponent = Spec::emin + 1;
  static constexpr int min_exponent10 = (Spec::emin * 301 - 999) / 1000;
  static constexpr int max_exponent = Spec::emax + 1;
  static constexpr int max_exponent10 = Spec::emax * 301 / 1000;
  static constexpr bool traps = false;
  static constexpr bool tinyness_before = false;

  static constexpr T min() noexcept { return T::from_bits(smallest_normal_code); }
  static constexpr T lowest() noexcept {
    return Spec::is_signed ? T::from_bits(Spec::sign_mask | Spec::max_magnitude) : T::from_bits(0u);
  }
  static constexpr T max() noexcept { return T::from_bits(Spec::max_magnitude); }
  static constexpr T epsilon() noexcept {
    // 2^-m: the gap above 1.0; its code is the biased exponent of 1 - m shifted in (or a
    // subnormal pattern when that exponent is below the normal range).
    constexpr int e = Spec::bias - Spec::man_bits;
    constexpr std::uint32_t code = e >= 1 ? (static_cast<std::uint32_t>(e) << Spec::man_bits)
                                          : (1u << (Spec::man_bits - 1 + e));
    return T::from_bits(code);
  }
  static constexpr T round_error() noexcept {
    // 0.5: biased exponent bias - 1, or the subnormal 2^(bias + m - 2) * 2^(1 - bias - m).
    constexpr std::uint32_t code = Spec::bias >= 2 || !Spec::has_subnormals
                                       ? (static_cast<std::uint32_t>(Spec::bias - 1) << Spec::man_bits)
                                       : (1u << (Spec::bias + Spec::man_bits - 2));
    return T::from_bits(code);
  }
  static constexpr T infinity() noexcept {
    return T::from_bits(Spec::has_inf ? Spec::inf_code : Spec::max_magnitude);
  }
  static constexpr T quiet_NaN() noexcept { return T::from_bits(Spec::nan_code); }
  static constexpr T signaling_NaN() noexcept { return T::from_bits(Spec::nan_code); }
  static constexpr T denorm_min() noexcept {
    return T::from_bits(Spec::has_subnormals && Spec::man_bits > 0 ? 1u : smallest_normal_code);
  }
};
