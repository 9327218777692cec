// SPDX-License-Identifier: Apache-2.0
// Reference GEMM, exact mode: the semantics the vectorized kernels (issue 4) must match within a
// bound derived from K and float epsilon. C = alpha * A * W^T + beta * C + bias.
#pragma once

#include <cstddef>
#include <string>
#include <type_traits>
#include <vector>

#include <sparq/core/config.hpp>
#include <sparq/core/error.hpp>
#include <sparq/layout/matrix_view.hpp>
#include <sparq/layout/quantized_matrix.hpp>
#include <sparq/quantize/quantize.hpp>

SPARQ_NAMESPACE_BEGIN

namespace detail {

/// Shapes of C[M x N] = A[M x K] * W[N x K]^T; throws sparq::invalid_argument naming the argument.
inline void check_gemm_shapes(std::size_t a_rows, std::size_t a_cols, std::size_t w_rows, std::size_t w_cols,
                              std::size_t c_rows, std::size_t c_cols, char const* fn) {
  auto shape = [](std::size_t r, std::size_t c) { return std::to_string(r) + " x " + std::to_string(c); };
  if (w_cols != a_cols) {
    SPARQ_THROW(invalid_argument, std::string(fn) + ": argument 'W' is " + shape(w_rows, w_cols) + ", expected N x K = N x " +
                                      std::to_string(a_cols) + " (K from A, " + shape(a_rows, a_cols) + ")");
  }
  if (c_rows != a_rows || c_cols != w_rows) {
    SPARQ_THROW(invalid_argument, std::string(fn) + ": argument 'C' is " + shape(c_rows, c_cols) + ", expected M x N = " +
                                      shape(a_rows, w_rows));
  }
}

}  // namespace detail

namespace kernel {
namespace reference {

/// C[m][n] = alpha * sum_k A[m][k] * W[n][k] + beta * C[m][n] + bias[n] for a plain W[N x K]
/// (float, bfloat16 or float16).
///
/// Exact mode: A's values as float (bfloat16/float16 exactly), every product and the sum over k in
/// double, then alpha, beta and bias applied in double and one rounding to float. With beta == 0,
/// C is not read (NaN in C is ignored, as in BLAS); bias may be null.
///
/// @pre shapes agree (otherwise sparq::invalid_argument, C untouched).
template <class TA, class TW>
void gemm(matrix_view<TA const> const& a, matrix_view<TW const> const& w, matrix_view<float> const& c,
          float alpha = 1.0f, float beta = 0.0f, float const* bias = nullptr) {
  detail::check_gemm_shapes(a.rows(), a.cols(), w.rows(), w.cols(), c.rows(), c.cols(), "sparq::reference::gemm");
  std::size_t const m = a.rows(), n = w.rows(), k = a.cols();
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      double acc = 0.0;
      for (std::size_t p = 0; p < k; ++p) acc += static_cast<double>(static_cast<float>(a(i, p))) * static_cast<double>(static_cast<float>(w(j, p)));
      double v = static_cast<double>(alpha) * acc;
      if (beta != 0.0f) v += static_cast<double>(beta) * static_cast<double>(c(i, j));
      if (bias != nullptr) v += static_cast<double>(bias[j]);
      c(i, j) = static_cast<float>(v);
    }
  }
}

/// The same for quantized weights: W's values are those sparq::dequantize_reference gives.
template <class TA, class Format>
void gemm(matrix_view<TA const> const& a, quantized_matrix_view<Format> const& w, matrix_view<float> const& c,
          float alpha = 1.0f, float beta = 0.0f, float const* bias = nullptr) {
  detail::check_gemm_shapes(a.rows(), a.cols(), w.rows(), w.cols(), c.rows(), c.cols(), "sparq::reference::gemm");
  std::vector<float> weights(w.rows() * w.cols());
  dequantize_reference(w, matrix_view<float>(weights.data(), w.rows(), w.cols()));
  gemm(a, matrix_view<float const>(weights.data(), w.rows(), w.cols()), c, alpha, beta, bias);
}

}  // namespace reference
}  // namespace kernel
SPARQ_NAMESPACE_END
