// SPDX-License-Identifier: Apache-2.0
// Conversion policies: rounding mode and overflow behaviour, passed as tag values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <type_traits>

#include <sparq/core/config.hpp>

SPARQ_NAMESPACE_BEGIN

/// What a conversion does with a finite value beyond the largest finite value of the target, and
/// with +-Inf.
///
///   saturate   +-largest finite. The default for quantized formats.
///   ieee       Inf where the format has it, else its NaN, else +-largest finite (FP6, FP4,
///              integers). Bit-identical to ml_dtypes' casts (NumPy astype) on non-NaN input.
///
/// Under rounding::toward_zero a finite overflow gives +-largest finite under both policies
/// (IEEE 754 section 7.4); +-Inf inputs still follow the policy.
namespace overflow {
struct saturate_t {
  explicit constexpr saturate_t() = default;
};
struct ieee_t {
  explicit constexpr ieee_t() = default;
};
inline constexpr saturate_t saturate{};
inline constexpr ieee_t ieee{};
}  // namespace overflow

/// How a value between two representable neighbours is resolved.
///
///   nearest_even   nearest, ties to the even code (the default everywhere).
///   toward_zero    the neighbour of smaller magnitude.
///   stochastic     up with probability floor(F * 2^32) / 2^32, where F in [0, 1) is the exact
///                  fractional position between the neighbours: the result is up when
///                  bits < floor(F * 2^32). Deterministic for the same bits. The magnitude is
///                  rounded, so the rule is symmetric under negation.
///   stochastic_stream   the bulk form: one 32-bit random word per element.
namespace rounding {
struct nearest_even_t {
  explicit constexpr nearest_even_t() = default;
};
struct toward_zero_t {
  explicit constexpr toward_zero_t() = default;
};
inline constexpr nearest_even_t nearest_even{};
inline constexpr toward_zero_t toward_zero{};

/// One conversion's random word.
struct stochastic {
  std::uint32_t bits;
};

/// Bulk conversions: bits[i] is the random word of element i; size must equal the element count.
struct stochastic_stream {
  std::uint32_t const* bits;
  std::size_t size;
};
}  // namespace rounding

namespace detail {

enum class round_mode { nearest_even, toward_zero, stochastic };

template <class P>
struct policy_kind {
  static constexpr int overflow = 0;  // 1 for overflow tags
  static constexpr int rounding = 0;  // 1 for rounding tags
};
template <>
struct policy_kind<overflow::saturate_t> {
  static constexpr int overflow = 1, rounding = 0;
};
template <>
struct policy_kind<overflow::ieee_t> {
  static constexpr int overflow = 1, rounding = 0;
};
template <>
struct policy_kind<rounding::nearest_even_t> {
  static constexpr int overflow = 0, rounding = 1;
};
template <>
struct policy_kind<rounding::toward_zero_t> {
  static constexpr int overflow = 0, rounding = 1;
};
template <>
struct policy_kind<rounding::stochastic> {
  static constexpr int overflow = 0, rounding = 1;
};
template <>
struct policy_kind<rounding::stochastic_stream> {
  static constexpr int overflow = 0, rounding = 1;
};

template <class... Ps>
struct policy_set {
  static constexpr int overflow_count = (0 + ... + policy_kind<std::decay_t<Ps>>::overflow);
  static constexpr int rounding_count = (0 + ... + policy_kind<std::decay_t<Ps>>::rounding);
  static constexpr bool all_known =
      ((policy_kind<std::decay_t<Ps>>::overflow + policy_kind<std::decay_t<Ps>>::rounding == 1) &&
       ...);
  static_assert(all_known,
                "sparq: a conversion policy must be one of sparq::overflow::{saturate, ieee} or "
                "sparq::rounding::{nearest_even, toward_zero, stochastic{bits}}");
  static_assert(overflow_count <= 1, "sparq: at most one sparq::overflow:: policy may be given");
  static_assert(rounding_count <= 1, "sparq: at most one sparq::rounding:: policy may be given");
};

/// The overflow tag among Ps, or Default when none is given.
template <class Default, class... Ps>
struct pick_overflow {
  using type = Default;
};
template <class Default, class P, class... Ps>
struct pick_overflow<Default, P, Ps...> {
  using type = std::conditional_t<policy_kind<std::decay_t<P>>::overflow == 1, std::decay_t<P>,
                                  typename pick_overflow<Default, Ps...>::type>;
};

/// The rounding policy value among ps, or nearest_even.
SPARQ_HOST_DEVICE constexpr rounding::nearest_even_t pick_rounding() noexcept {
  return rounding::nearest_even_t{};
}
template <class P, class... Ps>
SPARQ_HOST_DEVICE constexpr auto pick_rounding(P const& p, Ps const&... ps) noexcept {
  if constexpr (policy_kind<std::decay_t<P>>::rounding == 1) {
    return p;
  } else {
    return pick_rounding(ps...);
  }
}

template <class R>
struct round_mode_of;
template <>
struct round_mode_of<rounding::nearest_even_t> {
  static constexpr round_mode value = round_mode::nearest_even;
};
template <>
struct round_mode_of<rounding::toward_zero_t> {
  static constexpr round_mode value = round_mode::toward_zero;
};
template <>
struct round_mode_of<rounding::stochastic> {
  static constexpr round_mode value = round_mode::stochastic;
};
template <>
struct round_mode_of<rounding::stochastic_stream> {
  static constexpr round_mode value = round_mode::stochastic;
};

template <class O>
inline constexpr bool is_ieee_overflow_v = std::is_same<O, overflow::ieee_t>::value;

}  // namespace detail
SPARQ_NAMESPACE_END
