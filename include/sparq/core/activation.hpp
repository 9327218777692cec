// SPDX-License-Identifier: Apache-2.0
// The activation functions a GEMM epilogue applies (sparq::gemm_options::activation).
#pragma once

#include <sparq/core/config.hpp>

SPARQ_NAMESPACE_BEGIN

/// f(v) applied to each output after alpha, beta and bias:
///   none        v
///   relu        max(v, 0) (NaN stays NaN)
///   silu        v / (1 + exp(-v))
///   gelu_tanh   0.5 v (1 + tanh(sqrt(2 / pi) (v + 0.044715 v^3)))   (GPT-2, most LLMs)
///   gelu_erf    0.5 v (1 + erf(v / sqrt(2)))                        (BERT)
enum class activation { none, relu, silu, gelu_tanh, gelu_erf };

SPARQ_NAMESPACE_END
