// SPDX-License-Identifier: Apache-2.0
// Generic memory movers of bulk conversion: through a lane buffer. Per-arch files overload them
// with widening / narrowing instructions (x86_avx2/convert.hpp); simd/registry.hpp orders them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <type_traits>

#include <xsimd/xsimd.hpp>

#include <sparq/core/config.hpp>
#include <sparq/format/traits.hpp>
#include <sparq/simd/lanes.hpp>

SPARQ_ARCH_NAMESPACE_BEGIN
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

}  // namespace simd
}  // namespace kernel
SPARQ_ARCH_NAMESPACE_END
