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
#include <type_traits>

#include <sparq/core/config.hpp>
#include <sparq/kernel/prepack.hpp>
#include <sparq/kernel/source/addressing.hpp>
#include <sparq/kernel/source/codec.hpp>
#include <sparq/kernel/source/ggml_kquants.hpp>
#include <sparq/kernel/source/quantized.hpp>
#include <sparq/layout/ggml_blocks.hpp>
#include <sparq/simd/arch.hpp>

SPARQ_NAMESPACE_BEGIN
namespace detail {

/// Row r's chunk c is the codes of block c of the row (its scale just before them).
template <class Block>
class ggml_addressing : public addressing_types<typename Block::format> {
 public:
  using typename addressing_types<typename Block::format>::scale_type;
  static constexpr bool chunk_tail = false;  // K is a multiple of 32: every block is whole

  explicit ggml_addressing(ggml_matrix_view<Block> const& w) noexcept : w_(w) {}

  /// Chunk c: sub-block c % per_block of block c / per_block (each sub-block has one scale).
  std::uint8_t const* chunk(std::size_t r, std::size_t c) const noexcept {
    return Block::codes(w_.block_at(r, c / Block::per_block), c % Block::per_block);
  }
  std::size_t row_bytes_left(std::size_t r, std::size_t c) const noexcept {
    return static_cast<std::size_t>(w_.block_at(r, w_.blocks_per_row()) - chunk(r, c));
  }
  /// Bytes from chunk c to c + 1 where it is constant (one chunk per block); read only by kernels
  /// that take chunks in place, which this layout's codec does not allow for split codes.
  static constexpr std::size_t chunk_stride() noexcept { return Block::bytes / Block::per_block; }
  scale_type scale_code(std::size_t r, std::size_t b) const noexcept {
    return Block::sub_scale(w_.block_at(r, b / Block::per_block), b % Block::per_block);
  }
  unsigned zero_code(std::size_t, std::size_t) const noexcept { return 0; }

 private:
  ggml_matrix_view<Block> w_;
};

/// A ggml block's codes read through sparq's codec of its element. Codes already in sparq's order
/// (Q8_0) are read in place; split halves are copied in sparq's packing first (decode and image
/// read that copy), value() reads them where they lie.
template <class Block>
struct ggml_codec : dense_codec<typename Block::element, Block::chunk_values> {
  using base = dense_codec<typename Block::element, Block::chunk_values>;
  static constexpr bool in_place = !Block::split && Block::flip == 0;

  static void copy(std::uint8_t const* codes, std::uint8_t* dst) noexcept { Block::canonical_codes(codes, dst); }
  static float value(std::uint8_t const* codes, std::size_t u) noexcept {
    return static_cast<float>(Block::code(codes, u));
  }
};

template <class Block>
using ggml_source = quantized_source<typename Block::format, ggml_addressing<Block>, ggml_codec<Block>>;

}  // namespace detail

/// The source of a ggml block matrix: the quantized source of its sparq format (Q8_0, Q4_0,
/// MXFP4, NVFP4), or the value source of blocks no sparq format holds (Q4_1, Q4_K, Q5_K, Q6_K:
/// kernel/source/ggml_kquants.hpp).
template <class Block>
auto make_weight_source(ggml_matrix_view<Block> const& w) noexcept {
  if constexpr (std::is_void<typename Block::format>::value) {
    return detail::ggml_value_source<Block>(w);
  } else {
    return detail::ggml_source<Block>(detail::ggml_addressing<Block>(w), w.rows(), w.cols(), 1.0f);
  }
}
template <class Block>
auto make_weight_source(ggml_matrix<Block> const& w) noexcept {
  return make_weight_source(w.view());
}

/// Whether sparq::prepack takes ggml blocks of type Block (those with a sparq format).
template <class Block>
inline constexpr bool ggml_prepackable_v = !std::is_void<typename Block::format>::value;

/// The blocks converted, losslessly, into sparq's interleaved layout of Block::format for Arch's
/// kernels (the same bytes per weight): the fast path for a ggml tensor used more than once. sparq::gemm gives it the same results as the view.
template <class Arch = default_arch, class Block>
auto prepack(ggml_matrix_view<Block> const& w) {
  static_assert(ggml_prepackable_v<Block>,
                "sparq::prepack: no sparq format holds this ggml type's values (Q4_1, K-quants): multiply the view");
  return prepacked<typename Block::format, kernel::simd::arch_traits<Arch>::prepack_rows>(make_weight_source(w));
}
template <class Arch = default_arch, class Block>
auto prepack(ggml_matrix<Block> const& w) {
  return prepack<Arch>(w.view());
}

SPARQ_NAMESPACE_END
