// SPDX-License-Identifier: Apache-2.0
// Whether the vector kernels are compiled: SPARQ_SIMD is 1 unless the user defines SPARQ_NO_SIMD
// or xsimd finds no instruction set for the build; entry points then use the reference loops.
#pragma once

#if !defined(SPARQ_NO_SIMD)
#include <xsimd/xsimd.hpp>
#if defined(XSIMD_NO_SUPPORTED_ARCHITECTURE)
#define SPARQ_NO_SIMD 1
#endif
#endif

#if defined(SPARQ_NO_SIMD)
#define SPARQ_SIMD 0
#else
#define SPARQ_SIMD 1
#endif
