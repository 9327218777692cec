// SPDX-License-Identifier: Apache-2.0
// sparq umbrella header: includes the public headers, nothing else.
#pragma once

#include <sparq/core/config.hpp>
#include <sparq/core/aligned_buffer.hpp>
#include <sparq/core/activation.hpp>
#include <sparq/core/error.hpp>
#include <sparq/core/executor.hpp>
#include <sparq/core/openmp_executor.hpp>
#include <sparq/core/span.hpp>
#include <sparq/core/type_list.hpp>
#include <sparq/format/all.hpp>
#include <sparq/format/block.hpp>
#include <sparq/format/convert.hpp>
#include <sparq/format/policy.hpp>
#include <sparq/format/traits.hpp>
#include <sparq/interop/npy.hpp>
#include <sparq/interop/safetensors.hpp>
#include <sparq/convert/convert.hpp>
#include <sparq/kernel/gemm.hpp>
#include <sparq/kernel/grouped.hpp>
#include <sparq/kernel/instantiate.hpp>
#include <sparq/convert/pack.hpp>
#include <sparq/kernel/prepack.hpp>
#include <sparq/kernel/reference/gemm.hpp>
#include <sparq/kernel/reference/gemm_int8.hpp>
#include <sparq/layout/gemm_shapes.hpp>
#include <sparq/layout/matrix_view.hpp>
#include <sparq/layout/quantized_activations.hpp>
#include <sparq/layout/packing.hpp>
#include <sparq/layout/quantized_matrix.hpp>
#include <sparq/quantize/block.hpp>
#include <sparq/quantize/metrics.hpp>
#include <sparq/quantize/quantize.hpp>
#include <sparq/quantize/types.hpp>
