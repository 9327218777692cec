// SPDX-License-Identifier: Apache-2.0
// AVX-512 (F, CD, DQ, BW, with F16C): every overload that beats the generic forms, one line per
// file. xsimd 8's avx512bw tag does not derive from avx2, so the AVX2 overloads never apply to
// it: these files widen the shared x86 steps (x86_avx2/codes.hpp, decode_chunk.hpp,
// int8_chunk.hpp) to 16-lane batches themselves.
#pragma once

#include <sparq/simd/arch_traits.hpp>
#include <sparq/simd/x86_avx512/decode_chunk.hpp>
#include <sparq/simd/x86_avx512/int8_chunk.hpp>
#include <sparq/simd/x86_avx512/sparse.hpp>

SPARQ_ARCH_NAMESPACE_BEGIN
namespace kernel {
namespace simd {

/// int8_activations on AVX-512 runs the AVX2 kernels (compiled with AVX-512's flags): the integer
/// dot of a 32-value chunk fills one 256-bit vector, and widening it to 512 bits made the GEMV
/// 10-25 % slower than AVX2's on Zen 4 (bench_gemm, M = 1, mxfp4 / int8_g32 / awq4_g128).
#if XSIMD_WITH_FMA3_AVX2
///
/// The bitmap GEMV runs AVX2's byte-wise permute compress on rows of 40 % density and more: it
/// beat every AVX-512 compress tried on Zen 5 (bench_sparse, bitmap float at 10 % density, 4096 x
/// 4096, M = 1, one thread: AVX2 1.11 ms; VCOMPRESSPS register form and a store per 16 columns
/// 1.34 ms; the kept values expanded into their columns by VEXPANDPS from memory 1.64 ms, by a
/// VPERMPS on a table-built index 1.18 ms). Sparser rows gather (bitmap_gather): 16-bit column
/// indices by VPCOMPRESSW, then VGATHERDPS, 1.38x AVX2's time at 10 % and 1.6x at 5 %, 0.94x at
/// 50 % (the crossover).
template <>
struct arch_traits<xsimd::avx512bw> : arch_traits<void> {
  using int8_arch = xsimd::fma3<xsimd::avx2>;
  using bitmap_arch = xsimd::fma3<xsimd::avx2>;
  static constexpr bool bitmap_gather = true;
};
#endif

}  // namespace simd
}  // namespace kernel
SPARQ_ARCH_NAMESPACE_END
