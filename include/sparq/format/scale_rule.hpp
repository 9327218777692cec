// SPDX-License-Identifier: Apache-2.0
// Scale rules of block formats: how a block's scale is chosen from its values. Policies, named
// as the ecosystem names them; each changes the bits, so none is silent (docs/formats.md section 3).
#pragma once

#include <sparq/core/config.hpp>

SPARQ_NAMESPACE_BEGIN

namespace scale_rule {

/// OCP MX v1.0 (the default for MX formats): X = 2^(floor(log2 amax) - emax_element), computed
/// from the float's exponent bits (exact), clamped below at 2^-127; above 2^127 the scale is NaN.
/// Elements are RNE(v / X) saturated to +-max, so a block maximum whose mantissa exceeds the
/// element's largest mantissa is clipped (FP4: amax 7 -> 6 * X).
struct ocp_floor {
  static constexpr char const name[] = "floor";
};

/// NVIDIA's rule (cuBLAS / torchao RCEIL): the smallest power of two X with amax / X <= element
/// max, computed exactly, so the block maximum is never clipped; can waste up to one binade.
struct round_up {
  static constexpr char const name[] = "rceil";
};

/// X = 2^(ceil(log2 amax) - emax_element) (torchao CEIL).
struct ceil {
  static constexpr char const name[] = "ceil";
};

/// NVFP4 two-level scaling (NVFP4 pretraining paper, appendix B; TransformerEngine): an FP32
/// per-tensor encode scale s_enc = 448 * 6 / amax_tensor and an E4M3 block scale
/// e4m3(f32(f32(amax_block / 6) * s_enc)).
struct nvfp4_two_level {
  static constexpr char const name[] = "nvfp4";
};

/// Symmetric groups: scale = amax / qmax in the scale's type, q = clamp(RNE(x / scale), -qmax,
/// qmax); qmax is an integer element's largest code (INT8 127) or a float element's largest
/// finite value (FP8 E4M3 448: q = e4m3(x / scale), rounded to nearest even, saturated).
struct absmax {
  static constexpr char const name[] = "absmax";
};

/// Asymmetric integer groups with a zero point (AWQ / GPTQ): scale = max(max - min, 1e-5) / qmax,
/// zero = clamp(RNE(-min / scale), 0, qmax), q = clamp(RNE(x / scale) + zero, 0, qmax).
struct min_max {
  static constexpr char const name[] = "minmax";
};

}  // namespace scale_rule

SPARQ_NAMESPACE_END
