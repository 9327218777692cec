// SPDX-License-Identifier: Apache-2.0
// Reference GEMM, int8_activations mode: the semantics the int8 kernels match within float
// rounding of the per-chunk scaling. Plain scalar code that shares nothing with the kernels.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <vector>

#include <sparq/core/config.hpp>
#include <sparq/core/error.hpp>
#include <sparq/format/block.hpp>
#include <sparq/format/float8_e8m0fnu.hpp>
#include <sparq/format/traits.hpp>
#include <sparq/kernel/reference/gemm.hpp>
#include <sparq/kernel/reference/weights.hpp>
#include <sparq/layout/gemm_shapes.hpp>
#include <sparq/layout/matrix_view.hpp>
#include <sparq/layout/quantized_matrix.hpp>

SPARQ_ARCH_NAMESPACE_BEGIN
namespace kernel {
namespace reference {

/// Values of A per activation scale.
inline constexpr std::size_t activation_block = 32;

/// Values per weight chunk in int8_activations mode: the block size when it is below 32 (NVFP4:
/// 16), else 32.
template <class F>
constexpr std::size_t int8_chunk_values() noexcept {
  if constexpr (is_block_format_v<F>) {
    return F::block_size < 32 ? static_cast<std::size_t>(F::block_size) : 32;
  } else {
    return 32;
  }
}

/// A row of A quantized per 32 values over kq (a multiple of 32) positions: d[j] = amax / 127 of
/// values [32 j, 32 j + 32) (float); q = nearest-even(a / d) clamped to +-127, 0 where d is 0 and
/// past k. A NaN or Inf in a block makes d NaN and the block's q 0.
inline void quantize_activations(float const* a, std::size_t k, std::size_t kq, std::int8_t* q, float* d) {
  for (std::size_t j = 0; j < kq / activation_block; ++j) {
    std::size_t const k0 = j * activation_block;
    float amax = 0.0f;
    bool finite = true;
    for (std::size_t p = k0; p < k0 + activation_block && p < k; ++p) {
      if (!std::isfinite(a[p])) finite = false;
      amax = std::max(amax, std::fabs(a[p]));
    }
    d[j] = finite ? amax / 127.0f : std::numeric_limits<float>::quiet_NaN();
    for (std::size_t p = k0; p < k0 + activation_block; ++p) {
      long v = 0;
      if (finite && p < k && d[j] != 0.0f) v = std::lrint(std::max(-127.0f, std::min(127.0f, std::nearbyint(a[p] / d[j]))));
      q[p] = static_cast<std::int8_t>(v);
    }
  }
}

/// The multiplier of W(r, k)'s block in int8 mode, before the division by the image factor: the
/// decoded scale (MXINT8's 2^-6 code unit and NVFP4's tensor scale folded in, in float).
template <class F>
float block_multiplier(quantized_matrix_view<F> const& w, std::size_t r, std::size_t k) noexcept {
  if constexpr (!is_block_format_v<F>) {
    (void)k;
    return w.scale_row(r)[0];
  } else {
    using S = typename F::scale_type;
    float v = static_cast<float>(w.scale_row(r)[k / w.block()]);
    if constexpr (std::is_same<S, float8_e8m0fnu>::value) {
      v *= std::ldexp(1.0f, -detail::mx_element<typename F::element>::code_factor_log2);
    }
    if constexpr (F::has_tensor_scale) v *= w.tensor_decode();
    return v;
  }
}

/// C[m][n] = alpha * sum_c isum(m, n, c) * d[m][c] * ws[n][c] + beta * C + bias[n]: A's row m is
/// quantized per 32 values (quantize_activations: q, d); c runs over the weight chunks
/// (int8_chunk_values: 32, NVFP4 16); isum is the exact integer sum of q * image, where the image
/// of a code is value * int8_image<E>::factor (zero-point formats: code - zero); ws = block
/// multiplier / factor (float). Sums, products and alpha/beta/bias in double, one rounding.
///
/// Against exact mode its error is at most sum_k |w_k| * d(k) / 2 (A's rounding) plus float
/// rounding: tests/kernel/gemm_int8.cpp checks both bounds.
template <class TA, class Format>
void gemm_int8(matrix_view<TA const> const& a, quantized_matrix_view<Format> const& w, matrix_view<float> const& c,
               float alpha = 1.0f, float beta = 0.0f, float const* bias = nullptr) {
  using E = typename detail::matrix_layout<Format>::element;
  static_assert(bits_of_v<E> <= 8 && int8_image<E>::exists, "reference::gemm_int8: the format has no int8 image");
  detail::check_view(a, "sparq::reference::gemm_int8", "A");
  detail::check_view(c, "sparq::reference::gemm_int8", "C");
  detail::check_gemm_shapes(a.rows(), a.cols(), w.rows(), w.cols(), c.rows(), c.cols(), "sparq::reference::gemm_int8");
  constexpr std::size_t unit = int8_chunk_values<Format>();
  constexpr bool zero_point = detail::matrix_layout<Format>::has_zero_point;
  std::size_t const m = a.rows(), n = w.rows(), k = a.cols();
  std::size_t const chunks = (k + unit - 1) / unit;
  std::size_t const kq = (chunks * unit + activation_block - 1) / activation_block * activation_block;
  float const factor = static_cast<float>(int8_image<E>::factor);
  std::vector<float> arow(kq, 0.0f), d(kq / activation_block);
  std::vector<std::int8_t> q(kq);
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t p = 0; p < k; ++p) arow[p] = static_cast<float>(a(i, p));
    quantize_activations(arow.data(), k, kq, q.data(), d.data());
    for (std::size_t j = 0; j < n; ++j) {
      double acc = 0.0;
      for (std::size_t ch = 0; ch < chunks; ++ch) {
        long long isum = 0;
        for (std::size_t p = ch * unit; p < (ch + 1) * unit && p < k; ++p) {
          E const code = weight_code(w, j, p);
          long long const img = zero_point ? static_cast<long long>(code.bits()) - weight_zero_code(w, j, p)
                                           : static_cast<long long>(static_cast<float>(code) * factor);
          isum += static_cast<long long>(q[p]) * img;
        }
        double const ws = static_cast<double>(block_multiplier(w, j, ch * unit) / factor);
        acc += static_cast<double>(isum) * static_cast<double>(d[ch * unit / activation_block]) * ws;
      }
      store(c, i, j, acc, alpha, beta, bias);
    }
  }
}

}  // namespace reference
}  // namespace kernel
SPARQ_ARCH_NAMESPACE_END
