// SPDX-License-Identifier: Apache-2.0
// The uint4 format: spec card and alias. Limits and codecs are generic (minifloat.hpp, intn.hpp).
#pragma once

#include <sparq/format/intn.hpp>

SPARQ_NAMESPACE_BEGIN

/// UINT4: 0..15, stored in the low nibble; the AWQ/GPTQ code with a zero point.
struct uint4_spec : int_spec<4, false> {
  static constexpr char const name[] = "uint4";
};
using uint4 = intn<uint4_spec>;
SPARQ_NAMESPACE_END
