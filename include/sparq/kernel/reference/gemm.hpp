// SPDX-License-Identifier: Apache-2.0
// Reference GEMM, exact mode: the semantics the vectorized kernels must match within a bound
// derived from K and float epsilon. C = alpha * A * W^T + beta * C + bias. Plain scalar code that
// shares nothing with the kernels.
#pragma once

#include <cstddef>
#include <vector>

#include <sparq/core/config.hpp>
#include <sparq/core/error.hpp>
#include <sparq/kernel/reference/weights.hpp>
#include <sparq/layout/gemm_shapes.hpp>
#include <sparq/layout/matrix_view.hpp>
#include <sparq/layout/quantized_matrix.hpp>

SPARQ_ARCH_NAMESPACE_BEGIN
namespace kernel {
namespace reference {

/// c(i, j) = alpha * acc + beta * c(i, j) + bias[j] in double, one rounding; beta == 0 never reads C.
inline void store(matrix_view<float> const& c, std::size_t i, std::size_t j, double acc, float alpha, float beta,
                  float const* bias) noexcept {
  double v = static_cast<double>(alpha) * acc;
  if (beta != 0.0f) v += static_cast<double>(beta) * static_cast<double>(c(i, j));
  if (bias != nullptr) v += static_cast<double>(bias[j]);
  c(i, j) = static_cast<float>(v);
}

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
  detail::check_view(a, "sparq::reference::gemm", "A");
  detail::check_view(w, "sparq::reference::gemm", "W");
  detail::check_view(c, "sparq::reference::gemm", "C");
  detail::check_gemm_shapes(a.rows(), a.cols(), w.rows(), w.cols(), c.rows(), c.cols(), "sparq::reference::gemm");
  std::size_t const m = a.rows(), n = w.rows(), k = a.cols();
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      double acc = 0.0;
      for (std::size_t p = 0; p < k; ++p) {
        acc += static_cast<double>(static_cast<float>(a(i, p))) * static_cast<double>(static_cast<float>(w(j, p)));
      }
      store(c, i, j, acc, alpha, beta, bias);
    }
  }
}

/// The same for quantized weights, W's values as reference::weight_value defines them (exactly the
/// floats sparq::dequantize gives).
template <class TA, class Format>
void gemm(matrix_view<TA const> const& a, quantized_matrix_view<Format> const& w, matrix_view<float> const& c,
          float alpha = 1.0f, float beta = 0.0f, float const* bias = nullptr) {
  detail::check_view(a, "sparq::reference::gemm", "A");
  detail::check_view(c, "sparq::reference::gemm", "C");
  detail::check_gemm_shapes(a.rows(), a.cols(), w.rows(), w.cols(), c.rows(), c.cols(), "sparq::reference::gemm");
  std::size_t const m = a.rows(), n = w.rows(), k = a.cols();
  std::vector<double> row(k);
  for (std::size_t j = 0; j < n; ++j) {
    for (std::size_t p = 0; p < k; ++p) row[p] = weight_value(w, j, p);
    for (std::size_t i = 0; i < m; ++i) {
      double acc = 0.0;
      for (std::size_t p = 0; p < k; ++p) acc += static_cast<double>(static_cast<float>(a(i, p))) * row[p];
      store(c, i, j, acc, alpha, beta, bias);
    }
  }
}

}  // namespace reference
}  // namespace kernel
SPARQ_ARCH_NAMESPACE_END
