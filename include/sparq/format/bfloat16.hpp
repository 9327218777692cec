// SPDX-License-Identifier: Apache-2.0
// The bfloat16 format: spec card and alias. Limits and codecs are generic (minifloat.hpp, intn.hpp).
#pragma once

#include <sparq/format/minifloat.hpp>

SPARQ_NAMESPACE_BEGIN

/// bfloat16, the activation format: IEEE-like, 1 sign, 8 exponent, 7 mantissa bits, bias 127.
/// Keeps IEEE semantics by default: overflow to Inf, Inf and NaN preserved (canonical NaN 0x7FC0).
///
///   S EEEEEEEE MMMMMMM     value
///   0 11111110 1111111 ->  +3.3895314e38   max (0x7F7F)
///   0 00000001 0000000 ->  +2^-126         min normal (0x0080)
///   0 00000000 0000001 ->  +2^-133         min subnormal (0x0001)
///
/// Spec: the top half of IEEE 754 binary32; ml_dtypes bfloat16.
struct bfloat16_spec : fp_spec<8, 7, 127, specials::ieee, true, overflow::ieee_t> {
  static constexpr char const name[] = "bfloat16";
};
using bfloat16 = minifloat<bfloat16_spec>;
SPARQ_NAMESPACE_END
