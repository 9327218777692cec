// SPDX-License-Identifier: Apache-2.0
// The weight source of plain weights (float, bfloat16, float16), any row stride: one block per
// row, multiplier 1, no int8 image. Models the WeightSource concept (concept.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <type_traits>

#include <sparq/core/config.hpp>
#include <sparq/kernel/source/concept.hpp>
#include <sparq/layout/matrix_view.hpp>
#include <sparq/simd/registry.hpp>

SPARQ_NAMESPACE_BEGIN
namespace detail {

template <class T>
class plain_source {
 public:
  static constexpr std::size_t unit = 32;
  static constexpr bool has_zero = false;
  static constexpr bool prescale = false;
  static constexpr bool has_image = false;
  static constexpr int image_factor = 0;
  explicit plain_source(matrix_view<T const> const& w) noexcept : w_(w), chunks_((w.cols() + unit - 1) / unit) {}

  std::size_t rows() const noexcept { return w_.rows(); }
  std::size_t cols() const noexcept { return w_.cols(); }
  std::size_t chunks() const noexcept { return chunks_; }
  std::size_t chunks_per_block() const noexcept { return chunks_ == 0 ? 1 : chunks_; }
  float scale(std::size_t, std::size_t) const noexcept { return 1.0f; }
  float zero(std::size_t, std::size_t) const noexcept { return 0.0f; }

#if SPARQ_SIMD
  template <class Arch>
  SPARQ_INLINE void decode(std::size_t r, std::size_t c, kernel::simd::fbatch<Arch>* out) const noexcept {
    constexpr std::size_t w = kernel::simd::fbatch<Arch>::size;
    T const* p = w_.row(r) + c * unit;
    std::size_t const valid = w_.cols() - c * unit;
    if (valid >= unit) {
      if constexpr (std::is_same<T, float>::value) {
        for (std::size_t j = 0; j < unit / w; ++j) out[j] = kernel::simd::load_float<Arch>(p + j * w, Arch{});
      } else {
        kernel::simd::decode_chunk<Arch, T, unit>(reinterpret_cast<std::uint8_t const*>(p), out, Arch{});
      }
    } else {
      alignas(64) T buf[unit];
      for (std::size_t i = 0; i < unit; ++i) buf[i] = i < valid ? p[i] : T(0.0f);
      for (std::size_t j = 0; j < unit / w; ++j) out[j] = kernel::simd::load_float<Arch>(buf + j * w, Arch{});
    }
  }
#endif

  float value(std::size_t r, std::size_t k) const noexcept { return static_cast<float>(w_(r, k)); }

 private:
  matrix_view<T const> w_;
  std::size_t chunks_;
};

}  // namespace detail
SPARQ_NAMESPACE_END
