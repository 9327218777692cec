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

#include <sparq/core/config.hpp>

SPARQ_ARCH_NAMESPACE_BEGIN
/// The arch tag of builds without SIMD: kernels take their scalar forms.
struct no_simd_arch {};
#if SPARQ_SIMD
/// The arch the entry points use unless told otherwise: what the build compiles for.
using default_arch = xsimd::default_arch;
#else
using default_arch = no_simd_arch;
#endif
SPARQ_ARCH_NAMESPACE_END
