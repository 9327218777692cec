// SPDX-License-Identifier: Apache-2.0
// The uint2 format: spec card and alias. Limits and codecs are generic (minifloat.hpp, intn.hpp).
#pragma once

#include <sparq/format/intn.hpp>

SPARQ_NAMESPACE_BEGIN

/// UINT2: 0..3. Packed four per byte, lowest first.
struct uint2_spec : int_spec<2, false> {
  static constexpr char const name[] = "uint2";
};
using uint2 = intn<uint2_spec>;
SPARQ_NAMESPACE_END
