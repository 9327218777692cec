// SPDX-License-Identifier: Apache-2.0
// compute_mode::int8_activations: the quantization of A per 32 values of K (the kernels' copy;
// kernel/reference/gemm_int8.hpp states the same semantics independently).
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <vector>

#include <sparq/convert/convert.hpp>
#include <sparq/core/config.hpp>
#include <sparq/format/traits.hpp>
#include <sparq/layout/matrix_view.hpp>
#include <sparq/layout/quantized_activations.hpp>

SPARQ_ARCH_NAMESPACE_BEGIN
namespace arch_detail {

inline constexpr std::size_t int8_block = 32;  ///< values of A per activation scale

/// One row of A quantized: q[k] (int8, zero past K up to kp) and d[j], the scale of values
/// [32 j, 32 j + 32): amax / 127 (float); q = nearest-even(a / d) clamped to +-127, 0 when d is 0.
/// A NaN or Inf in a block makes d NaN or Inf (the block's products then are NaN or Inf) and q 0.
inline void quantize_activation_row(float const* a, std::size_t k, std::size_t kp, std::int8_t* q, float* d) noexcept {
  for (std::size_t j = 0; j * int8_block < kp; ++j) {
    std::size_t const k0 = j * int8_block, k1 = k0 + int8_block < k ? k0 + int8_block : k;
    float amax = 0.0f;
    bool special = false;
    for (std::size_t p = k0; p < k1; ++p) {
      float const m = std::fabs(a[p]);
      if (!(m <= 3.4028234663852886e38f)) special = true;
      amax = m > amax ? m : amax;
    }
    float const dj = special ? std::numeric_limits<float>::quiet_NaN() : amax / 127.0f;
    d[j] = dj;
    for (std::size_t p = k0; p < k0 + int8_block; ++p) {
      int v = 0;
      if (p < k1 && dj != 0.0f && !special) {
        float const r = std::nearbyint(a[p] / dj);
        v = r > 127.0f ? 127 : r < -127.0f ? -127 : static_cast<int>(r);
      }
      q[p] = static_cast<std::int8_t>(v);
    }
  }
}

/// The M rows of A quantized into q (stride kp) and d (stride kp / 32), through one float row.
template <class TA>
void quantize_activation_rows(matrix_view<TA const> const& a, std::size_t kp, float* row, std::int8_t* q, float* d) {
  std::size_t const k = a.cols();
  for (std::size_t p = k; p < kp; ++p) row[p] = 0.0f;
  for (std::size_t i = 0; i < a.rows(); ++i) {
    if (k != 0) convert_n(a.row(i), k, row);
    quantize_activation_row(row, k, kp, q + i * kp, d + i * (kp / int8_block));
  }
}

}  // namespace arch_detail

/// A quantized once for compute_mode::int8_activations (docs/formats.md section 5): pass the
/// result to sparq::gemm as A for each weight that shares it; results are identical to passing A.
///
///   auto qa = sparq::quantize_activations(x);                  // x: M x K
///   sparq::gemm(qa, wq, q_out, o);  sparq::gemm(qa, wk, k_out, o);  sparq::gemm(qa, wv, v_out, o);
template <class TA>
quantized_activations quantize_activations(matrix_view<TA> const& a) {
  detail::check_view(a, "sparq::quantize_activations", "a");
  quantized_activations out(a.rows(), a.cols());
  std::vector<float> row(out.padded_cols());
  arch_detail::quantize_activation_rows(matrix_view<std::remove_const_t<TA> const>(a), out.padded_cols(), row.data(),
                                        out.codes(), out.scales());
  return out;
}

SPARQ_ARCH_NAMESPACE_END
