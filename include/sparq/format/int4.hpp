// SPDX-License-Identifier: Apache-2.0
// The int4 format: spec card and alias. Limits and codecs are generic (minifloat.hpp, intn.hpp).
#pragma once

#include <sparq/format/intn.hpp>

SPARQ_NAMESPACE_BEGIN

/// INT4, two's complement: -8..7, stored in the low nibble (0x8 = -8, 0xF = -1). Packed two per
/// byte, element 2i in the low nibble. From float: nearest even, saturate.
struct int4_spec : int_spec<4, true> {
  static constexpr char const name[] = "int4";
};
using int4 = intn<int4_spec>;
SPARQ_NAMESPACE_END
