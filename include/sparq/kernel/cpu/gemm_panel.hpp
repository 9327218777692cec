// SPDX-License-Identifier: Apache-2.0
// GEMM kernel (large M), written once in xsimd: A packed in strips of MR = 2 batches of rows
// (k-major), W decoded into row panels of KC values, and a register-blocked MR x NR micro-kernel
// (broadcast one weight, two A vectors, 2 * NR accumulators).
#pragma once

#include <cstddef>

#include <xsimd/xsimd.hpp>

#include <sparq/core/config.hpp>
#include <sparq/simd/arch_traits.hpp>
#include <sparq/simd/lanes.hpp>

SPARQ_ARCH_NAMESPACE_BEGIN
namespace kernel {
namespace simd {


/// ct[n * ldc + m] += sum_{k < kc} ap[k * MR + m] * bp[n * ldb + k] for m < MR, n < NR (the
/// arch_traits shape: MR = panel_mr_batches batches, NR = panel_nr).
template <class A>
void micro_kernel(float const* ap, float const* bp, std::size_t ldb, std::size_t kc, float* ct,
                  std::size_t ldc) noexcept {
  using batch = fbatch<A>;
  constexpr std::size_t w = batch::size, nr = arch_traits<A>::panel_nr, mr = 2 * w;
  static_assert(arch_traits<A>::panel_mr_batches == 2, "micro_kernel: two batches of A rows per strip");
  batch c0[nr], c1[nr];
  SPARQ_UNROLL
  for (std::size_t n = 0; n < nr; ++n) c0[n] = c1[n] = batch(0.0f);
  for (std::size_t k = 0; k < kc; ++k) {
    batch const a0 = batch::load_aligned(ap + k * mr), a1 = batch::load_aligned(ap + k * mr + w);
    SPARQ_UNROLL
    for (std::size_t n = 0; n < nr; ++n) {
      batch const b(bp[n * ldb + k]);
      c0[n] = xsimd::fma(a0, b, c0[n]);
      c1[n] = xsimd::fma(a1, b, c1[n]);
    }
  }
  SPARQ_UNROLL
  for (std::size_t n = 0; n < nr; ++n) {
    float* o = ct + n * ldc;
    (batch::load_aligned(o) + c0[n]).store_aligned(o);
    (batch::load_aligned(o + w) + c1[n]).store_aligned(o + w);
  }
}

/// Row r of the weights, chunks [c0, c1), decoded and scaled into out (unit values per chunk).
template <class A, class W>
void decode_panel_row(W const& w, std::size_t r, std::size_t c0, std::size_t c1, float* out) noexcept {
  using batch = fbatch<A>;
  constexpr std::size_t unit = W::unit, nb = unit / batch::size;
  std::size_t const per = w.chunks_per_block();
  std::size_t b = c0 / per;
  batch s(w.scale(r, b)), z(w.zero(r, b));
  for (std::size_t c = c0; c < c1; ++c) {
    if (c / per != b) {
      b = c / per;
      s = batch(w.scale(r, b));
      z = batch(w.zero(r, b));
    }
    batch v[nb];
    w.template decode<A>(r, c, v);
    SPARQ_UNROLL
    for (std::size_t j = 0; j < nb; ++j) {
      batch const x = W::has_zero ? (v[j] - z) * s : v[j] * s;
      x.store_aligned(out + (c - c0) * unit + j * batch::size);
    }
  }
}

}  // namespace simd
}  // namespace kernel
SPARQ_ARCH_NAMESPACE_END
