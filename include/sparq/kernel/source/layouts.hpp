// SPDX-License-Identifier: Apache-2.0
// The registry of layout sources: one line per layout whose header defines
// make_weight_source(container) (found by argument-dependent lookup), which sparq::gemm calls
// for W of that type. Adding a layout: one header and one line here.
#pragma once

#include <sparq/kernel/source/bitmap_sparse.hpp>
#include <sparq/kernel/source/dense_and_sparse.hpp>
#include <sparq/kernel/source/ggml_blocks.hpp>
#include <sparq/kernel/source/nm_sparse.hpp>
#include <sparq/kernel/source/tiled.hpp>
