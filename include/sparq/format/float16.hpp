// SPDX-License-Identifier: Apache-2.0
// The float16 format: spec card and alias. Limits and codecs are generic (minifloat.hpp, intn.hpp).
#pragma once

#include <sparq/format/minifloat.hpp>

SPARQ_NAMESPACE_BEGIN

/// IEEE 754 binary16, an activation format: 1 sign, 5 exponent, 10 mantissa bits, bias 15.
/// Keeps IEEE semantics by default: overflow to Inf, Inf and NaN preserved (canonical NaN 0x7E00).
///
///   S EEEEE MMMMMMMMMM     value
///   0 11110 1111111111 ->  +65504         max (0x7BFF)
///   0 00001 0000000000 ->  +2^-14         min normal (0x0400)
///   0 00000 0000000001 ->  +2^-24         min subnormal (0x0001)
///
/// Spec: IEEE 754-2019 binary16.
struct float16_spec : fp_spec<5, 10, 15, specials::ieee, true, overflow::ieee_t> {
  static constexpr char const name[] = "float16";
};
using float16 = minifloat<float16_spec>;
SPARQ_NAMESPACE_END
