// SPDX-License-Identifier: Apache-2.0
// The weight source of ggml's value blocks (layout/ggml_kquants.hpp: Q4_1, Q4_K, Q5_K, Q6_K),
// read in place: each 32-value chunk decodes to its final values (offsets and sub-block scales
// applied, as ggml computes them), so the block multiplier is 1 and there is no zero point and no
// int8 image (compute_mode::exact only). No sparq format holds these values exactly, so there is
// no prepack; the decode is scalar (a first call's path; the kernels' sums are the usual ones).
#pragma once

#include <cstddef>
#include <cstdint>

#include <sparq/core/config.hpp>
#include <sparq/kernel/source/concept.hpp>
#include <sparq/layout/ggml_blocks.hpp>
#include <sparq/layout/ggml_kquants.hpp>
#include <sparq/simd/arch.hpp>
#include <sparq/simd/lanes.hpp>

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
  template <class Arch>
  SPARQ_INLINE void decode(std::size_t r, std::size_t c, kernel::simd::fbatch<Arch>* out) const noexcept {
    using batch = kernel::simd::fbatch<Arch>;
    alignas(64) float v[32];
    values(r, c, v);
    for (std::size_t j = 0; j < 32 / batch::size; ++j) out[j] = batch::load_aligned(v + j * batch::size);
  }
#endif

 private:
  ggml_matrix_view<Block> w_;
};

}  // namespace detail

SPARQ_NAMESPACE_END
