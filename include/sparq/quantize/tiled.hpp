// SPDX-License-Identifier: Apache-2.0
// 2-D tiled scales (layout/tiled_matrix.hpp) from and to float:
//   sparq::quantize_tiled<F, TileRows>(w)  one scale per tile, amax(tile) / qmax (FP8 E4M3: 448),
//                                          codes e4m3(x / scale) rounded to nearest even and
//                                          saturated: DeepSeek-V3's block quantization
//   sparq::dequantize(view, out)           code * tile scale, one float product per value
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include <sparq/convert/convert.hpp>
#include <sparq/core/config.hpp>
#include <sparq/core/error.hpp>
#include <sparq/core/executor.hpp>
#include <sparq/layout/matrix_view.hpp>
#include <sparq/layout/tiled_matrix.hpp>
#include <sparq/quantize/block.hpp>

SPARQ_ARCH_NAMESPACE_BEGIN

/// Quantizes the N x K matrix w (float, bfloat16 or float16) into tiles of TileRows x
/// F::block_size with one float scale each. A tile holding NaN or +-Inf gets a NaN scale and zero
/// codes; an all-zero tile gets scale 0 and zero codes. Bit-identical for every executor.
///
///   auto q = sparq::quantize_tiled<sparq::fp8_group<128>, 128>(w);  // sparq::fp8_block128
template <class F, std::size_t TileRows, class T, class Executor = serial_executor>
tiled_matrix<F, TileRows> quantize_tiled(matrix_view<T> const& w, Executor const& executor = {}) {
  using E = typename F::element;
  using value = std::remove_const_t<T>;
  static_assert(std::is_same<value, float>::value || std::is_same<value, bfloat16>::value ||
                    std::is_same<value, float16>::value,
                "sparq::quantize_tiled: the input must be float, bfloat16 or float16");
  detail::check_view(w, "sparq::quantize_tiled", "w");
  tiled_matrix<F, TileRows> q(w.rows(), w.cols());
  std::size_t const cols = w.cols(), tc = q.col_tiles(), B = q.tile_cols;
  executor.parallel_for(q.row_tiles(), [&](std::size_t t) {
    std::size_t const r0 = t * TileRows, r1 = r0 + TileRows < w.rows() ? r0 + TileRows : w.rows();
    std::vector<float> x((r1 - r0) * cols), v(cols);
    for (std::size_t r = r0; r < r1; ++r) convert_n(w.row(r), cols, x.data() + (r - r0) * cols);
    float* const scales = q.scales() + t * tc;
    std::vector<char> special(tc, 0);
    std::vector<float> amax(tc, 0.0f);
    for (std::size_t r = 0; r < r1 - r0; ++r) {
      for (std::size_t b = 0; b < tc; ++b) {
        std::size_t const c0 = b * B, n = c0 + B < cols ? B : cols - c0;
        float a = 0.0f;
        if (arch_detail::block_amax(x.data() + r * cols + c0, n, a)) special[b] = 1;
        amax[b] = a > amax[b] ? a : amax[b];
      }
    }
    for (std::size_t b = 0; b < tc; ++b) {
      scales[b] =
          special[b] ? std::numeric_limits<float>::quiet_NaN() : amax[b] / arch_detail::absmax_qmax<E>();
    }
    for (std::size_t r = r0; r < r1; ++r) {
      float const* xr = x.data() + (r - r0) * cols;
      for (std::size_t k = 0; k < cols; ++k) {
        float const s = scales[k / B];
        v[k] = s > 0.0f ? xr[k] / s : 0.0f;  // NaN and zero scales: zero codes
      }
      convert_n(v.data(), cols, reinterpret_cast<E*>(q.code_row(r)), overflow::saturate);
    }
  });
  return q;
}

SPARQ_ARCH_NAMESPACE_END

SPARQ_NAMESPACE_BEGIN

/// The float values of a tiled matrix, code * tile scale, written to out (N x K, any ld).
/// @pre out is w.rows() x w.cols(); otherwise sparq::invalid_argument and out is untouched.
template <class F, std::size_t TileRows, class Executor = serial_executor>
void dequantize(tiled_matrix_view<F, TileRows> const& w, matrix_view<float> const& out,
                Executor const& executor = {}) {
  using E = typename F::element;
  detail::check_out(out, w.rows(), w.cols(), "sparq::dequantize");
  std::size_t const B = w.tile_cols;
  executor.parallel_for(w.rows(), [&](std::size_t r) {
    float* const dst = out.row(r);
    convert_n(reinterpret_cast<E const*>(w.code_row(r)), w.cols(), dst);
    float const* s = w.scale_row(r);
    for (std::size_t k = 0; k < w.cols(); ++k) dst[k] *= s[k / B];
  });
}
template <class F, std::size_t TileRows, class Executor = serial_executor>
void dequantize(tiled_matrix<F, TileRows> const& w, matrix_view<float> const& out,
                Executor const& executor = {}) {
  dequantize(w.view(), out, executor);
}

SPARQ_NAMESPACE_END
