// SPDX-License-Identifier: Apache-2.0
// sparq::gemm, exact mode: C = alpha * A * W^T + beta * C + bias with W in any block or element
// format (or float). Weights are decoded tile by tile into a float panel that every row of A
// reuses, then multiplied with FMAs; N tiles are the executor's tasks.
#pragma once

#include <cstddef>
#include <type_traits>
#include <vector>

#include <sparq/core/config.hpp>
#include <sparq/core/executor.hpp>
#include <sparq/kernel/convert.hpp>
#include <sparq/kernel/reference/gemm.hpp>
#include <sparq/kernel/simd.hpp>
#include <sparq/layout/matrix_view.hpp>
#include <sparq/layout/quantized_matrix.hpp>
#include <sparq/quantize/quantize.hpp>
#if SPARQ_SIMD
#include <sparq/kernel/cpu/dot.hpp>
#endif

SPARQ_NAMESPACE_BEGIN

struct gemm_options {
  float alpha = 1.0f;
  float beta = 0.0f;        ///< 0: C is not read (NaN in C is ignored, as in BLAS)
  float const* bias = nullptr;  ///< N values, or null
};

namespace detail {

/// Rows [r0, r0 + rows) of W as a quantized_matrix_view of their own.
template <class Format>
quantized_matrix_view<Format> row_slice(quantized_matrix_view<Format> const& w, std::size_t r0, std::size_t rows) {
  return quantized_matrix_view<Format>(w.code_row(r0), w.scale_row(r0), w.zeros() ? w.zero_row(r0) : nullptr, rows,
                                       w.cols(), w.tensor_decode());
}

inline constexpr std::size_t gemm_tile_rows = 8;

/// The shared body: decode(rows, panel) fills `rows` x K floats of the tile starting at r0.
template <class TA, class Decode, class Executor>
void gemm_tiles(matrix_view<TA const> const& a, std::size_t n, matrix_view<float> const& c, gemm_options const& o,
                Executor const& executor, Decode decode) {
  std::size_t const m = a.rows(), k = a.cols();
  // A as float rows once (exact for bfloat16 / float16), shared by every tile.
  std::vector<float> af;
  float const* arows = nullptr;
  std::size_t ald = a.ld();
  if constexpr (std::is_same<TA, float>::value) {
    arows = a.data();
  } else {
    af.resize(m * k);
    for (std::size_t i = 0; i < m; ++i) convert_n(a.row(i), k, af.data() + i * k);
    arows = af.data();
    ald = k;
  }
  std::size_t const tiles = (n + gemm_tile_rows - 1) / gemm_tile_rows;
  executor.parallel_for(tiles, [&](std::size_t tile) {
    std::size_t const r0 = tile * gemm_tile_rows;
    std::size_t const rows = n - r0 < gemm_tile_rows ? n - r0 : gemm_tile_rows;
    std::vector<float> panel(gemm_tile_rows * k, 0.0f);
    decode(r0, rows, panel.data());
    float dots[gemm_tile_rows];
    for (std::size_t i = 0; i < m; ++i) {
#if SPARQ_SIMD
      kernel::simd::dot_panel<xsimd::default_arch, gemm_tile_rows>(arows + i * ald, panel.data(), k, k, dots);
#else
      for (std::size_t t = 0; t < gemm_tile_rows; ++t) {
        float s = 0.0f;
        for (std::size_t p = 0; p < k; ++p) s += arows[i * ald + p] * panel[t * k + p];
        dots[t] = s;
      }
#endif
      for (std::size_t t = 0; t < rows; ++t) {
        float v = o.alpha * dots[t];
        if (o.beta != 0.0f) v += o.beta * c(i, r0 + t);
        if (o.bias != nullptr) v += o.bias[r0 + t];
        c(i, r0 + t) = v;
      }
    }
  });
}

}  // namespace detail

/// C[M x N] = alpha * A[M x K] * W[N x K]^T + beta * C + bias[N], exact mode: the weights decoded
/// to float exactly, products summed with float FMAs. Within K * FLT_EPSILON * alpha * sum|a w|
/// (plus one rounding per alpha/beta/bias term) of kernel::reference::gemm, which sums in double.
/// Results are the same under every executor.
///
/// @pre A is M x K (float, bfloat16 or float16), W is N x K, C is M x N; otherwise
///      sparq::invalid_argument names the argument and C is untouched.
///
///   auto q = sparq::quantize<sparq::mxfp4>(weights);            // N x K
///   sparq::gemm(activations, q.view(), out, {});                 // out = activations * W^T
template <class TA, class Format, class Executor = serial_executor>
void gemm(matrix_view<TA const> const& a, quantized_matrix_view<Format> const& w, matrix_view<float> const& c,
          gemm_options const& o = {}, Executor const& executor = {}) {
  detail::check_gemm_shapes(a.rows(), a.cols(), w.rows(), w.cols(), c.rows(), c.cols(), "sparq::gemm");
  std::size_t const k = a.cols();
  detail::gemm_tiles(a, w.rows(), c, o, executor, [&](std::size_t r0, std::size_t rows, float* panel) {
    dequantize(detail::row_slice(w, r0, rows), matrix_view<float>(panel, rows, k));
  });
}

template <class TA, class Format, class Executor = serial_executor>
void gemm(matrix_view<TA const> const& a, quantized_matrix<Format> const& w, matrix_view<float> const& c,
          gemm_options const& o = {}, Executor const& executor = {}) {
  gemm(a, w.view(), c, o, executor);
}

/// The same with float weights W[N x K].
template <class TA, class Executor = serial_executor>
void gemm(matrix_view<TA const> const& a, matrix_view<float const> const& w, matrix_view<float> const& c,
          gemm_options const& o = {}, Executor const& executor = {}) {
  detail::check_gemm_shapes(a.rows(), a.cols(), w.rows(), w.cols(), c.rows(), c.cols(), "sparq::gemm");
  std::size_t const k = a.cols();
  detail::gemm_tiles(a, w.rows(), c, o, executor, [&](std::size_t r0, std::size_t rows, float* panel) {
    for (std::size_t t = 0; t < rows; ++t) {
      for (std::size_t p = 0; p < k; ++p) panel[t * k + p] = w(r0 + t, p);
    }
  });
}

SPARQ_NAMESPACE_END
