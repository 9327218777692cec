// SPDX-License-Identifier: Apache-2.0
// Bulk packing entry points: layout/packing.hpp's canonical layout, vectorized where an arch
// overload exists; dispatch once per call.
#pragma once

#include <cstddef>
#include <cstdint>

#include <sparq/core/config.hpp>
#include <sparq/layout/packing.hpp>

#include <sparq/simd/arch.hpp>
#if SPARQ_SIMD
#include <sparq/simd/pack.hpp>
#endif

SPARQ_ARCH_NAMESPACE_BEGIN

/// pack(), byte for byte, with the arch's fast path.
template <class F>
void pack_n(F const* codes, std::size_t n, std::uint8_t* out) {
  detail::check_pack_args<F>(codes == nullptr || out == nullptr, n, "sparq::pack_n");
  if constexpr (bits_of_v<F> < 8) {
#if !SPARQ_SIMD
    pack(codes, n, out);
#else
    kernel::simd::pack_n<xsimd::default_arch>(codes, n, out);
#endif
  } else {
    pack(codes, n, out);
  }
}

/// unpack(), code for code, with the arch's fast path.
template <class F>
void unpack_n(std::uint8_t const* in, std::size_t n, F* codes) {
  detail::check_pack_args<F>(in == nullptr || codes == nullptr, n, "sparq::unpack_n");
  if constexpr (bits_of_v<F> < 8) {
#if !SPARQ_SIMD
    unpack(in, n, codes);
#else
    kernel::simd::unpack_n<xsimd::default_arch>(in, n, codes);
#endif
  } else {
    unpack(in, n, codes);
  }
}

SPARQ_ARCH_NAMESPACE_END
