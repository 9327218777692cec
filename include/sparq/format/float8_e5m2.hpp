// SPDX-License-Identifier: Apache-2.0
// The float8_e5m2 format: spec card and alias. Limits and codecs are generic (minifloat.hpp, intn.hpp).
#pragma once

#include <sparq/format/minifloat.hpp>

SPARQ_NAMESPACE_BEGIN

/// OCP FP8 E5M2 (IEEE-like). 1 sign, 5 exponent, 2 mantissa bits, bias 15.
/// S.11111.00 is +-Inf (0x7C, 0xFC); S.11111.{01,10,11} are NaN (canonical 0x7E); -0 is 0x80.
///
///   S EEEEE MM      value
///   0 11110 11  ->  +57344         max (0x7B)
///   0 00001 00  ->  +2^-14         min normal (0x04)
///   0 00000 01  ->  +2^-16         min subnormal (0x01)
///
/// Spec: OCP OFP8 rev 1.0; ml_dtypes float8_e5m2.
struct float8_e5m2_spec : fp_spec<5, 2, 15, specials::ieee> {
  static constexpr char const name[] = "float8_e5m2";
};
using float8_e5m2 = minifloat<float8_e5m2_spec>;
SPARQ_NAMESPACE_END
