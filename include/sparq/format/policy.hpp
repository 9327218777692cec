// SPDX-License-Identifier: Apache-2.0
// Conversion policies: rounding mode and overflow behaviour, passed as tag values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <type_traits>

#include <sparq/core/config.hpp>

SPARQ_NAMESPACE_BEGIN

namespace detail {
enum class round_mode { nearest_even, toward_zero, stochastic };
/// Every policy tag names its category: overflow_policy or rounding_policy.
struct overflow_policy {};
struct rounding_policy {};
}  // namespace detail

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
  using category = detail::overflow_policy;
  explicit constexpr saturate_t() = default;
};
struct ieee_t {
  using category = detail::overflow_policy;
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
  using category = detail::rounding_policy;
  static constexpr detail::round_mode mode = detail::round_mode::nearest_even;
  explicit constexpr nearest_even_t() = default;
};
struct toward_zero_t {
  using category = detail::rounding_policy;
  static constexpr detail::round_mode mode = detail::round_mode::toward_zero;
  explicit constexpr toward_zero_t() = default;
};
inline constexpr nearest_even_t nearest_even{};
inline constexpr toward_zero_t toward_zero{};

/// One conversion's random word.
struct stochastic {
  using category = detail::rounding_policy;
  static constexpr detail::round_mode mode = detail::round_mode::stochastic;
  std::uint32_t bits;
};

/// Bulk conversions: bits[i] is the random word of element i; size must equal the element count.
struct stochastic_stream {
  using category = detail::rounding_policy;
  static constexpr detail::round_mode mode = detail::round_mode::stochastic;
  std::uint32_t const* bits;
  std::size_t size;
};
}  // namespace rounding

namespace detail {

template <class P, class = void>
struct policy_kind {
  static constexpr int overflow = 0, rounding = 0;
};
template <class P>
struct policy_kind<P, std::void_t<typename P::category>> {
  static constexpr int overflow = std::is_same<typename P::category, overflow_policy>::value ? 1 : 0;
  static constexpr int rounding = std::is_same<typename P::category, rounding_policy>::value ? 1 : 0;
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
SPARQ_HOST_DEVICE constexpr auto pick_rounding(P p, Ps... ps) noexcept {
  if constexpr (policy_kind<std::decay_t<P>>::rounding == 1) {
    return p;
  } else {
    return pick_rounding(ps...);
  }
}

template <class R>
struct round_mode_of {
  static constexpr round_mode value = R::mode;
};

template <class O>
inline constexpr bool is_ieee_overflow_v = std::is_same<O, overflow::ieee_t>::value;

}  // namespace detail
SPARQ_NAMESPACE_END
