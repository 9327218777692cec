// SPDX-License-Identifier: Apache-2.0
// sparq::convert<To>(value, policies...): one value, any format, explicit rounding and overflow.
#pragma once

#include <cstdint>
#include <type_traits>

#include <sparq/core/config.hpp>
#include <sparq/format/codec.hpp>
#include <sparq/format/policy.hpp>
#include <sparq/format/traits.hpp>

SPARQ_NAMESPACE_BEGIN

namespace detail {
template <class T>
inline constexpr bool is_convertible_value_v = is_format_v<T> || std::is_arithmetic<T>::value;

/// The float a value converts through: formats decode exactly; arithmetic types are cast.
template <class From>
SPARQ_HOST_DEVICE SPARQ_BIT_CAST_CONSTEXPR float to_float(From v) noexcept {
  return static_cast<float>(v);
}

template <class To, class... Policies>
SPARQ_HOST_DEVICE SPARQ_BIT_CAST_CONSTEXPR To encode_with(float x, Policies... policies) noexcept {
  (void)policy_set<Policies...>{};
  using spec = typename To::spec;
  using overflow_t = typename pick_overflow<typename spec::default_overflow, Policies...>::type;
  auto const r = pick_rounding(policies...);
  using rounding_t = std::decay_t<decltype(r)>;
  static_assert(!std::is_same<rounding_t, rounding::stochastic_stream>::value,
                "sparq::convert: a single value takes sparq::rounding::stochastic{bits}; "
                "stochastic_stream is for bulk conversions (sparq::convert_n)");
  std::uint32_t rbits = 0;
  if constexpr (std::is_same<rounding_t, rounding::stochastic>::value) rbits = r.bits;
  return To::from_bits(encode<spec, round_mode_of<rounding_t>::value, overflow_t>(x, rbits));
}
}  // namespace detail

/// Converts one value to the format To (or to float) under the given policies; defaults are
/// rounding::nearest_even and To's default overflow policy (saturate; ieee for bfloat16/float16).
/// Conversions between formats go through float32, which holds every format value exactly.
///
///   sparq::convert<sparq::float8_e4m3fn>(500.f).bits()                          == 0x7E  // 448
///   sparq::convert<sparq::float8_e4m3fn>(500.f, sparq::overflow::ieee).bits()   == 0x7F  // NaN
///   sparq::convert<sparq::float4_e2m1fn>(2.6f, sparq::rounding::toward_zero)    -> 2.0
///   sparq::convert<sparq::int4>(0.5f, sparq::rounding::stochastic{0xFFFFFFFFu}) -> 0
///   sparq::convert<float>(sparq::float4_e2m1fn::from_bits(0xF))                 == -6.f
template <class To, class From, class... Policies,
          std::enable_if_t<(is_format_v<To> || std::is_same<To, float>::value) &&
                               detail::is_convertible_value_v<From>,
                           int> = 0>
SPARQ_HOST_DEVICE SPARQ_BIT_CAST_CONSTEXPR To convert(From value, Policies... policies) noexcept {
  if constexpr (std::is_same<To, float>::value) {
    static_assert(sizeof...(Policies) == 0,
                  "sparq::convert<float>: decoding is exact and takes no policy");
    return detail::to_float(value);
  } else {
    return detail::encode_with<To>(detail::to_float(value), policies...);
  }
}

SPARQ_NAMESPACE_END
