// SPDX-License-Identifier: Apache-2.0
// The one translation unit that compiles the engine's sparq kernels.
#define ENGINE_COMPILES_SPARQ
#include "kernels.hpp"

ENGINE_SPARQ_INSTANCES(SPARQ_INSTANTIATE_GEMM, SPARQ_INSTANTIATE_QUANTIZE)
