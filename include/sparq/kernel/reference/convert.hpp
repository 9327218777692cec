// SPDX-License-Identifier: Apache-2.0
// Reference bulk conversion: the scalar codec applied element by element. Defines the semantics
// every vectorized path must reproduce bit for bit.
#pragma once

#include <cstddef>
#include <cstdint>

#include <sparq/core/config.hpp>
#include <sparq/format/codec.hpp>
#include <sparq/format/traits.hpp>

SPARQ_ARCH_NAMESPACE_BEGIN
namespace kernel {
namespace reference {

/// out[i] = To(float(in[i])) under (Mode, Overflow); rbits[i] is element i's random word when
/// Mode is stochastic (rbits may be null otherwise). To and From are float or element formats.
template <class To, detail::round_mode Mode, class Overflow, class From>
SPARQ_HOST_DEVICE void convert_n(From const* in, std::size_t n, To* out,
                                 std::uint32_t const* rbits) noexcept {
  for (std::size_t i = 0; i < n; ++i) {
    float const x = static_cast<float>(in[i]);
    if constexpr (std::is_same<To, float>::value) {
      out[i] = x;
    } else {
      std::uint32_t const r = Mode == detail::round_mode::stochastic ? rbits[i] : 0u;
      out[i] = To::from_bits(detail::encode<typename To::spec, Mode, Overflow>(x, r));
    }
  }
}

}  // namespace reference
}  // namespace kernel
SPARQ_ARCH_NAMESPACE_END
