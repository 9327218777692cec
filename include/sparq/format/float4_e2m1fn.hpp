// SPDX-License-Identifier: Apache-2.0
// The float4_e2m1fn format: spec card and alias. Limits and codecs are generic (minifloat.hpp, intn.hpp).
#pragma once

#include <sparq/format/minifloat.hpp>

SPARQ_NAMESPACE_BEGIN

/// OCP MX FP4 E2M1. 1 sign, 2 exponent, 1 mantissa bit, bias 1. Finite only: no Inf, no NaN.
/// Codes 0x0..0x7 are 0, 0.5, 1, 1.5, 2, 3, 4, 6; 0x8..0xF their negatives (0x8 = -0).
/// Stored in the low nibble of a byte; packed two per byte, element 2i in the low nibble.
///
///   S EE M          value
///   0 11 1      ->  +6.0           max (0x7)
///   0 01 0      ->  +1.0           min normal (0x2)
///   0 00 1      ->  +0.5           min subnormal (0x1)
///
/// Spec: OCP Microscaling Formats (MX) v1.0, section 5.3.3.
struct float4_e2m1fn_spec : fp_spec<2, 1, 1, specials::none> {
  static constexpr char const name[] = "float4_e2m1fn";
};
using float4_e2m1fn = minifloat<float4_e2m1fn_spec>;
SPARQ_NAMESPACE_END
