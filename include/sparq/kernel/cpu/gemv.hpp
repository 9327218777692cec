// SPDX-License-Identifier: Apache-2.0
// GEMV kernel (small M): weights decoded chunk by chunk in registers and multiplied with up to 4
// rows of A; R weight rows at a time give independent dependency chains and memory streams.
// Written once in xsimd against the weight-source concept (kernel/source/concept.hpp).
#pragma once

#include <cstddef>

#include <xsimd/xsimd.hpp>

#include <sparq/core/config.hpp>
#include <sparq/kernel/source/concept.hpp>
#include <sparq/simd/lanes.hpp>

SPARQ_ARCH_NAMESPACE_BEGIN
namespace kernel {
namespace simd {

/// sum_j a[j*W..] * v[j] as a pairwise tree (shorter dependency chain than a running sum).
template <class A, std::size_t NB>
SPARQ_INLINE fbatch<A> dot_chunk(float const* a, fbatch<A> const* v) noexcept {
  constexpr std::size_t w = fbatch<A>::size;
  static_assert(NB == 1 || NB == 2 || NB % 4 == 0, "dot_chunk: 1, 2 or a multiple of 4 batches");
  if constexpr (NB == 1) {
    return fbatch<A>::load_aligned(a) * v[0];
  } else if constexpr (NB == 2) {
    return xsimd::fma(fbatch<A>::load_aligned(a + w), v[1], fbatch<A>::load_aligned(a) * v[0]);
  } else {
    fbatch<A> s(0.0f);
    SPARQ_UNROLL
    for (std::size_t j = 0; j < NB; j += 4) {
      fbatch<A> const p01 = xsimd::fma(fbatch<A>::load_aligned(a + (j + 1) * w), v[j + 1],
                                       fbatch<A>::load_aligned(a + j * w) * v[j]);
      fbatch<A> const p23 = xsimd::fma(fbatch<A>::load_aligned(a + (j + 3) * w), v[j + 3],
                                       fbatch<A>::load_aligned(a + (j + 2) * w) * v[j + 2]);
      s += p01 + p23;
    }
    return s;
  }
}

/// Chunk c of row r (in block b) as values: decoded, zero point subtracted, and for W::prescale
/// formats already multiplied by the block's multiplier.
template <class A, class W>
SPARQ_INLINE void chunk_values(W const& w, std::size_t r, std::size_t c, std::size_t b, fbatch<A>* v) noexcept {
  constexpr std::size_t nb = W::unit / fbatch<A>::size;
  w.template decode<A>(r, c, v);
  if constexpr (W::has_zero) {
    fbatch<A> const z(w.zero(r, b));
    SPARQ_UNROLL
    for (std::size_t j = 0; j < nb; ++j) v[j] -= z;
  }
  if constexpr (W::prescale) {
    fbatch<A> const s(w.scale(r, b));
    SPARQ_UNROLL
    for (std::size_t j = 0; j < nb; ++j) v[j] *= s;
  }
}

/// sums[i] (+)= lanes of chunk c of row r times the M rows of a: the source's own dot where it has
/// one (sources that skip zeros), else decode and multiply.
template <class A, std::size_t M, class W>
SPARQ_INLINE void chunk_dots(W const& w, std::size_t r, std::size_t c, std::size_t b, float const* a, std::size_t lda,
                             fbatch<A>* sums) noexcept {
  constexpr std::size_t nb = W::unit / fbatch<A>::size;
  if constexpr (sparq::detail::has_source_dot<W, A, fbatch<A>>::value) {
    (void)b;
    SPARQ_UNROLL
    for (std::size_t i = 0; i < M; ++i) sums[i] = fbatch<A>(0.0f);
    w.template dot<A, M>(r, c, a, lda, sums);
  } else {
    fbatch<A> v[nb];
    chunk_values<A>(w, r, c, b, v);
    SPARQ_UNROLL
    for (std::size_t i = 0; i < M; ++i) sums[i] = dot_chunk<A, nb>(a + i * lda + c * W::unit, v);
  }
}

/// dots[rr * M + i] = sum_k a[i][k] * W[r + rr][k] for rr < R, i < M. `a` holds M float rows of
/// chunks() * unit values (zero padded past K, 64-byte aligned rows, stride lda).
template <class A, std::size_t M, std::size_t R, class W>
void gemv_rows(W const& w, float const* a, std::size_t lda, std::size_t r, float* dots) noexcept {
  using batch = fbatch<A>;
  (void)sparq::check_weight_source<W>();
  batch acc[R][M];
  SPARQ_UNROLL
  for (std::size_t rr = 0; rr < R; ++rr) {
    SPARQ_UNROLL
    for (std::size_t i = 0; i < M; ++i) acc[rr][i] = batch(0.0f);
  }
  std::size_t const chunks = w.chunks(), per = w.chunks_per_block();
  if (per == 1) {
    // One chunk per block (MX, NVFP4): each chunk's dot goes straight into the accumulator.
    for (std::size_t c = 0; c < chunks; ++c) {
      SPARQ_UNROLL
      for (std::size_t rr = 0; rr < R; ++rr) {
        batch d[M];
        chunk_dots<A, M>(w, r + rr, c, c, a, lda, d);
        if constexpr (W::prescale) {
          SPARQ_UNROLL
          for (std::size_t i = 0; i < M; ++i) acc[rr][i] += d[i];
        } else {
          batch const s(w.scale(r + rr, c));
          SPARQ_UNROLL
          for (std::size_t i = 0; i < M; ++i) acc[rr][i] = xsimd::fma(d[i], s, acc[rr][i]);
        }
      }
    }
  }
  for (std::size_t b = 0, c0 = 0; per != 1 && c0 < chunks; ++b, c0 += per) {
    std::size_t const c1 = c0 + per < chunks ? c0 + per : chunks;
    batch blk[R][M];
    SPARQ_UNROLL
    for (std::size_t rr = 0; rr < R; ++rr) {
      SPARQ_UNROLL
      for (std::size_t i = 0; i < M; ++i) blk[rr][i] = batch(0.0f);
    }
    for (std::size_t c = c0; c < c1; ++c) {
      SPARQ_UNROLL
      for (std::size_t rr = 0; rr < R; ++rr) {
        batch d[M];
        chunk_dots<A, M>(w, r + rr, c, b, a, lda, d);
        SPARQ_UNROLL
        for (std::size_t i = 0; i < M; ++i) blk[rr][i] += d[i];
      }
    }
    SPARQ_UNROLL
    for (std::size_t rr = 0; rr < R; ++rr) {
      batch const s(W::prescale ? 1.0f : w.scale(r + rr, b));
      SPARQ_UNROLL
      for (std::size_t i = 0; i < M; ++i) acc[rr][i] = xsimd::fma(blk[rr][i], s, acc[rr][i]);
    }
  }
  SPARQ_UNROLL
  for (std::size_t rr = 0; rr < R; ++rr) {
    SPARQ_UNROLL
    for (std::size_t i = 0; i < M; ++i) dots[rr * M + i] = xsimd::hadd(acc[rr][i]);
  }
}

}  // namespace simd
}  // namespace kernel
SPARQ_ARCH_NAMESPACE_END
