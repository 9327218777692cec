// SPDX-License-Identifier: Apache-2.0
// AVX2 (with FMA and F16C): every overload that beats the generic forms, one line per file. The
// overloads take xsimd::avx2 const& and so serve xsimd::fma3<xsimd::avx2> builds too.
#pragma once

#include <sparq/simd/x86_avx2/codes.hpp>
#include <sparq/simd/x86_avx2/convert.hpp>
#include <sparq/simd/x86_avx2/decode_chunk.hpp>
#include <sparq/simd/x86_avx2/gemv4.hpp>
#include <sparq/simd/x86_avx2/int8_chunk.hpp>
#include <sparq/simd/x86_avx2/pack.hpp>
#include <sparq/simd/x86_avx2/sparse.hpp>
