// SPDX-License-Identifier: Apache-2.0
// Bulk packing of sub-byte codes: the generic version is layout/packing.hpp's loop; per-arch files
// overload the widths where shuffles win (x86_avx2/pack.hpp: 6-bit), included first (cpu/arch.hpp).
#pragma once

#include <cstddef>
#include <cstdint>

#include <xsimd/xsimd.hpp>

#include <sparq/core/config.hpp>
#include <sparq/kernel/cpu/arch.hpp>
#include <sparq/layout/packing.hpp>

SPARQ_NAMESPACE_BEGIN
namespace kernel {
namespace simd {

/// Codes 0..done-1 handled by an arch overload; the generic version handles none.
template <int Bits>
SPARQ_INLINE std::size_t unpack_prefix(std::uint8_t const*, std::size_t, std::uint8_t*, xsimd::generic const&) noexcept {
  return 0;
}
template <int Bits>
SPARQ_INLINE std::size_t pack_prefix(std::uint8_t const*, std::size_t, std::uint8_t*, xsimd::generic const&) noexcept {
  return 0;
}

/// unpack(in, n, codes) with the arch's prefix first; the rest starts on a byte-group boundary.
template <class A, class F>
void unpack_n(std::uint8_t const* in, std::size_t n, F* codes) {
  static_assert(sizeof(F) == 1, "sub-byte codes are stored one per byte");
  std::size_t const done = unpack_prefix<bits_of_v<F>>(in, n, reinterpret_cast<std::uint8_t*>(codes), A{});
  unpack(in + packed_bytes<F>(done), n - done, codes + done);
}

template <class A, class F>
void pack_n(F const* codes, std::size_t n, std::uint8_t* out) {
  static_assert(sizeof(F) == 1, "sub-byte codes are stored one per byte");
  std::size_t const done = pack_prefix<bits_of_v<F>>(reinterpret_cast<std::uint8_t const*>(codes), n, out, A{});
  pack(codes + done, n - done, out + packed_bytes<F>(done));
}

}  // namespace simd
}  // namespace kernel
SPARQ_NAMESPACE_END
