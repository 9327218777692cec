// SPDX-License-Identifier: Apache-2.0
// The types of quantization (options, per-tensor and per-block scales, error metrics), outside
// the per-arch namespace so they are one type on both sides of a runtime dispatch.
#pragma once

#include <cfloat>
#include <cstdint>

#include <sparq/core/config.hpp>

SPARQ_NAMESPACE_BEGIN

/// Scale granularity of element formats (block formats carry their own).
enum class element_scale { per_row, per_tensor };

/// How sparq::quantize rounds and scales. Set fields by name:
///
///   auto o = sparq::quantize_options{}.with_stochastic_rounding(42).with_granularity(
///       sparq::element_scale::per_tensor);
struct quantize_options {
  /// Elements round to nearest even unless stochastic; the random word of element (r, c) is a hash
  /// of (seed, r * padded_cols + c), so results are reproducible under any executor.
  bool stochastic = false;
  std::uint64_t seed = 0;
  /// Element formats: one float scale per row (default) or one for the tensor, amax / max_finite;
  /// bfloat16 and float16 are stored unscaled (scale 1).
  element_scale granularity = element_scale::per_row;

  /// Stochastic rounding with the given seed.
  quantize_options& with_stochastic_rounding(std::uint64_t s) noexcept {
    stochastic = true;
    seed = s;
    return *this;
  }
  /// Round to nearest, ties to even (the default).
  quantize_options& with_nearest_rounding() noexcept {
    stochastic = false;
    return *this;
  }
  quantize_options& with_granularity(element_scale g) noexcept {
    granularity = g;
    return *this;
  }
};

/// The per-tensor part of a quantization. Only NVFP4 uses it: encode = 448 * 6 / amax_tensor
/// (1 when amax is 0, FLT_MAX when the quotient overflows), decode = 1 / encode, both FP32. The
/// decode scale travels with the quantized matrix and multiplies every dequantized value.
struct tensor_scale {
  float encode = 1.0f;
  float decode = 1.0f;

  /// From the largest finite magnitude of the tensor.
  ///   tensor_scale::nvfp4(2688.f) -> {encode 1, decode 1};  nvfp4(0.f) -> {1, 1}
  SPARQ_HOST_DEVICE static tensor_scale nvfp4(float amax) noexcept {
    tensor_scale t;
    if (!(amax > 0.0f)) return t;
    float e = 2688.0f / amax;
    if (e > FLT_MAX) e = FLT_MAX;
    if (e == 0.0f) e = 1.0f;
    t.encode = e;
    t.decode = 1.0f / e;
    return t;
  }
};

/// One block's scale (and zero point, for scale_rule::min_max).
template <class BF>
struct block_scale {
  typename BF::scale_type scale{};
  std::uint8_t zero = 0;
};

/// x the reference, y its approximation (sparq::compare):
///   snr_db              10 log10(sum x^2 / sum (x - y)^2)   (+inf when y == x)
///   relative_frobenius  ||x - y||_F / ||x||_F
///   max_abs             max |x - y|
///   cosine              <x, y> / (||x|| ||y||)               (1 when both are zero)
/// Non-finite values propagate (a NaN anywhere makes the sums NaN).
struct error_metrics {
  double snr_db = 0;
  double relative_frobenius = 0;
  double max_abs = 0;
  double cosine = 0;
};

SPARQ_NAMESPACE_END
