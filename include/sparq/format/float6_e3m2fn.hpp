// SPDX-License-Identifier: Apache-2.0
// The float6_e3m2fn format: spec card and alias. Limits and codecs are generic (minifloat.hpp, intn.hpp).
#pragma once

#include <sparq/format/minifloat.hpp>

SPARQ_NAMESPACE_BEGIN

/// OCP MX FP6 E3M2. 1 sign, 3 exponent, 2 mantissa bits, bias 3. Finite only: no Inf, no NaN.
/// -0 is 0x20. Stored in the low 6 bits of a byte; packed four per three bytes (layout/packing.hpp).
///
///   S EEE MM        value
///   0 111 11    ->  +28.0          max (0x1F)
///   0 001 00    ->  +0.25          min normal (0x04)
///   0 000 01    ->  +0.0625        min subnormal (0x01)
///
/// Spec: OCP Microscaling Formats (MX) v1.0, section 5.3.2.
struct float6_e3m2fn_spec : fp_spec<3, 2, 3, specials::none> {
  static constexpr char const name[] = "float6_e3m2fn";
};
using float6_e3m2fn = minifloat<float6_e3m2fn_spec>;
SPARQ_NAMESPACE_END
