// SPDX-License-Identifier: Apache-2.0
// The sparse GEMM (M > 4 on layouts that prefer it, and every M in builds without SIMD): A
// transposed once into strips of S rows (column k of a strip: S floats), then for each weight
// row every kept entry (k, w) adds w * strip[k] to S accumulators, so the work is proportional to
// the kept entries and the accumulators stay in registers. Calls the source's for_each_kept only.
#pragma once

#include <cstddef>
#include <type_traits>

#include <sparq/core/config.hpp>
#include <sparq/kernel/gemm/epilogue.hpp>
#include <sparq/kernel/gemm/options.hpp>
#include <sparq/kernel/gemm/workspace.hpp>
#include <sparq/layout/matrix_view.hpp>
#include <sparq/simd/arch.hpp>
#if SPARQ_SIMD
#include <sparq/simd/lanes.hpp>
#endif

SPARQ_ARCH_NAMESPACE_BEGIN
namespace arch_detail {

/// S accumulators: lanes of the arch's batches, or plain floats without SIMD.
template <class A, class = void>
struct strip_lanes {
  static constexpr std::size_t rows = 8;
  float acc[rows];
  void clear() noexcept {
    for (float& x : acc) x = 0.0f;
  }
  SPARQ_INLINE void axpy(float w, float const* x) noexcept {
    for (std::size_t i = 0; i < rows; ++i) acc[i] += w * x[i];
  }
  void store(float* out) const noexcept {
    for (std::size_t i = 0; i < rows; ++i) out[i] = acc[i];
  }
};
#if SPARQ_SIMD
template <class A>
struct strip_lanes<A, std::enable_if_t<!std::is_same<A, no_simd_arch>::value>> {
  using batch = kernel::simd::fbatch<A>;
  static constexpr std::size_t nb = 32 / batch::size > 0 ? 32 / batch::size : 1;
  static constexpr std::size_t rows = nb * batch::size;
  batch acc[nb];
  SPARQ_INLINE void clear() noexcept {
    SPARQ_UNROLL
    for (std::size_t j = 0; j < nb; ++j) acc[j] = batch(0.0f);
  }
  SPARQ_INLINE void axpy(float w, float const* x) noexcept {
    batch const wb(w);
    SPARQ_UNROLL
    for (std::size_t j = 0; j < nb; ++j) acc[j] = xsimd::fma(wb, batch::load_aligned(x + j * batch::size), acc[j]);
  }
  SPARQ_INLINE void store(float* out) const noexcept {
    SPARQ_UNROLL
    for (std::size_t j = 0; j < nb; ++j) acc[j].store_aligned(out + j * batch::size);
  }
};
#endif

/// Weight rows per task of the sparse GEMM.
inline constexpr std::size_t sparse_task_rows = 32;

template <class A, class W, class TA, class Executor>
void gemm_sparse(W const& w, matrix_view<TA const> const& a, matrix_view<float> const& c, gemm_options const& o,
                 Executor const& executor) {
  using lanes = strip_lanes<A>;
  constexpr std::size_t S = lanes::rows;
  std::size_t const m = a.rows(), k = a.cols(), n = w.rows(), strips = (m + S - 1) / S;
  gemm_workspace local;
  float* at = (o.workspace ? o.workspace : &local)->floats(strips * k * S);
  for (std::size_t s = 0; s < strips; ++s) {
    for (std::size_t ii = 0; ii < S; ++ii) {
      std::size_t const i = s * S + ii;
      for (std::size_t p = 0; p < k; ++p) at[(s * k + p) * S + ii] = i < m ? static_cast<float>(a(i, p)) : 0.0f;
    }
  }
  auto const out = make_epilogue(w, activation_of(a), c, o);
  executor.parallel_for((n + sparse_task_rows - 1) / sparse_task_rows, [&](std::size_t t) {
    std::size_t const r0 = t * sparse_task_rows, r1 = r0 + sparse_task_rows < n ? r0 + sparse_task_rows : n;
    alignas(64) float sums[S];
    for (std::size_t s = 0; s < strips; ++s) {
      float const* strip = at + s * k * S;
      for (std::size_t r = r0; r < r1; ++r) {
        lanes acc;
        acc.clear();
        w.for_each_kept(r, [&](std::size_t p, float v) { acc.axpy(v, strip + p * S); });
        acc.store(sums);
        for (std::size_t ii = 0; ii < S && s * S + ii < m; ++ii) out(s * S + ii, r, sums[ii]);
      }
    }
  });
}

}  // namespace arch_detail
SPARQ_ARCH_NAMESPACE_END
