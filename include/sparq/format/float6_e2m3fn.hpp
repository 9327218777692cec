// SPDX-License-Identifier: Apache-2.0
// The float6_e2m3fn format: spec card and alias. Limits and codecs are generic (minifloat.hpp, intn.hpp).
#pragma once

#include <sparq/format/minifloat.hpp>

SPARQ_NAMESPACE_BEGIN

/// OCP MX FP6 E2M3. 1 sign, 2 exponent, 3 mantissa bits, bias 1. Finite only: no Inf, no NaN.
/// -0 is 0x20. Stored in the low 6 bits of a byte; packed four per three bytes (layout/packing.hpp).
///
///   S EE MMM        value
///   0 11 111    ->  +7.5           max (0x1F)
///   0 01 000    ->  +1.0           min normal (0x08)
///   0 00 001    ->  +0.125         min subnormal (0x01)
///
/// Spec: OCP Microscaling Formats (MX) v1.0, section 5.3.2.
struct float6_e2m3fn_spec : fp_spec<2, 3, 1, specials::none> {
  static constexpr char const name[] = "float6_e2m3fn";
};
using float6_e2m3fn = minifloat<float6_e2m3fn_spec>;
SPARQ_NAMESPACE_END
