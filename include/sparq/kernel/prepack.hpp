// SPDX-License-Identifier: Apache-2.0
// sparq::prepack: quantized weights reordered for the kernels. Groups of 8 rows are interleaved
// chunk by chunk (the 8 rows' first 32 codes, then their next 32, ...), so the GEMV reads one
// sequential stream per task and a GEMM panel's rows arrive together; scales and zero points are
// interleaved the same way. The canonical quantized_matrix stays the exchange format; the
// prepacked copy is an in-memory form for this build's kernels.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include <sparq/core/aligned_buffer.hpp>
#include <sparq/core/config.hpp>
#include <sparq/kernel/gemm/weights.hpp>
#include <sparq/layout/quantized_matrix.hpp>

SPARQ_NAMESPACE_BEGIN

template <class F>
class prepacked {
  static_assert(detail::gemm_unit<F>::fused, "sparq::prepack: block sizes of 16 or a multiple of 32 only");

 public:
  using format = F;
  using weights_type = detail::quantized_weights<F, detail::weight_order::interleaved>;
  using scale_type = typename weights_type::scale_type;
  static constexpr std::size_t group = detail::interleave_rows;

  prepacked() = default;
  explicit prepacked(quantized_matrix_view<F> const& w) : rows_(w.rows()), cols_(w.cols()) {
    detail::quantized_weights<F> const src(w);
    chunks_ = src.chunks();
    blocks_ = w.blocks_per_row();
    tensor_decode_ = w.tensor_decode();
    std::size_t const groups = (rows_ + group - 1) / group, cb = weights_type::chunk_bytes;
    codes_ = aligned_buffer(groups * chunks_ * group * cb);
    scales_ = aligned_buffer(groups * blocks_ * group * sizeof(scale_type));
    zeros_ = aligned_buffer(weights_type::has_zero ? groups * blocks_ * group : 0);
    weights_type const dst = weights();
    for (std::size_t r = 0; r < rows_; ++r) {
      for (std::size_t c = 0; c < chunks_; ++c) src.chunk_copy(r, c, const_cast<std::uint8_t*>(dst.chunk(r, c)));
      for (std::size_t b = 0; b < blocks_; ++b) {
        std::size_t const at = ((r / group) * blocks_ + b) * group + r % group;
        scale_type const s = src.scale_code(r, b);
        std::memcpy(scales_.data() + at * sizeof(scale_type), &s, sizeof(scale_type));
        if constexpr (weights_type::has_zero) zeros_.data()[at] = static_cast<std::uint8_t>(src.zero_code(r, b));
      }
    }
  }

  std::size_t rows() const noexcept { return rows_; }
  std::size_t cols() const noexcept { return cols_; }
  /// Bytes the kernels read: codes + scales (+ zero points), padding included.
  std::size_t bytes() const noexcept { return codes_.size() + scales_.size() + zeros_.size(); }

  weights_type weights() const noexcept {
    return weights_type(codes_.data(), reinterpret_cast<scale_type const*>(scales_.data()), zeros_.data(), rows_,
                        cols_, 0, blocks_, 0, tensor_decode_);
  }

 private:
  aligned_buffer codes_, scales_, zeros_;
  std::size_t rows_ = 0, cols_ = 0, chunks_ = 0, blocks_ = 0;
  float tensor_decode_ = 1.0f;
};

/// W reordered for this build's kernels; sparq::gemm takes it in place of W.
template <class F>
prepacked<F> prepack(quantized_matrix_view<F> const& w) {
  return prepacked<F>(w);
}
template <class F>
prepacked<F> prepack(quantized_matrix<F> const& w) {
  return prepacked<F>(w.view());
}

SPARQ_NAMESPACE_END
