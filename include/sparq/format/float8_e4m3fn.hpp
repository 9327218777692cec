// SPDX-License-Identifier: Apache-2.0
// The float8_e4m3fn format: spec card and alias. Limits and codecs are generic (minifloat.hpp, intn.hpp).
#pragma once

#include <sparq/format/minifloat.hpp>

SPARQ_NAMESPACE_BEGIN

/// OCP FP8 E4M3 ("fn": finite, one NaN magnitude). 1 sign, 4 exponent, 3 mantissa bits, bias 7.
/// No Inf; S.1111.111 is NaN (0x7F, 0xFF); -0 is 0x80. Subnormals present.
///
///   S EEEE MMM      value
///   0 1111 110  ->  +448           max (0x7E)
///   0 0001 000  ->  +2^-6          min normal (0x08)
///   0 0000 001  ->  +2^-9          min subnormal (0x01)
///
/// Spec: OCP 8-bit Floating Point Specification (OFP8) rev 1.0; ml_dtypes float8_e4m3fn.
struct float8_e4m3fn_spec : fp_spec<4, 3, 7, specials::nan_only> {
  static constexpr char const name[] = "float8_e4m3fn";
};
using float8_e4m3fn = minifloat<float8_e4m3fn_spec>;
SPARQ_NAMESPACE_END
