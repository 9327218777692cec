// SPDX-License-Identifier: Apache-2.0
// Generic sparse primitives: the activations of N:M kept values (a gather through a lane
// buffer), a bitmap tile's kept activations, a bitmap row's kept columns and the dot over them.
// Per-arch files overload them (x86_avx2/sparse.hpp, x86_avx512/sparse.hpp).
#pragma once

#include <cstddef>
#include <cstdint>

#include <xsimd/xsimd.hpp>

#include <sparq/core/bits.hpp>
#include <sparq/core/config.hpp>
#include <sparq/simd/lanes.hpp>
#include <sparq/simd/sparse_layout.hpp>

SPARQ_ARCH_NAMESPACE_BEGIN
namespace kernel {
namespace simd {

/// Lane l = a[column(j0 + l)] for the kept values j0 .. j0 + W of an N:M row, column(j) =
/// j / N * M + index(j), `a` arranged by nm_activations<A, N, M>; idx is the row's packed index
/// stream (log2(M) bits per kept value).
template <class A, std::size_t N, std::size_t M>
SPARQ_INLINE fbatch<A> gather_nm(float const* a, std::uint8_t const* idx, std::size_t j0,
                                 xsimd::generic const&) noexcept {
  constexpr unsigned b = sparq::detail::log2_of(M);
  alignas(64) float lanes[fbatch<A>::size];
  for (std::size_t l = 0; l < fbatch<A>::size; ++l) {
    std::size_t const j = j0 + l;
    lanes[l] = a[nm_activations<A, N, M>::position(j / N * M + sparq::detail::bit_field(idx, j, b))];
  }
  return fbatch<A>::load_aligned(lanes);
}

/// The activations of NB batches of kept values from j0 (a whole chunk: fields j0 .. j0 + NB * W
/// exist), out[x] = gather_nm(j0 + x * W); arch overloads may share work across the batches.
template <class A, std::size_t N, std::size_t M, std::size_t NB>
SPARQ_INLINE void gather_nm_chunk(float const* a, std::uint8_t const* idx, std::size_t j0, fbatch<A>* out,
                                  xsimd::generic const&) noexcept {
  SPARQ_UNROLL
  for (std::size_t x = 0; x < NB; ++x) out[x] = gather_nm<A, N, M>(a, idx, j0 + x * fbatch<A>::size, A{});
}

/// One 64-column tile of a bitmap row: the activations of its kept columns, in column order, at
/// `stage` (arch overloads may write up to 8 floats past them). Returns stage past them.
template <class A>
SPARQ_INLINE float* bitmap_compress(std::uint64_t mask, float const* a, float* stage, xsimd::generic const&) noexcept {
  for (std::uint64_t m = mask; m != 0; m &= m - 1) *stage++ = a[sparq::lowest_bit64(m)];
  return stage;
}

/// Whether bitmap_columns runs on this CPU for rows of `tiles` 64-column tiles (the generic form
/// runs anywhere; arch_traits::bitmap_gather says whether the GEMV uses it).
SPARQ_INLINE bool bitmap_columns_available(std::size_t tiles, xsimd::generic const&) noexcept {
  return tiles <= 1024;
}

/// The columns of a bitmap row's kept entries, in order, as 16-bit numbers at `out` (tiles * 64
/// <= 65536; arch overloads may write up to 32 entries past the last). Returns the end.
SPARQ_INLINE std::uint16_t* bitmap_columns(std::uint64_t const* mask, std::size_t tiles, std::uint16_t* out,
                                           xsimd::generic const&) noexcept {
  for (std::size_t t = 0; t < tiles; ++t) {
    for (std::uint64_t m = mask[t]; m != 0; m &= m - 1) *out++ = static_cast<std::uint16_t>(t * 64 + sparq::lowest_bit64(m));
  }
  return out;
}

/// out[i] = sum_j vals[j] * a[i * lda + col[j]], j < n, for MR rows of A.
template <std::size_t MR>
SPARQ_INLINE void bitmap_gather_dots(std::uint16_t const* col, float const* vals, std::size_t n, float const* a,
                                     std::size_t lda, float* out, xsimd::generic const&) noexcept {
  for (std::size_t i = 0; i < MR; ++i) {
    float s = 0.0f;
    for (std::size_t j = 0; j < n; ++j) s += vals[j] * a[i * lda + col[j]];
    out[i] = s;
  }
}

}  // namespace simd
}  // namespace kernel
SPARQ_ARCH_NAMESPACE_END
