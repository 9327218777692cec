// SPDX-License-Identifier: Apache-2.0
// The arch registry: one include line per architecture whose overloads beat the generic kernels.
// Overloads take an xsimd arch tag; the most derived tag that the build's arch inherits wins.
#pragma once

#include <xsimd/xsimd.hpp>

#if XSIMD_WITH_AVX2
#include <sparq/kernel/cpu/x86_avx2/convert.hpp>
#include <sparq/kernel/cpu/x86_avx2/pack.hpp>
#endif
