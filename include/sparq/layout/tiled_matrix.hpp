// SPDX-License-Identifier: Apache-2.0
// tiled_matrix<F, TileRows>: an N x K weight matrix of 8-bit codes with one float scale per tile of
// TileRows rows x F::block_size columns: the 2-D block scaling of DeepSeek-V3 and Qwen3-FP8
// checkpoints (float8_e4m3fn codes, 128 x 128 tiles), which no 1-D block format holds because a
// scale is shared down the rows as well as along K.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>

#include <sparq/core/aligned_buffer.hpp>
#include <sparq/core/config.hpp>
#include <sparq/core/error.hpp>
#include <sparq/format/block.hpp>
#include <sparq/format/traits.hpp>
#include <sparq/layout/quantized_matrix.hpp>

SPARQ_NAMESPACE_BEGIN

namespace detail {
template <class F, std::size_t TileRows>
struct tiled_shape {
  static_assert(is_block_format_v<F> && std::is_same<typename F::scale_type, float>::value,
                "tiled_matrix: F must be a block format with float scales (sparq::fp8_group<128>)");
  static_assert(bits_of_v<typename F::element> == 8, "tiled_matrix: 8-bit codes, one per byte");
  static_assert(!F::has_zero_point && !F::has_tensor_scale, "tiled_matrix: value = code * tile scale");
  static_assert(TileRows >= 1, "tiled_matrix: at least one row per tile");
  static constexpr std::size_t tile_rows = TileRows;
  static constexpr std::size_t tile_cols = static_cast<std::size_t>(F::block_size);
  std::size_t rows_ = 0, cols_ = 0;

  std::size_t rows() const noexcept { return rows_; }
  std::size_t cols() const noexcept { return cols_; }
  /// Tiles down the rows (the scale array's rows) and along K (its columns).
  std::size_t row_tiles() const noexcept { return (rows_ + TileRows - 1) / TileRows; }
  std::size_t col_tiles() const noexcept { return (cols_ + tile_cols - 1) / tile_cols; }
  std::size_t scale_count() const noexcept { return row_tiles() * col_tiles(); }
  /// Bytes a kernel reads: one byte per code plus the scales.
  std::size_t storage_bytes() const noexcept { return rows_ * cols_ + scale_count() * sizeof(float); }
  void check_fits(char const* who) const {
    std::size_t const max = static_cast<std::size_t>(PTRDIFF_MAX) / 2;
    if (cols_ != 0 && rows_ > max / cols_) {
      SPARQ_THROW(invalid_argument, std::string(who) + ": a " + std::to_string(rows_) + " x " +
                                        std::to_string(cols_) +
                                        " matrix needs more bytes than the address space holds");
    }
  }
};
}  // namespace detail

/// A view over the caller's bytes:
///
///   codes   [N][K]                        one 8-bit code per weight, rows K bytes apart (no padding)
///   scales  [ceil(N/TileRows)][ceil(K/B)] float, row-major; weight (r, k) is
///                                         code(r, k) * scales[r / TileRows][k / B]
///
/// B = F::block_size. The last tiles may be partial (N or K not a multiple). Untrusted bytes: every
/// scale is read once and must be finite and non-negative, or sparq::invalid_argument names the
/// tile; trusted_scales skips that.
template <class F, std::size_t TileRows>
class tiled_matrix_view : public detail::tiled_shape<F, TileRows> {
  using shape = detail::tiled_shape<F, TileRows>;

 public:
  using format = F;
  using element = typename F::element;

  tiled_matrix_view() noexcept = default;
  tiled_matrix_view(std::uint8_t const* codes, float const* scales, std::size_t rows, std::size_t cols)
      : tiled_matrix_view(trusted_scales, codes, scales, rows, cols) {
    for (std::size_t i = 0; i < this->scale_count(); ++i) {
      float const v = scales_[i];
      if (!(v >= 0.0f) || v > std::numeric_limits<float>::max()) {
        SPARQ_THROW(invalid_argument, "sparq::tiled_matrix_view: the scale of tile (" +
                                          std::to_string(i / this->col_tiles()) + ", " +
                                          std::to_string(i % this->col_tiles()) + ") is " +
                                          detail::float_text(v) + ", expected a finite non-negative number");
      }
    }
  }
  tiled_matrix_view(trusted_scales_t, std::uint8_t const* codes, float const* scales, std::size_t rows,
                    std::size_t cols)
      : shape{rows, cols}, codes_(codes), scales_(scales) {
    this->check_fits("sparq::tiled_matrix_view");
    if (rows != 0 && cols != 0 && (codes == nullptr || scales == nullptr)) {
      SPARQ_THROW(invalid_argument, "sparq::tiled_matrix_view: a null buffer for a " + std::to_string(rows) +
                                        " x " + std::to_string(cols) + " matrix");
    }
    if (reinterpret_cast<std::uintptr_t>(scales) % alignof(float) != 0) {
      SPARQ_THROW(invalid_argument, "sparq::tiled_matrix_view: argument 'scales' is not aligned to 4 bytes");
    }
  }

  std::uint8_t const* codes() const noexcept { return codes_; }
  float const* scales() const noexcept { return scales_; }
  std::uint8_t const* code_row(std::size_t r) const noexcept { return codes_ + r * this->cols(); }
  /// The scales of row r's tiles along K.
  float const* scale_row(std::size_t r) const noexcept {
    return scales_ + (r / TileRows) * this->col_tiles();
  }

 private:
  std::uint8_t const* codes_ = nullptr;
  float const* scales_ = nullptr;
};

/// The owning container (64-byte aligned arrays in the view's layout); sparq::quantize_tiled
/// writes one.
template <class F, std::size_t TileRows>
class tiled_matrix : public detail::tiled_shape<F, TileRows> {
  using shape = detail::tiled_shape<F, TileRows>;

 public:
  using view_type = tiled_matrix_view<F, TileRows>;
  using format = F;

  tiled_matrix() = default;
  tiled_matrix(std::size_t rows, std::size_t cols) : shape{rows, cols} {
    this->check_fits("sparq::tiled_matrix");
    codes_ = aligned_buffer(rows * cols);
    scales_ = aligned_buffer(this->scale_count() * sizeof(float));
  }
  view_type view() const noexcept {
    return view_type(trusted_scales, codes_.data(), reinterpret_cast<float const*>(scales_.data()),
                     this->rows(), this->cols());
  }
  operator view_type() const noexcept { return view(); }
  std::uint8_t* codes() noexcept { return codes_.data(); }
  float* scales() noexcept { return reinterpret_cast<float*>(scales_.data()); }
  std::uint8_t* code_row(std::size_t r) noexcept { return codes_.data() + r * this->cols(); }

 private:
  aligned_buffer codes_, scales_;
};

/// FP8 E4M3 codes with a float scale per 128 x 128 tile (DeepSeek-V3, Qwen3-FP8: the checkpoint's
/// `weight_scale_inv`, which despite its name multiplies).
using fp8_block128_view = tiled_matrix_view<fp8_group<128>, 128>;
using fp8_block128 = tiled_matrix<fp8_group<128>, 128>;

template <class T>
struct is_tiled_matrix_view : std::false_type {};
template <class F, std::size_t R>
struct is_tiled_matrix_view<tiled_matrix_view<F, R>> : std::true_type {};

SPARQ_NAMESPACE_END
