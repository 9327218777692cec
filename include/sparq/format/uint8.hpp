// SPDX-License-Identifier: Apache-2.0
// The uint8 format: spec card and alias. Limits and codecs are generic (minifloat.hpp, intn.hpp).
#pragma once

#include <sparq/format/intn.hpp>

SPARQ_NAMESPACE_BEGIN

/// UINT8: 0..255. From float: nearest even, saturate.
struct uint8_spec : int_spec<8, false> {
  static constexpr char const name[] = "uint8";
};
using uint8 = intn<uint8_spec>;
SPARQ_NAMESPACE_END
