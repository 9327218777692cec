// SPDX-License-Identifier: Apache-2.0
// AVX-512 (F, CD, DQ, BW, with F16C): every overload that beats the generic forms, one line per
// file. xsimd 8's avx512bw tag does not derive from avx2, so the AVX2 overloads never apply to
// it: these files widen the shared x86 steps (x86_avx2/codes.hpp, decode_chunk.hpp,
// int8_chunk.hpp) to 16-lane batches themselves.
#pragma once

#include <sparq/simd/x86_avx512/decode_chunk.hpp>
#include <sparq/simd/x86_avx512/int8_chunk.hpp>
