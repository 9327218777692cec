// SPDX-License-Identifier: Apache-2.0
// The weight source of ggml block layouts (layout/ggml_blocks.hpp), read where they lie: the
// quantized source (quantized.hpp) with an addressing policy that finds block b of row r (its
// scale at the block's start, its codes after it) and a codec that reorders a block's codes into
// sparq's packing before the arch's decode (ggml's split halves, Q4_0's q ^ 8). sparq::prepack
// converts the blocks once, losslessly, into sparq's interleaved layout of the same format, the
// fast path; the view itself serves a first call without the copy.
#pragma once

#include <cstddef>
#include <cstdint>

#include <sparq/core/config.hpp>
#include <sparq/kernel/prepack.hpp>
#include <sparq/kernel/source/addressing.hpp>
#include <sparq/kernel/source/codec.hpp>
#include <sparq/kernel/source/quantized.hpp>
#include <sparq/layout/ggml_blocks.hpp>
#include <sparq/simd/arch.hpp>

SPARQ_NAMESPACE_BEGIN
namespace detail {

/// Row r's chunk c is block c of the row (the pointer is the block's start, scale included).
template <class Block>
class ggml_addressing : public addressing_types<typename Block::format> {
 public:
  using typename addressing_types<typename Block::format>::scale_type;
  static constexpr bool chunk_tail = false;  // K is a multiple of 32: every block is whole

  explicit ggml_addressing(ggml_matrix_view<Block> const& w) noexcept : w_(w) {}

  std::uint8_t const* chunk(std::size_t r, std::size_t c) const noexcept { return w_.block_at(r, c); }
  std::size_t row_bytes_left(std::size_t, std::size_t c) const noexcept { return (w_.blocks_per_row() - c) * Block::bytes; }
  static constexpr std::size_t chunk_stride() noexcept { return Block::bytes; }
  scale_type scale_code(std::size_t r, std::size_t b) const noexcept { return Block::scale(w_.block_at(r, b)); }
  unsigned zero_code(std::size_t, std::size_t) const noexcept { return 0; }

 private:
  ggml_matrix_view<Block> w_;
};

/// A ggml block read through sparq's codec of its element: copy() writes the codes in sparq's
/// packing (decode and image read that copy); value() reads the block where it lies.
template <class Block>
struct ggml_codec : dense_codec<typename Block::element, 32> {
  using base = dense_codec<typename Block::element, 32>;
  static constexpr bool in_place = false;

  static void copy(std::uint8_t const* block, std::uint8_t* dst) noexcept { Block::canonical_codes(block, dst); }
  /// Never called (blocks are whole); the quantized source names it for layouts with tails.
  static void masked_chunk(std::uint8_t const* block, std::size_t, std::size_t valid, std::uint8_t* dst) noexcept {
    copy(block, dst);
    mask_chunk(dst, base::chunk_bytes, valid, bits_of_v<typename Block::element>);
  }
  static float value(std::uint8_t const* block, std::size_t u) noexcept {
    return static_cast<float>(Block::code(block, u));
  }
};

template <class Block>
using ggml_source = quantized_source<typename Block::format, ggml_addressing<Block>, ggml_codec<Block>>;

}  // namespace detail

template <class Block>
detail::ggml_source<Block> make_weight_source(ggml_matrix_view<Block> const& w) noexcept {
  return detail::ggml_source<Block>(detail::ggml_addressing<Block>(w), w.rows(), w.cols(), 1.0f);
}
template <class Block>
detail::ggml_source<Block> make_weight_source(ggml_matrix<Block> const& w) noexcept {
  return make_weight_source(w.view());
}

/// The blocks converted, losslessly, into sparq's interleaved layout of Block::format for Arch's
/// kernels (the same bytes per weight): the fast path for a ggml tensor used more than once. sparq::gemm gives it the same results as the view.
template <class Arch = default_arch, class Block>
auto prepack(ggml_matrix_view<Block> const& w) {
  return prepacked<typename Block::format, kernel::simd::arch_traits<Arch>::prepack_rows>(make_weight_source(w));
}
template <class Arch = default_arch, class Block>
auto prepack(ggml_matrix<Block> const& w) {
  return prepack<Arch>(w.view());
}

SPARQ_NAMESPACE_END
