// SPDX-License-Identifier: Apache-2.0
// Explicit instantiation of sparq's heavy templates, so that one translation unit of an engine
// compiles the kernels and every other one only declares them. In a header the engine's files
// share:
//
//   using mxfp4_weights = sparq::quantized_matrix<sparq::mxfp4>;
//   SPARQ_EXTERN_GEMM(sparq::auto_arch, float const, mxfp4_weights, float, sparq::thread_pool)
//   SPARQ_EXTERN_QUANTIZE(sparq::mxfp4, float const, sparq::serial_executor)
//
// and in the one file that compiles them, the same lines with SPARQ_INSTANTIATE_GEMM and
// SPARQ_INSTANTIATE_QUANTIZE. Arguments: the arch (sparq::auto_arch, what a call without an arch
// uses, or an xsimd tag), A's element type as the view holds it (float const, float, bfloat16 const ...), W's type, C's
// element type, the executor type; for quantize the format, the view's element type and the
// executor. Type names with commas need an alias first (as mxfp4_weights above).
// examples/extern_gemm/ is the worked example; docs/design.md section 5 has the numbers.
#pragma once

#include <sparq/core/executor.hpp>
#include <sparq/kernel/gemm.hpp>
#include <sparq/quantize/quantize.hpp>

#define SPARQ_GEMM_INSTANCE(ARCH, TA, W, TC, EXECUTOR)                                                   \
  void ::sparq::gemm<ARCH, TA, W, TC, EXECUTOR>(::sparq::matrix_view<TA> const&, W const&,               \
                                                ::sparq::matrix_view<TC> const&, ::sparq::gemm_options const&, \
                                                EXECUTOR const&);
#define SPARQ_EXTERN_GEMM(ARCH, TA, W, TC, EXECUTOR) extern template SPARQ_GEMM_INSTANCE(ARCH, TA, W, TC, EXECUTOR)
#define SPARQ_INSTANTIATE_GEMM(ARCH, TA, W, TC, EXECUTOR) template SPARQ_GEMM_INSTANCE(ARCH, TA, W, TC, EXECUTOR)

#define SPARQ_QUANTIZE_INSTANCE(FORMAT, T, EXECUTOR)                                           \
  ::sparq::quantized_matrix<FORMAT> sparq::quantize<FORMAT, T, EXECUTOR>(                      \
      ::sparq::matrix_view<T> const&, ::sparq::quantize_options const&, EXECUTOR const&);
#define SPARQ_EXTERN_QUANTIZE(FORMAT, T, EXECUTOR) extern template SPARQ_QUANTIZE_INSTANCE(FORMAT, T, EXECUTOR)
#define SPARQ_INSTANTIATE_QUANTIZE(FORMAT, T, EXECUTOR) template SPARQ_QUANTIZE_INSTANCE(FORMAT, T, EXECUTOR)
