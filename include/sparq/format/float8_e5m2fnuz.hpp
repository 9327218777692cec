// SPDX-License-Identifier: Apache-2.0
// The float8_e5m2fnuz format: spec card and alias. Limits and codecs are generic (minifloat.hpp, intn.hpp).
#pragma once

#include <sparq/format/minifloat.hpp>

SPARQ_NAMESPACE_BEGIN

/// FP8 E5M2 "fnuz". 1 sign, 5 exponent, 2 mantissa bits, bias 16.
/// No Inf, no -0: 0x80 is the only NaN. Subnormals present.
///
///   S EEEEE MM      value
///   0 11111 11  ->  +57344         max (0x7F)
///   0 00001 00  ->  +2^-15         min normal (0x04)
///   0 00000 01  ->  +2^-17         min subnormal (0x01)
///
/// Spec: ml_dtypes float8_e5m2fnuz (arXiv:2206.02915).
struct float8_e5m2fnuz_spec : fp_spec<5, 2, 16, specials::nan_only_no_negzero> {
  static constexpr char const name[] = "float8_e5m2fnuz";
};
using float8_e5m2fnuz = minifloat<float8_e5m2fnuz_spec>;
SPARQ_NAMESPACE_END
