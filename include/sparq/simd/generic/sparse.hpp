// SPDX-License-Identifier: Apache-2.0
// Generic sparse primitives: the activations of N:M kept values (a gather through a lane
// buffer). Per-arch files overload them (x86_avx2/sparse.hpp).
#pragma once

#include <cstddef>
#include <cstdint>

#include <xsimd/xsimd.hpp>

#include <sparq/core/bits.hpp>
#include <sparq/core/config.hpp>
#include <sparq/simd/lanes.hpp>

SPARQ_ARCH_NAMESPACE_BEGIN
namespace kernel {
namespace simd {

/// Lane l = a[column(j0 + l)] for the kept values j0 .. j0 + W of an N:M row, column(j) =
/// j / N * M + index(j); idx is the row's packed index stream (log2(M) bits per kept value).
template <class A, std::size_t N, std::size_t M>
SPARQ_INLINE fbatch<A> gather_nm(float const* a, std::uint8_t const* idx, std::size_t j0,
                                 xsimd::generic const&) noexcept {
  constexpr unsigned b = sparq::detail::log2_of(M);
  alignas(64) float lanes[fbatch<A>::size];
  for (std::size_t l = 0; l < fbatch<A>::size; ++l) {
    std::size_t const j = j0 + l;
    lanes[l] = a[j / N * M + sparq::detail::bit_field(idx, j, b)];
  }
  return fbatch<A>::load_aligned(lanes);
}

/// One 64-column tile of a bitmap row: acc[i * NACC + x] gets lanes whose sum over the tile is
/// sum over set bits b of mask of vals[rank(b)] * a[i * lda + b]; pruned columns count as 0 * a
/// (so Inf or NaN activations propagate as in the dense product). Returns vals past the tile's.
template <class A, std::size_t MR, std::size_t NACC>
SPARQ_INLINE float const* bitmap_tile(std::uint64_t mask, float const* vals, float const* a, std::size_t lda, fbatch<A>* acc,
                              xsimd::generic const&) noexcept {
  constexpr std::size_t w = fbatch<A>::size;
  alignas(64) float dense[64] = {};
  std::size_t j = 0;
  for (std::uint64_t m = mask; m != 0; m &= m - 1) dense[sparq::lowest_bit64(m)] = vals[j++];
  SPARQ_UNROLL
  for (std::size_t q = 0; q < 64 / w; ++q) {
    fbatch<A> const v = fbatch<A>::load_aligned(dense + q * w);
    SPARQ_UNROLL
    for (std::size_t i = 0; i < MR; ++i) {
      acc[i * NACC + q % NACC] = xsimd::fma(v, fbatch<A>::load_unaligned(a + i * lda + q * w), acc[i * NACC + q % NACC]);
    }
  }
  return vals + j;
}

}  // namespace simd
}  // namespace kernel
SPARQ_ARCH_NAMESPACE_END
