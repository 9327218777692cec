// SPDX-License-Identifier: Apache-2.0
// Options of sparq::gemm: alpha, beta, bias, compute mode, workspace.
#pragma once

#include <sparq/core/config.hpp>

SPARQ_NAMESPACE_BEGIN

class gemm_workspace;

/// How the products are computed (DESIGN.md section 5).
enum class compute_mode {
  /// Weights decoded to float, float FMAs: within K * FLT_EPSILON * sum|a w| of the reference.
  exact,
  /// A quantized per 32 values of K to int8 (scale amax / 127, nearest even), integer dot
  /// products with the int8 image of the weight codes, scales applied in float. Formats whose
  /// codes have an int8 image only (int8, int4, MXINT8, FP4 E2M1, FP6 E2M3 and their groups).
  int8_activations,
};

struct gemm_options {
  float alpha = 1.0f;
  float beta = 0.0f;            ///< 0: C is not read (NaN in C is ignored, as in BLAS)
  float const* bias = nullptr;  ///< N values, or null
  compute_mode mode = compute_mode::exact;
  /// Scratch reused across calls (one per concurrent caller); null: allocated per call.
  gemm_workspace* workspace = nullptr;
};

SPARQ_NAMESPACE_END
