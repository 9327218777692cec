// SPDX-License-Identifier: Apache-2.0
// NEON on AArch64 (with the dot-product extension where the build enables it): every overload that
// beats the generic forms, one line per file. The overloads take xsimd::neon64 const&.
#pragma once

#include <sparq/simd/arm_neon/convert.hpp>
#include <sparq/simd/arm_neon/decode_chunk.hpp>
#include <sparq/simd/arm_neon/int8_chunk.hpp>
