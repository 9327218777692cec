// SPDX-License-Identifier: Apache-2.0
// The int8 format: spec card and alias. Limits and codecs are generic (minifloat.hpp, intn.hpp).
#pragma once

#include <sparq/format/intn.hpp>

SPARQ_NAMESPACE_BEGIN

/// INT8, two's complement: -128..127. The MXINT8 element (with an implicit 2^-6) and the int8
/// group formats. From float: nearest even, saturate.
struct int8_spec : int_spec<8, true> {
  static constexpr char const name[] = "int8";
};
using int8 = intn<int8_spec>;
SPARQ_NAMESPACE_END
