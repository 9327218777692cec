// SPDX-License-Identifier: Apache-2.0
// Generic xsimd bulk conversion: memory movers and the loop. Per-arch files overload the movers;
// they are included first so the generic code below sees them (cpu/arch.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <type_traits>

#include <xsimd/xsimd.hpp>

#include <sparq/core/config.hpp>
#include <sparq/format/traits.hpp>
#include <sparq/kernel/cpu/arch.hpp>
#include <sparq/kernel/cpu/convert_lanes.hpp>
#include <sparq/kernel/reference/convert.hpp>

SPARQ_NAMESPACE_BEGIN
namespace kernel {
namespace simd {

// ---------------------------------------------------------------------------------------------
// Memory movers. Generic versions go through a lane buffer; per-arch files overload them with
// widening / narrowing instructions (x86_avx2/convert.hpp).

template <class A, class Storage>
SPARQ_INLINE ubatch<A> load_codes(Storage const* p, xsimd::generic const&) noexcept {
  alignas(64) std::uint32_t lanes[ubatch<A>::size];
  for (std::size_t i = 0; i < ubatch<A>::size; ++i) lanes[i] = p[i];
  return ubatch<A>::load_aligned(lanes);
}

template <class A, class Storage>
SPARQ_INLINE void store_codes(ubatch<A> const& codes, Storage* p, xsimd::generic const&) noexcept {
  alignas(64) std::uint32_t lanes[ubatch<A>::size];
  codes.store_aligned(lanes);
  for (std::size_t i = 0; i < ubatch<A>::size; ++i) p[i] = static_cast<Storage>(lanes[i]);
}

/// Four batches of codes to 4 * W consecutive storage units.
template <class A, class Storage>
SPARQ_INLINE void store_codes4(ubatch<A> const& c0, ubatch<A> const& c1, ubatch<A> const& c2, ubatch<A> const& c3,
                               Storage* p, xsimd::generic const&) noexcept {
  constexpr std::size_t w = ubatch<A>::size;
  store_codes<A>(c0, p, A{});
  store_codes<A>(c1, p + w, A{});
  store_codes<A>(c2, p + 2 * w, A{});
  store_codes<A>(c3, p + 3 * w, A{});
}

/// W floats from a float or format array.
template <class A, class From>
SPARQ_INLINE fbatch<A> load_float(From const* p, xsimd::generic const&) noexcept {
  if constexpr (std::is_same<From, float>::value) {
    return fbatch<A>::load_unaligned(p);
  } else {
    using storage = typename From::storage_type;
    return decode<typename From::spec, A>(load_codes<A>(reinterpret_cast<storage const*>(p), A{}));
  }
}

/// W values of To (float or a format) from float lanes.
template <class To, detail::round_mode Mode, class Overflow, class A>
SPARQ_INLINE void store_float(fbatch<A> const& x, ubatch<A> const& rbits, To* p,
                              xsimd::generic const&) noexcept {
  if constexpr (std::is_same<To, float>::value) {
    (void)rbits;
    x.store_unaligned(p);
  } else {
    using storage = typename To::storage_type;
    store_codes<A>(encode<typename To::spec, Mode, Overflow, A>(x, rbits), reinterpret_cast<storage*>(p), A{});
  }
}

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
SPARQ_NAMESPACE_END
