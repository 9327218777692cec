// SPDX-License-Identifier: Apache-2.0
// Bulk packing of sub-byte codes: the registry's prefix packer for the arch, then
// layout/packing.hpp's loop for the rest.
#pragma once

#include <cstddef>
#include <cstdint>

#include <xsimd/xsimd.hpp>

#include <sparq/core/config.hpp>
#include <sparq/simd/registry.hpp>
#include <sparq/layout/packing.hpp>

SPARQ_ARCH_NAMESPACE_BEGIN
namespace kernel {
namespace simd {

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
SPARQ_ARCH_NAMESPACE_END
