// SPDX-License-Identifier: Apache-2.0
// The arch registry, the one place per-arch code is included: one line per arch header, then the
// generic forms of every primitive (chunk decode, chunk image, int8 dot, memory movers, prefix
// packers). An overload takes an xsimd arch tag; the most derived tag that the build's arch
// inherits wins, and the generic form (xsimd::generic) serves every other arch. Arch headers come
// first so that generic forms which call other primitives see the arch overloads.
//
// Adding an arch: one header (simd/<arch>.hpp including its files) and one line here.
#pragma once

#include <sparq/simd/arch.hpp>

#if SPARQ_SIMD
#include <xsimd/xsimd.hpp>

#include <sparq/simd/gemv4.hpp>
#include <sparq/simd/lanes.hpp>

#if XSIMD_WITH_AVX2 && defined(__F16C__)
#include <sparq/simd/x86_avx2.hpp>
#endif
#if XSIMD_WITH_AVX512BW && defined(__F16C__)
#include <sparq/simd/x86_avx512.hpp>
#endif
#if XSIMD_WITH_NEON64
#include <sparq/simd/arm_neon.hpp>
#endif

#include <sparq/simd/generic/convert.hpp>
#include <sparq/simd/generic/decode_chunk.hpp>
#include <sparq/simd/generic/int8_chunk.hpp>
#include <sparq/simd/generic/pack.hpp>
#include <sparq/simd/generic/sparse.hpp>
#endif
