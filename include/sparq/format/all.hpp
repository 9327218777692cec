// SPDX-License-Identifier: Apache-2.0
// The list of element formats: the one place to add a format. Tests and benchmarks iterate it.
#pragma once

#include <sparq/core/type_list.hpp>
#include <sparq/format/bfloat16.hpp>
#include <sparq/format/block.hpp>
#include <sparq/format/float16.hpp>
#include <sparq/format/float4_e2m1fn.hpp>
#include <sparq/format/float6_e2m3fn.hpp>
#include <sparq/format/float6_e3m2fn.hpp>
#include <sparq/format/float8_e4m3fn.hpp>
#include <sparq/format/float8_e4m3fnuz.hpp>
#include <sparq/format/float8_e5m2.hpp>
#include <sparq/format/float8_e5m2fnuz.hpp>
#include <sparq/format/float8_e8m0fnu.hpp>
#include <sparq/format/int2.hpp>
#include <sparq/format/int4.hpp>
#include <sparq/format/int8.hpp>
#include <sparq/format/traits.hpp>
#include <sparq/format/uint2.hpp>
#include <sparq/format/uint4.hpp>
#include <sparq/format/uint8.hpp>

SPARQ_NAMESPACE_BEGIN

/// Every element format, quantized formats first, then the activation formats.
using element_formats =
    type_list<float8_e4m3fn, float8_e5m2, float8_e4m3fnuz, float8_e5m2fnuz, float6_e2m3fn,
              float6_e3m2fn, float4_e2m1fn, float8_e8m0fnu, int8, uint8, int4, uint4, int2, uint2,
              bfloat16, float16>;

/// The formats of at most 8 bits: weights and scales (each has a decode table).
using quantized_formats =
    type_list<float8_e4m3fn, float8_e5m2, float8_e4m3fnuz, float8_e5m2fnuz, float6_e2m3fn,
              float6_e3m2fn, float4_e2m1fn, float8_e8m0fnu, int8, uint8, int4, uint4, int2, uint2>;

/// The named block formats: MX (OCP v1.0), NVFP4, the integer group formats of common
/// checkpoints (symmetric int8 / int4 groups, AWQ-style uint4 with zero points), and FP8 E4M3
/// groups of 128 with float scales (the rows of DeepSeek-V3's 128 x 128 tiles).
using block_formats = type_list<mxfp8_e4m3, mxfp8_e5m2, mxfp6_e2m3, mxfp6_e3m2, mxfp4, mxint8, nvfp4, int8_group<32>,
                                int4_group<128>, uint4_group_zp<64, float>, uint4_group_zp<128, float16>,
                                fp8_group<128>>;

/// Formats the runtime-dispatch library holds besides every element and named block format: the
/// 32-value int4 groups of GPTQ-style checkpoints, and the int4 / int8 groups of 32 with float16
/// scales that ggml's Q4_0 / Q8_0 blocks hold (what sparq::prepack makes of a GGUF tensor).
using runtime_extra_formats = type_list<int4_group<32>, int4_group<32, float16>, int8_group<32, float16>>;

/// The runtime library's formats when built with SPARQ_RUNTIME_FORMATS=core: the 4- and 8-bit
/// formats of common checkpoints (MXFP4, NVFP4, int4 groups of 32 and 128, int8 groups of 32, ggml's
/// Q4_0 / Q8_0 forms, FP8 groups of 128, FP8 E4M3 and INT8 per row). Others run the header kernels.
using runtime_core_formats = type_list<mxfp4, nvfp4, int4_group<32>, int4_group<128>, int8_group<32>,
                                       int4_group<32, float16>, int8_group<32, float16>, fp8_group<128>,
                                       float8_e4m3fn, int8>;

SPARQ_NAMESPACE_END
