// SPDX-License-Identifier: Apache-2.0
// The weight source of ggml's value blocks (layout/ggml_kquants.hpp: Q4_1, Q4_K, Q5_K, Q6_K),
// read in place: each 32-value chunk decodes to its final values (offsets and sub-block scales
// applied, as ggml computes them), so the block multiplier is 1 and there is no zero point and no
// int8 image (compute_mode::exact only). No sparq format holds these values exactly, so there is
// no prepack; the decode widens the block's codes with the arch's byte decode and applies the
// chunk's scale and offset in lanes.
#pragma once

#include <cstddef>
#include <cstdint>

#include <sparq/core/config.hpp>
#include <sparq/kernel/source/concept.hpp>
#include <sparq/layout/ggml_blocks.hpp>
#include <sparq/layout/ggml_kquants.hpp>
#include <sparq/simd/arch.hpp>
#include <sparq/simd/lanes.hpp>
#include <sparq/simd/registry.hpp>
#include <sparq/format/int8.hpp>
#include <sparq/format/uint8.hpp>

SPARQ_NAMESPACE_BEGIN
namespace detail {

template <class Block>
class ggml_value_source {
  static constexpr std::size_t per_block = Block::values / 32;

 public:
  static constexpr std::size_t unit = 32;
  static constexpr bool has_zero = false;
  static constexpr bool prescale = true;  // values are final: the multiplier (1) applies before the sum
  static constexpr bool has_image = false;
  static constexpr int image_factor = 0;

  explicit ggml_value_source(ggml_matrix_view<Block> const& w) noexcept : w_(w) {}

  std::size_t rows() const noexcept { return w_.rows(); }
  std::size_t cols() const noexcept { return w_.cols(); }
  std::size_t chunks() const noexcept { return w_.cols() / 32; }
  std::size_t chunks_per_block() const noexcept { return 1; }
  float scale(std::size_t, std::size_t) const noexcept { return 1.0f; }
  float zero(std::size_t, std::size_t) const noexcept { return 0.0f; }

  /// The 32 values of chunk c of row r.
  void values(std::size_t r, std::size_t c, float* out) const noexcept {
    Block::chunk(w_.block_at(r, c / per_block), c % per_block, out);
  }
  float value(std::size_t r, std::size_t k) const noexcept {
    float v[32];
    values(r, k / 32, v);
    return v[k % 32];
  }

#if SPARQ_SIMD
  /// The chunk's codes widened to float lanes by the arch's byte decode, then scale * q (+ offset)
  /// per lane: the same bits as values() (the products are exact, so an FMA rounds as a product
  /// and a sum do).
  template <class Arch>
  SPARQ_INLINE void decode(std::size_t r, std::size_t c, kernel::simd::fbatch<Arch>* out) const noexcept {
    using batch = kernel::simd::fbatch<Arch>;
    constexpr std::size_t w = batch::size;
    std::uint8_t const* b = w_.block_at(r, c / per_block);
    alignas(64) std::uint8_t q[32];
    Block::codes(b, c % per_block, q);
    ggml::affine_chunk const a = Block::affine(b, c % per_block);
    if constexpr (Block::signed_codes) {
      kernel::simd::decode_chunk<Arch, int8, 32>(q, out, Arch{});
    } else {
      kernel::simd::decode_chunk<Arch, uint8, 32>(q, out, Arch{});
    }
    for (std::size_t j = 0; j < 32 / w; ++j) {
      batch const s(a.scale[j * w / 16]);
      if constexpr (Block::has_offset) {
        out[j] = xsimd::fma(s, out[j], batch(a.offset[j * w / 16]));
      } else {
        out[j] = s * out[j];
      }
    }
  }
#endif

 private:
  ggml_matrix_view<Block> w_;
};

}  // namespace detail

SPARQ_NAMESPACE_END
