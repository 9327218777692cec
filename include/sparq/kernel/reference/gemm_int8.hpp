// SPDX-License-Identifier: Apache-2.0
// Reference GEMM, int8_activations mode: the semantics the int8 kernels match within float
// rounding of the per-chunk scaling.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <sparq/core/config.hpp>
#include <sparq/core/error.hpp>
#include <sparq/kernel/gemm/int8_activations.hpp>
#include <sparq/kernel/gemm/weights.hpp>
#include <sparq/kernel/reference/gemm.hpp>
#include <sparq/layout/matrix_view.hpp>
#include <sparq/layout/quantized_matrix.hpp>

SPARQ_NAMESPACE_BEGIN
namespace kernel {
namespace reference {

/// C[m][n] = alpha * sum_c isum(m, n, c) * d[m][c] * ws[n][b(c)] + beta * C + bias[n], where A's
/// row m is quantized per 32 values (detail::quantize_activation_row: q, d), c runs over the
/// weight chunks (32 values, 16 for NVFP4), isum is the exact integer sum of q * image(code)
/// (zero-point formats: code - zero), ws = block multiplier / image factor. Sums, products and
/// alpha/beta/bias in double, one rounding to float.
///
/// Against exact mode its error is at most sum_k |w_k| * d(k) / 2 (A's rounding) plus float
/// rounding: tests/kernel/gemm_int8.cpp checks both bounds.
template <class TA, class Format>
void gemm_int8(matrix_view<TA const> const& a, quantized_matrix_view<Format> const& w, matrix_view<float> const& c,
               float alpha = 1.0f, float beta = 0.0f, float const* bias = nullptr) {
  static_assert(detail::int8_mode_supported<Format>::value, "gemm_int8: the format has no int8 image");
  detail::check_gemm_shapes(a.rows(), a.cols(), w.rows(), w.cols(), c.rows(), c.cols(), "sparq::reference::gemm_int8");
  using E = typename detail::matrix_layout<Format>::element;
  detail::quantized_weights<Format> const src(w);
  constexpr std::size_t unit = detail::quantized_weights<Format>::unit;
  std::size_t const m = a.rows(), n = w.rows(), k = a.cols(), kp = src.chunks() * unit;
  std::size_t const per = src.chunks_per_block();
  float const factor = static_cast<float>(int8_image<E>::factor);
  std::size_t const kq = (kp + detail::int8_block - 1) / detail::int8_block * detail::int8_block;
  std::vector<float> arow(kq, 0.0f), d(kq / detail::int8_block);
  std::vector<std::int8_t> q(kq);
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t p = 0; p < k; ++p) arow[p] = static_cast<float>(a(i, p));
    detail::quantize_activation_row(arow.data(), k, kq, q.data(), d.data());
    for (std::size_t j = 0; j < n; ++j) {
      double acc = 0.0;
      for (std::size_t ch = 0; ch < src.chunks(); ++ch) {
        std::size_t const b = ch / per;
        long long isum = 0;
        for (std::size_t u = 0; u < unit; ++u) {
          std::size_t const p = ch * unit + u;
          int img = 0;
          if (p < k) {
            float const v = src.value(j, p);
            img = detail::matrix_layout<Format>::has_zero_point ? static_cast<int>(v) - static_cast<int>(src.zero(j, b))
                                         : static_cast<int>(v * factor);
          }
          isum += static_cast<long long>(q[p]) * img;
        }
        double const ws = static_cast<double>(src.scale(j, b) / factor);
        acc += static_cast<double>(isum) * static_cast<double>(d[ch * unit / detail::int8_block]) * ws;
      }
      double v = static_cast<double>(alpha) * acc;
      if (beta != 0.0f) v += static_cast<double>(beta) * static_cast<double>(c(i, j));
      if (bias != nullptr) v += static_cast<double>(bias[j]);
      c(i, j) = static_cast<float>(v);
    }
  }
}

}  // namespace reference
}  // namespace kernel
SPARQ_NAMESPACE_END
