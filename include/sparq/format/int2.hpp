// SPDX-License-Identifier: Apache-2.0
// The int2 format: spec card and alias. Limits and codecs are generic (minifloat.hpp, intn.hpp).
#pragma once

#include <sparq/format/intn.hpp>

SPARQ_NAMESPACE_BEGIN

/// INT2, two's complement: -2..1 (0x2 = -2, 0x3 = -1). Packed four per byte, lowest first.
struct int2_spec : int_spec<2, true> {
  static constexpr char const name[] = "int2";
};
using int2 = intn<int2_spec>;
SPARQ_NAMESPACE_END
