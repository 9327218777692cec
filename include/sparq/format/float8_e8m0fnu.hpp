// SPDX-License-Identifier: Apache-2.0
// The float8_e8m0fnu format: spec card and alias. Limits and codecs are generic (minifloat.hpp, intn.hpp).
#pragma once

#include <sparq/format/minifloat.hpp>

SPARQ_NAMESPACE_BEGIN

/// OCP MX scale E8M0 ("fnu": finite, unsigned). 8 exponent bits, no sign, no mantissa, bias 127.
/// Code c is 2^(c - 127): no zero, no subnormals, 0xFF is NaN.
///
///   EEEEEEEE        value
///   11111110    ->  2^127          max (0xFE)
///   01111111    ->  1.0            (0x7F)
///   00000000    ->  2^-127         min (0x00; a float32 subnormal)
///
/// From a value: nearest power of two, ties up (1.5 -> 2). Under the default policy zero and
/// negative values give 0x00 and +Inf gives 0xFE; under overflow::ieee they give NaN, as ml_dtypes.
/// MX block scales are computed by the block scale rule, never by this value cast.
/// Spec: OCP Microscaling Formats (MX) v1.0, section 5.4.1.
struct float8_e8m0fnu_spec : fp_spec<8, 0, 127, specials::nan_only_no_zero, /*Signed=*/false> {
  static constexpr char const name[] = "float8_e8m0fnu";
};
using float8_e8m0fnu = minifloat<float8_e8m0fnu_spec>;
SPARQ_NAMESPACE_END
