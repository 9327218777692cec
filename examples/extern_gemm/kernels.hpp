// SPDX-License-Identifier: Apache-2.0
// The engine's shared declaration of the sparq instantiations it uses: every file that includes
// this header calls them without compiling them; kernels.cpp compiles them once.
#pragma once

#include <sparq/kernel/instantiate.hpp>

namespace engine {
using mxfp4_weights = sparq::quantized_matrix<sparq::mxfp4>;
using nvfp4_weights = sparq::quantized_matrix<sparq::nvfp4>;
using mxfp8_weights = sparq::quantized_matrix<sparq::mxfp8_e4m3>;
using int4_weights = sparq::quantized_matrix<sparq::int4_group<32>>;
using int8_weights = sparq::quantized_matrix<sparq::int8_group<32>>;
}  // namespace engine

#define ENGINE_SPARQ_INSTANCES(GEMM, QUANTIZE)                                                  \
  GEMM(sparq::auto_arch, float const, engine::mxfp4_weights, float, sparq::serial_executor) \
  GEMM(sparq::auto_arch, float const, engine::nvfp4_weights, float, sparq::serial_executor) \
  GEMM(sparq::auto_arch, float const, engine::mxfp8_weights, float, sparq::serial_executor) \
  GEMM(sparq::auto_arch, float const, engine::int4_weights, float, sparq::serial_executor)  \
  GEMM(sparq::auto_arch, float const, engine::int8_weights, float, sparq::serial_executor)  \
  QUANTIZE(sparq::mxfp4, float const, sparq::serial_executor)                                  \
  QUANTIZE(sparq::nvfp4, float const, sparq::serial_executor)                                  \
  QUANTIZE(sparq::mxfp8_e4m3, float const, sparq::serial_executor)                             \
  QUANTIZE(sparq::int4_group<32>, float const, sparq::serial_executor)                         \
  QUANTIZE(sparq::int8_group<32>, float const, sparq::serial_executor)

#ifndef ENGINE_COMPILES_SPARQ
ENGINE_SPARQ_INSTANCES(SPARQ_EXTERN_GEMM, SPARQ_EXTERN_QUANTIZE)
#endif
