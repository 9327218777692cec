// SPDX-License-Identifier: Apache-2.0
// Options of sparq::gemm: alpha, beta, bias, the epilogue (activation, residual), compute mode,
// workspace.
#pragma once

#include <sparq/core/activation.hpp>
#include <sparq/core/config.hpp>
#include <sparq/layout/matrix_view.hpp>

SPARQ_NAMESPACE_BEGIN

class gemm_workspace;

/// How the products are computed (docs/formats.md section 5, docs/design.md section 3).
enum class compute_mode {
  /// Weights decoded to float exactly, float FMAs: within K * FLT_EPSILON * sum|a w| of the reference.
  exact,
  /// A quantized per 32 values of K to int8 (scale amax / 127, nearest even), integer dot
  /// products with the int8 image of the weight codes, scales applied in float. Formats whose
  /// codes have an int8 image only (sparq::supports_int8_activations_v).
  int8_activations,
};

/// C = activation(alpha * A W^T + beta * C + bias) + residual, each output computed once, where
/// its dot product is (the epilogue runs on the value before it is stored). Set fields by name:
///
///   auto o = sparq::gemm_options{}.with_bias(b).with_activation(sparq::activation::gelu_tanh);
struct gemm_options {
  float alpha = 1.0f;
  float beta = 0.0f;            ///< 0: C is not read (NaN in C is ignored, as in BLAS)
  float const* bias = nullptr;  ///< N values, or null
  compute_mode mode = compute_mode::exact;
  /// Scratch reused across calls (one per concurrent caller); null: allocated per call.
  gemm_workspace* workspace = nullptr;
  sparq::activation activation = sparq::activation::none;
  /// M x N values added last (a transformer's skip connection), or an empty view.
  matrix_view<float const> residual{};

  gemm_options& with_alpha(float v) noexcept {
    alpha = v;
    return *this;
  }
  gemm_options& with_beta(float v) noexcept {
    beta = v;
    return *this;
  }
  gemm_options& with_bias(float const* v) noexcept {
    bias = v;
    return *this;
  }
  gemm_options& with_mode(compute_mode v) noexcept {
    mode = v;
    return *this;
  }
  gemm_options& with_workspace(gemm_workspace* v) noexcept {
    workspace = v;
    return *this;
  }
  gemm_options& with_activation(sparq::activation v) noexcept {
    activation = v;
    return *this;
  }
  gemm_options& with_residual(matrix_view<float const> const& v) noexcept {
    residual = v;
    return *this;
  }
};

SPARQ_NAMESPACE_END
