// SPDX-License-Identifier: Apache-2.0
// sparq::prepack: quantized weights reordered for the kernels of one arch. Groups of G rows are
// interleaved chunk by chunk (the G rows' first chunk, then their next, ...), so the GEMV reads
// one sequential stream per task and a GEMM panel's rows arrive together; scales and zero points
// (one byte each) are interleaved the same way and chunks past K are zero-masked. G is the arch's
// kernel::simd::arch_traits<Arch>::prepack_rows, as oneDNN and FBGEMM pick their packed layouts
// per ISA; the canonical quantized_matrix stays the exchange format.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include <sparq/core/aligned_buffer.hpp>
#include <sparq/core/config.hpp>
#include <sparq/kernel/source/addressing.hpp>
#include <sparq/kernel/source/quantized.hpp>
#include <sparq/layout/quantized_matrix.hpp>
#include <sparq/simd/arch.hpp>
#include <sparq/simd/arch_traits.hpp>

SPARQ_NAMESPACE_BEGIN

/// Quantized weights in the interleaved order of groups of Group rows (an arch's choice: use
/// sparq::prepack<Arch>). Owns its memory; sparq::gemm takes it in place of W, with results
/// identical to the canonical layout's.
template <class F, std::size_t Group = 8>
class prepacked {
  static_assert(detail::chunk_policy<F>::fused, "sparq::prepack: block sizes of 16 or a multiple of 32 only");

 public:
  using format = F;
  using addressing = detail::interleaved_addressing<F, Group>;
  using source_type = detail::quantized_source<F, addressing>;
  using scale_type = typename addressing::scale_type;
  static constexpr std::size_t group = Group;

  prepacked() = default;
  explicit prepacked(quantized_matrix_view<F> const& w) { fill(detail::canonical_source(w)); }
  /// From any quantized source of format F (a foreign layout: kernel/source/ggml_blocks.hpp),
  /// read chunk by chunk in sparq's packing.
  template <class Source, class = std::enable_if_t<std::is_same<typename Source::format, F>::value>>
  explicit prepacked(Source const& src) {
    fill(src);
  }

  std::size_t rows() const noexcept { return rows_; }
  std::size_t cols() const noexcept { return cols_; }
  /// Bytes the kernels read: codes + scales (+ zero points), padding included.
  std::size_t bytes() const noexcept { return codes_.size() + scales_.size() + zeros_.size(); }

  /// The weight source over this layout (kernel/source/concept.hpp).
  source_type source() const noexcept {
    return source_type(addressing(codes_.data(), reinterpret_cast<scale_type const*>(scales_.data()), zeros_.data(),
                                  chunks_, blocks_),
                       rows_, cols_, tensor_decode_);
  }

 private:
  template <class Source>
  void fill(Source const& src) {
    rows_ = src.rows();
    cols_ = src.cols();
    chunks_ = src.chunks();
    blocks_ = src.blocks();
    tensor_decode_ = src.tensor_decode();
    std::size_t const groups = (rows_ + Group - 1) / Group, cb = addressing::chunk_bytes;
    codes_ = aligned_buffer(groups * chunks_ * Group * cb);
    scales_ = aligned_buffer(groups * blocks_ * Group * sizeof(scale_type));
    zeros_ = aligned_buffer(source_type::has_zero ? groups * blocks_ * Group : 0);
    std::uint8_t* const codes = codes_.data();
    for (std::size_t r = 0; r < rows_; ++r) {
      for (std::size_t c = 0; c < chunks_; ++c) src.chunk_copy(r, c, codes + addressing::chunk_offset(r, c, chunks_));
      for (std::size_t b = 0; b < blocks_; ++b) {
        std::size_t const at = addressing::block_offset(r, b, blocks_);
        scale_type const s = src.where().scale_code(r, b);
        std::memcpy(scales_.data() + at * sizeof(scale_type), &s, sizeof(scale_type));
        if constexpr (source_type::has_zero) zeros_.data()[at] = static_cast<std::uint8_t>(src.zero_code(r, b));
      }
    }
  }

  aligned_buffer codes_, scales_, zeros_;
  std::size_t rows_ = 0, cols_ = 0, chunks_ = 0, blocks_ = 0;
  float tensor_decode_ = 1.0f;
};

/// W reordered for Arch's kernels (default: the build's arch); sparq::gemm takes it in place of W.
template <class Arch = default_arch, class F>
auto prepack(quantized_matrix_view<F> const& w) {
  return prepacked<F, kernel::simd::arch_traits<Arch>::prepack_rows>(w);
}
template <class Arch = default_arch, class F>
auto prepack(quantized_matrix<F> const& w) {
  return prepack<Arch>(w.view());
}

SPARQ_NAMESPACE_END
