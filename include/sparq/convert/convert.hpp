// SPDX-License-Identifier: Apache-2.0
// Bulk conversion between float and element formats: the public entry, which validates and
// dispatches once per call (docs/design.md section 5).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>

#include <sparq/core/config.hpp>
#include <sparq/core/error.hpp>
#include <sparq/core/span.hpp>
#include <sparq/format/policy.hpp>
#include <sparq/format/traits.hpp>
#include <sparq/kernel/reference/convert.hpp>

#include <sparq/simd/arch.hpp>
#if SPARQ_SIMD
#include <sparq/simd/convert.hpp>
#endif

SPARQ_ARCH_NAMESPACE_BEGIN

namespace arch_detail {
template <class T>
inline constexpr bool is_bulk_value_v = is_format_v<T> || std::is_same<T, float>::value;

template <class T>
struct default_overflow_of {
  using type = typename T::spec::default_overflow;
};
template <>
struct default_overflow_of<float> {
  using type = overflow::saturate_t;  // unused: decoding never overflows
};

template <class Rounding>
std::uint32_t const* stream_bits(Rounding const&, std::size_t, char const*) {
  return nullptr;
}
inline std::uint32_t const* stream_bits(rounding::stochastic_stream const& r, std::size_t n,
                                        char const* fn) {
  if (r.size != n) {
    SPARQ_THROW(invalid_argument, std::string(fn) + ": rounding::stochastic_stream has " +
                                      std::to_string(r.size) + " random words, expected one per element (" +
                                      std::to_string(n) + ")");
  }
  if (n != 0 && r.bits == nullptr) {
    SPARQ_THROW(invalid_argument, std::string(fn) + ": rounding::stochastic_stream.bits is null, expected " +
                                      std::to_string(n) + " random words");
  }
  return r.bits;
}
}  // namespace arch_detail

/// Converts n values: out[i] = convert<To>(in[i], policies...) for every i, bit for bit the same as
/// the scalar conversion. In and To are float or element formats (bfloat16 and float16 included);
/// sub-byte formats hold one code per storage unit here (pack them with layout/packing.hpp).
/// Stochastic rounding takes rounding::stochastic_stream{bits, n}: one random word per element.
///
/// @pre  in and out hold n elements each and do not overlap (unless in == out with equal types).
/// @post out is fully written, or untouched when an argument is rejected (sparq::invalid_argument).
///
///   float x[5] = {0.3f, 1.7f, -2.6f, 7.f, 100.f};
///   sparq::float4_e2m1fn q[5];
///   sparq::convert_n(x, 5, q);   // codes 0x1 0x4 0xD 0x7 0x7: 0.5, 2, -3, 6, 6 (saturated)
template <class From, class To, class... Policies,
          std::enable_if_t<arch_detail::is_bulk_value_v<From> && arch_detail::is_bulk_value_v<To>, int> = 0>
void convert_n(From const* in, std::size_t n, To* out, Policies... policies) {
  static_assert(!std::is_same<To, float>::value || sizeof...(Policies) == 0,
                "sparq::convert_n: decoding to float is exact and takes no policy");
  (void)detail::policy_set<Policies...>{};
  if (n == 0) return;
  if (in == nullptr) {
    SPARQ_THROW(invalid_argument, "sparq::convert_n: argument 'in' is null, expected " +
                                      std::to_string(n) + " elements");
  }
  if (out == nullptr) {
    SPARQ_THROW(invalid_argument, "sparq::convert_n: argument 'out' is null, expected room for " +
                                      std::to_string(n) + " elements");
  }
  auto const r = detail::pick_rounding(policies...);
  using rounding_t = std::decay_t<decltype(r)>;
  static_assert(!std::is_same<rounding_t, rounding::stochastic>::value,
                "sparq::convert_n: bulk stochastic rounding takes "
                "sparq::rounding::stochastic_stream{bits, n}, one random word per element");
  std::uint32_t const* rbits = arch_detail::stream_bits(r, n, "sparq::convert_n");
  constexpr detail::round_mode mode = detail::round_mode_of<rounding_t>::value;
  using overflow_t =
      typename detail::pick_overflow<typename arch_detail::default_overflow_of<To>::type, Policies...>::type;
#if !SPARQ_SIMD
  kernel::reference::convert_n<To, mode, overflow_t>(in, n, out, rbits);
#else
  kernel::simd::convert_n<To, mode, overflow_t, xsimd::default_arch>(in, n, out, rbits);
#endif
}

/// The span form of convert_n. @pre out.size() == in.size().
template <class From, class To, class... Policies,
          std::enable_if_t<arch_detail::is_bulk_value_v<std::remove_const_t<From>> && arch_detail::is_bulk_value_v<To>, int> = 0>
void convert(span<From> in, span<To> out, Policies... policies) {
  if (out.size() != in.size()) {
    SPARQ_THROW(invalid_argument, "sparq::convert: argument 'out' has " + std::to_string(out.size()) +
                                      " elements, expected in.size() = " + std::to_string(in.size()));
  }
  convert_n(static_cast<std::remove_const_t<From> const*>(in.data()), in.size(), out.data(), policies...);
}

SPARQ_ARCH_NAMESPACE_END
