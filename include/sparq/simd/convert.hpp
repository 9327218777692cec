// SPDX-License-Identifier: Apache-2.0
// The xsimd bulk conversion loop, written once over the registry's memory movers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <type_traits>

#include <xsimd/xsimd.hpp>

#include <sparq/core/config.hpp>
#include <sparq/format/traits.hpp>
#include <sparq/simd/registry.hpp>
#include <sparq/kernel/reference/convert.hpp>

SPARQ_ARCH_NAMESPACE_BEGIN
namespace kernel {
namespace simd {

/// The bulk loop on arch A: whole batches on the vector path, the tail on the reference path
/// (the two agree bit for bit; tests/kernel/convert.cpp checks it).
template <class To, detail::round_mode Mode, class Overflow, class A, class From>
void convert_n(From const* in, std::size_t n, To* out, std::uint32_t const* rbits) noexcept {
  constexpr std::size_t w = fbatch<A>::size;
  std::size_t i = 0;
  if constexpr (!std::is_same<To, float>::value) {
    // Four batches per step so the narrowing store packs 4 x 8 lanes at once (x86_avx2: 4 ops
    // per 32 codes against 12 for four single stores).
    using storage = typename To::storage_type;
    auto const code_batch = [&](std::size_t at) {
      ubatch<A> r(0u);
      if constexpr (Mode == detail::round_mode::stochastic) r = ubatch<A>::load_unaligned(rbits + at);
      return encode<typename To::spec, Mode, Overflow, A>(load_float<A>(in + at, A{}), r);
    };
    for (; i + 4 * w <= n; i += 4 * w) {
      store_codes4<A>(code_batch(i), code_batch(i + w), code_batch(i + 2 * w), code_batch(i + 3 * w),
                      reinterpret_cast<storage*>(out + i), A{});
    }
  }
  if constexpr (std::is_same<To, float>::value) {
    // Four independent batches per step keep the decode's loads, converts and stores in flight.
    for (; i + 4 * w <= n; i += 4 * w) {
      fbatch<A> const x0 = load_float<A>(in + i, A{}), x1 = load_float<A>(in + i + w, A{});
      fbatch<A> const x2 = load_float<A>(in + i + 2 * w, A{}), x3 = load_float<A>(in + i + 3 * w, A{});
      x0.store_unaligned(out + i);
      x1.store_unaligned(out + i + w);
      x2.store_unaligned(out + i + 2 * w);
      x3.store_unaligned(out + i + 3 * w);
    }
  }
  for (; i + w <= n; i += w) {
    fbatch<A> const x = load_float<A>(in + i, A{});
    ubatch<A> r(0u);
    if constexpr (Mode == detail::round_mode::stochastic) r = ubatch<A>::load_unaligned(rbits + i);
    store_float<To, Mode, Overflow, A>(x, r, out + i, A{});
  }
  reference::convert_n<To, Mode, Overflow>(in + i, n - i, out + i,
                                           Mode == detail::round_mode::stochastic ? rbits + i : nullptr);
}

}  // namespace simd
}  // namespace kernel
SPARQ_ARCH_NAMESPACE_END
