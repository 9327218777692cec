// SPDX-License-Identifier: Apache-2.0
// intn<Spec>: two's-complement and unsigned integers of 2..8 bits as value types.
#pragma once

#include <cstdint>
#include <limits>
#include <type_traits>

#include <sparq/core/bits.hpp>
#include <sparq/core/config.hpp>
#include <sparq/format/codec.hpp>
#include <sparq/format/spec.hpp>

SPARQ_NAMESPACE_BEGIN

/// An integer of Spec::bits bits (an int_spec). The code is stored in the low bits of a byte, two's
/// complement for signed formats. From float: round to nearest even, saturate to [min, max],
/// NaN -> 0 (ml_dtypes truncates and wraps instead; sparq's rule is the quantizer's).
///
///   sparq::int4 q{2.5f};    // q.bits() == 0x2, float(q) == 2.f   (tie to even)
///   sparq::int4 r{-9.f};    // r.bits() == 0x8, float(r) == -8.f  (saturated)
template <class Spec>
class intn {
 public:
  using spec = Spec;
  using storage_type = std::uint8_t;

  constexpr intn() noexcept = default;

  SPARQ_HOST_DEVICE explicit SPARQ_BIT_CAST_CONSTEXPR intn(float v) noexcept
      : bits_(static_cast<storage_type>(
            detail::encode_int<Spec, detail::round_mode::nearest_even>(v, 0u))) {}

  /// Integers in range are stored exactly; others saturate. Floating types round as above.
  template <class T, std::enable_if_t<std::is_arithmetic<T>::value &&
                                          !std::is_same<T, float>::value, int> = 0>
  SPARQ_HOST_DEVICE explicit SPARQ_BIT_CAST_CONSTEXPR intn(T v) noexcept : bits_(0) {
    if constexpr (std::is_integral<T>::value) {
      long long w = static_cast<long long>(v);
      if (std::is_unsigned<T>::value && static_cast<unsigned long long>(v) > 255ull) w = 255;
      w = w > Spec::max_value ? Spec::max_value : (w < Spec::min_value ? Spec::min_value : w);
      bits_ = static_cast<storage_type>(static_cast<std::uint32_t>(w) & Spec::mask);
    } else {
      bits_ = intn(static_cast<float>(v)).bits_;
    }
  }

  SPARQ_HOST_DEVICE explicit constexpr operator float() const noexcept {
    return detail::decode_int<Spec>(bits_);
  }
  SPARQ_HOST_DEVICE explicit constexpr operator int() const noexcept {
    return static_cast<int>(detail::decode_int<Spec>(bits_));
  }

  SPARQ_HOST_DEVICE constexpr storage_type bits() const noexcept { return bits_; }

  SPARQ_HOST_DEVICE static constexpr intn from_bits(std::uint32_t code) noexcept {
    intn v;
    v.bits_ = static_cast<storage_type>(code & Spec::mask);
    return v;
  }

  /// Negation, saturated to the range (-(-8) is 7 for int4).
  SPARQ_HOST_DEVICE friend constexpr intn operator-(intn x) noexcept { return intn(-static_cast<int>(x)); }

  friend constexpr bool operator==(intn a, intn b) noexcept { return a.bits_ == b.bits_; }
  friend constexpr bool operator!=(intn a, intn b) noexcept { return a.bits_ != b.bits_; }

 private:
  storage_type bits_ = 0;
};

namespace detail {
template <class T>
struct is_intn : std::false_type {};
template <class Spec>
struct is_intn<intn<Spec>> : std::true_type {};
}  // namespace detail

template <class T>
inline constexpr bool is_intn_v = detail::is_intn<T>::value;

template <class Spec>
SPARQ_HOST_DEVICE constexpr bool isnan(intn<Spec>) noexcept {
  return false;
}

SPARQ_NAMESPACE_END

template <class Spec>
class std::numeric_limits<sparq::intn<Spec>> {
  using T = sparq::intn<Spec>;

 public:
  static constexpr bool is_specialized = true;
  static constexpr bool is_signed = Spec::is_signed;
  static constexpr bool is_integer = true;
  static constexpr bool is_exact = true;
  static constexpr bool has_infinity = false;
  static constexpr bool has_quiet_NaN = false;
  static constexpr bool has_signaling_NaN = false;
  static constexpr std::float_denorm_style has_denorm = std::denorm_absent;
  static constexpr bool has_denorm_loss = false;
  static constexpr std::float_round_style round_style = std::round_to_nearest;
  static constexpr bool is_iec559 = false;
  static constexpr bool is_bounded = true;
  static constexpr bool is_modulo = false;
  static constexpr int digits = Spec::is_signed ? Spec::bits - 1 : Spec::bits;
  static constexpr int digits10 = digits * 301 / 1000;
  static constexpr int max_digits10 = 0;
  static constexpr int radix = 2;
  static constexpr int min_exponent = 0;
  static constexpr int min_exponent10 = 0;
  static constexpr int max_exponent = 0;
  static constexpr int max_exponent10 = 0;
  static constexpr bool traps = false;
  static constexpr bool tinyness_before = false;

  static constexpr T min() noexcept { return T::from_bits(static_cast<std::uint32_t>(Spec::min_value)); }
  static constexpr T lowest() noexcept { return min(); }
  static constexpr T max() noexcept { return T::from_bits(static_cast<std::uint32_t>(Spec::max_value)); }
  static constexpr T epsilon() noexcept { return T::from_bits(0u); }
  static constexpr T round_error() noexcept { return T::from_bits(0u); }
  static constexpr T infinity() noexcept { return T::from_bits(0u); }
  static constexpr T quiet_NaN() noexcept { return T::from_bits(0u); }
  static constexpr T signaling_NaN() noexcept { return T::from_bits(0u); }
  static constexpr T denorm_min() noexcept { return T::from_bits(0u); }
};
