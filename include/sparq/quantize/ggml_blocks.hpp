// SPDX-License-Identifier: Apache-2.0
// sparq::dequantize of ggml block layouts (layout/ggml_blocks.hpp): value = element(code) * scale,
// one float multiplication per value as ggml's and gguf-py's dequantizers compute it, so the
// results are theirs bit for bit (docs/formats.md states the one exponent where MXFP4 differs).
#pragma once

#include <cstddef>
#include <string>

#include <sparq/core/config.hpp>
#include <sparq/core/error.hpp>
#include <sparq/core/executor.hpp>
#include <sparq/layout/ggml_blocks.hpp>
#include <sparq/layout/matrix_view.hpp>

SPARQ_NAMESPACE_BEGIN

/// The float values of a ggml block matrix, written to out (N x K, any ld).
/// @pre out is w.rows() x w.cols(); otherwise sparq::invalid_argument and out is untouched.
template <class Block, class Executor = serial_executor>
void dequantize(ggml_matrix_view<Block> const& w, matrix_view<float> const& out, Executor const& executor = {}) {
  detail::check_view(out, "sparq::dequantize", "out");
  if (out.rows() != w.rows() || out.cols() != w.cols()) {
    SPARQ_THROW(invalid_argument, "sparq::dequantize: argument 'out' is " + std::to_string(out.rows()) + " x " +
                                      std::to_string(out.cols()) + ", expected " + std::to_string(w.rows()) + " x " +
                                      std::to_string(w.cols()));
  }
  executor.parallel_for(w.rows(), [&](std::size_t r) {
    float* const dst = out.row(r);
    for (std::size_t b = 0; b < w.blocks_per_row(); ++b) {
      std::uint8_t const* const block = w.block_at(r, b);
      float const scale = static_cast<float>(Block::scale(block));
      for (std::size_t u = 0; u < Block::values; ++u) {
        dst[b * Block::values + u] = static_cast<float>(Block::code(block, u)) * scale;
      }
    }
  });
}

SPARQ_NAMESPACE_END
