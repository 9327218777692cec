// SPDX-License-Identifier: Apache-2.0
// The float8_e4m3fnuz format: spec card and alias. Limits and codecs are generic (minifloat.hpp, intn.hpp).
#pragma once

#include <sparq/format/minifloat.hpp>

SPARQ_NAMESPACE_BEGIN

/// FP8 E4M3 "fnuz" (AMD MI300, Graphcore). 1 sign, 4 exponent, 3 mantissa bits, bias 8.
/// No Inf, no -0: 0x80 is the only NaN. Subnormals present.
///
///   S EEEE MMM      value
///   0 1111 111  ->  +240           max (0x7F)
///   0 0001 000  ->  +2^-7          min normal (0x08)
///   0 0000 001  ->  +2^-10         min subnormal (0x01)
///
/// Spec: ml_dtypes float8_e4m3fnuz (arXiv:2206.02915).
struct float8_e4m3fnuz_spec : fp_spec<4, 3, 8, specials::nan_only_no_negzero> {
  static constexpr char const name[] = "float8_e4m3fnuz";
};
using float8_e4m3fnuz = minifloat<float8_e4m3fnuz_spec>;
SPARQ_NAMESPACE_END
