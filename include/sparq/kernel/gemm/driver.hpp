// SPDX-License-Identifier: Apache-2.0
// The exact-mode drivers: activations to float, then the GEMV kernel (M <= 4: weights decoded in
// registers) or the panel GEMM (M > 4: A packed in strips, W decoded into panels once per task
// and K slice), tasks along N for the executor, and the alpha/beta/bias epilogue. They call only
// the weight-source concept (kernel/source/concept.hpp) and take their sizes from
// kernel::simd::arch_traits<Arch>.
#pragma once

#include <cmath>
#include <cstddef>
#include <type_traits>
#include <utility>

#include <sparq/core/activation.hpp>
#include <sparq/core/config.hpp>
#include <sparq/convert/convert.hpp>
#include <sparq/kernel/gemm/epilogue.hpp>
#include <sparq/kernel/gemm/options.hpp>
#include <sparq/kernel/gemm/sparse.hpp>
#include <sparq/kernel/gemm/scratch.hpp>
#include <sparq/kernel/gemm/workspace.hpp>
#include <sparq/kernel/source/concept.hpp>
#include <sparq/layout/matrix_view.hpp>
#include <sparq/simd/arch.hpp>
#if SPARQ_SIMD
#include <sparq/kernel/cpu/gemm_panel.hpp>
#include <sparq/kernel/cpu/gemv.hpp>
#endif
#include <sparq/simd/arch_traits.hpp>

SPARQ_ARCH_NAMESPACE_BEGIN
namespace arch_detail {

inline std::size_t round_up(std::size_t x, std::size_t m) noexcept { return (x + m - 1) / m * m; }

/// The M rows of A as float in `out`, each kp values (zero past K), stride kp.
template <class TA>
void activations_to_float(matrix_view<TA const> const& a, std::size_t kp, float* out) {
  std::size_t const k = a.cols();
  for (std::size_t i = 0; i < a.rows(); ++i) {
    float* row = out + i * kp;
    if (k != 0) convert_n(a.row(i), k, row);
    for (std::size_t p = k; p < kp; ++p) row[p] = 0.0f;
  }
}

inline constexpr std::size_t gemv_max_rows = 4;

/// Rows [r0, r1) of W for M <= 4 rows of A, in groups of R rows, the last few one at a time:
/// rows(r, std::integral_constant<size_t, G>, dots) fills dots[rr * M + i] for G rows from r; the
/// results go through the epilogue out(i, j, dot). Shared by the exact and int8 GEMV kernels.
template <std::size_t M, std::size_t R, class Out, class Rows>
void gemv_row_groups(std::size_t r0, std::size_t r1, Out const& out, Rows&& rows) noexcept {
  float dots[R * M];
  for (std::size_t r = r0; r < r1;) {
    std::size_t const g = r + R <= r1 ? R : 1;
    if (g == R) {
      rows(r, std::integral_constant<std::size_t, R>{}, dots);
    } else {
      rows(r, std::integral_constant<std::size_t, 1>{}, dots);
    }
    for (std::size_t rr = 0; rr < g; ++rr) {
      for (std::size_t i = 0; i < M; ++i) out(i, r + rr, dots[rr * M + i]);
    }
    r += g;
  }
}

#if SPARQ_SIMD
template <class A, std::size_t M, class W, class Out>
void gemv_task(W const& w, float const* a, std::size_t lda, std::size_t r0, std::size_t r1, Out const& out) noexcept {
  constexpr std::size_t R = kernel::simd::arch_traits<A>::gemv_group_rows(M);
  gemv_row_groups<M, R>(r0, r1, out, [&](std::size_t r, auto g, float* dots) {
    if constexpr (has_row_dots<W, A>::value) {
      w.template row_dots<A, M, decltype(g)::value>(a, lda, r, dots);  // sparse layouts
    } else {
      kernel::simd::gemv_rows<A, M, decltype(g)::value>(w, a, lda, r, dots);
    }
  });
}

/// M <= 4: rows of W in tasks of arch_traits::gemv_task_rows.
template <class A, class W, class TA, class Executor>
void gemv(W const& w, matrix_view<TA const> const& a, matrix_view<float> const& c, gemm_options const& o,
          Executor const& executor) {
  std::size_t const m = a.rows(), n = w.rows(), kp = activation_cols(w);
  gemm_workspace local;
  float* af = (o.workspace ? o.workspace : &local)->floats(m * kp);
  activations_to_float(a, kp, af);
  auto const out = make_epilogue(w, [af, kp](std::size_t i, std::size_t k) { return af[i * kp + k]; }, c, o);
  if constexpr (has_arrange_activations<W, A>::value) {
    static_assert(!has_correction<W>::value, "a source with a correction reads A in column order");
    for (std::size_t i = 0; i < m; ++i) w.template arrange_activations<A>(af + i * kp, kp);
  }
  constexpr std::size_t rows_per_task = kernel::simd::arch_traits<A>::gemv_task_rows;
  executor.parallel_for((n + rows_per_task - 1) / rows_per_task, [&](std::size_t t) {
    std::size_t const r0 = t * rows_per_task, r1 = r0 + rows_per_task < n ? r0 + rows_per_task : n;
    switch (m) {
      case 1: gemv_task<A, 1>(w, af, kp, r0, r1, out); break;
      case 2: gemv_task<A, 2>(w, af, kp, r0, r1, out); break;
      case 3: gemv_task<A, 3>(w, af, kp, r0, r1, out); break;
      default: gemv_task<A, 4>(w, af, kp, r0, r1, out); break;
    }
  });
}

/// M > 4: A packed once into strips of mr rows (k-major); each task decodes its weight rows one
/// K slice at a time into a panel that every strip reuses, accumulating in a tile of C^T.
template <class A, class W, class TA, class Executor>
void gemm_panels(W const& w, matrix_view<TA const> const& a, matrix_view<float> const& c, gemm_options const& o,
                 Executor const& executor) {
  using traits = kernel::simd::arch_traits<A>;
  constexpr std::size_t mr = traits::panel_mr_batches * kernel::simd::fbatch<A>::size, nr = traits::panel_nr;
  constexpr std::size_t task_rows = traits::panel_task_panels * nr;
  constexpr std::size_t kc_chunks = traits::panel_kc / W::unit, kcv = kc_chunks * W::unit;
  std::size_t const m = a.rows(), n = w.rows(), chunks = w.chunks(), kp = chunks * W::unit;
  std::size_t const mp = round_up(m, mr), strips = mp / mr;
  auto const out = make_epilogue(w, activation_of(a), c, o);
  gemm_workspace local;
  gemm_workspace* ws = o.workspace ? o.workspace : &local;
  float* ap = ws->floats(mp * kp + mr * kp);
  float* rows = ap + mp * kp;  // one row of A as float
  for (std::size_t i = 0; i < mp; ++i) {
    if (i < m) {
      if (a.cols() != 0) convert_n(a.row(i), a.cols(), rows);
      for (std::size_t p = a.cols(); p < kp; ++p) rows[p] = 0.0f;
    }
    float* strip = ap + (i / mr) * kp * mr + i % mr;
    for (std::size_t p = 0; p < kp; ++p) strip[p * mr] = i < m ? rows[p] : 0.0f;
  }
  executor.parallel_for((n + task_rows - 1) / task_rows, [&](std::size_t t) {
    std::size_t const n0 = t * task_rows, nrows = n - n0 < task_rows ? n - n0 : task_rows;
    std::size_t const panels = (nrows + nr - 1) / nr;
    task_scratch& scratch = this_thread_scratch();
    float* panel = scratch.panel.floats(panels * nr * kcv);
    float* tile = scratch.tile.floats(panels * nr * mp);
    for (std::size_t x = 0; x < panels * nr * mp; ++x) tile[x] = 0.0f;
    for (std::size_t x = nrows * kcv; x < panels * nr * kcv; ++x) panel[x] = 0.0f;
    for (std::size_t c0 = 0; c0 < chunks; c0 += kc_chunks) {
      std::size_t const c1 = c0 + kc_chunks < chunks ? c0 + kc_chunks : chunks, kc = (c1 - c0) * W::unit;
      for (std::size_t r = 0; r < nrows; ++r) kernel::simd::decode_panel_row<A>(w, n0 + r, c0, c1, panel + r * kcv);
      for (std::size_t s = 0; s < strips; ++s) {
        float const* as = ap + (s * kp + c0 * W::unit) * mr;
        for (std::size_t p = 0; p < panels; ++p) {
          kernel::simd::micro_kernel<A>(as, panel + p * nr * kcv, kcv, kc, tile + p * nr * mp + s * mr, mp);
        }
      }
    }
    for (std::size_t r = 0; r < nrows; ++r) {
      for (std::size_t i = 0; i < m; ++i) out(i, n0 + r, tile[r * mp + i]);
    }
  });
}
#endif

/// Scalar form for builds without SIMD: the same sums in float, one task per row of W.
template <class W, class TA, class Executor>
void gemm_scalar(W const& w, matrix_view<TA const> const& a, matrix_view<float> const& c, gemm_options const& o,
                 Executor const& executor) {
  std::size_t const m = a.rows(), k = a.cols(), per = w.chunks_per_block() * W::unit;
  auto const out = make_epilogue(w, activation_of(a), c, o);
  executor.parallel_for(w.rows(), [&](std::size_t r) {
    for (std::size_t i = 0; i < m; ++i) {
      float acc = 0.0f;
      for (std::size_t p = 0; p < k; ++p) {
        std::size_t const b = p / per;
        acc += static_cast<float>(a(i, p)) * ((w.value(r, p) - w.zero(r, b)) * w.scale(r, b));
      }
      out(i, r, acc);
    }
  });
}

/// One entry for every weight source: picks the kernel for M.
template <class A, class W, class TA, class Executor>
void gemm_exact(W const& w, matrix_view<TA const> const& a, matrix_view<float> const& c, gemm_options const& o,
                Executor const& executor) {
  static_assert(check_weight_source<W>(), "");
  if (a.rows() == 0 || w.rows() == 0) return;
  constexpr bool simd = SPARQ_SIMD && !std::is_same<A, no_simd_arch>::value;
  if constexpr (has_kept_entries<W>::value) {
    // Sparse layouts: the sparse GEMM for M > 4 where the layout prefers it, and without SIMD.
    if (!simd || (a.rows() > gemv_max_rows && w.sparse_gemm())) {
      gemm_sparse<A>(w, a, c, o, executor);
      return;
    }
  }
#if SPARQ_SIMD
  if constexpr (simd) {
    if (a.rows() <= gemv_max_rows) {
      gemv<A>(w, a, c, o, executor);
    } else {
      gemm_panels<A>(w, a, c, o, executor);
    }
    return;
  }
#endif
  gemm_scalar(w, a, c, o, executor);
}

}  // namespace arch_detail
SPARQ_ARCH_NAMESPACE_END
