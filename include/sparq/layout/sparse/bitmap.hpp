// SPDX-License-Identifier: Apache-2.0
// bitmap_sparse_matrix<Values>: unstructured sparse weights as 64-bit masks over tiles of 64
// columns, the kept values contiguous in row order, per-row offsets.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>

#include <sparq/core/aligned_buffer.hpp>
#include <sparq/core/bits.hpp>
#include <sparq/core/config.hpp>
#include <sparq/core/error.hpp>
#include <sparq/layout/sparse/values.hpp>

SPARQ_NAMESPACE_BEGIN

/// The canonical bitmap layout, bit for bit (docs/formats.md, "Sparse layouts"):
///
///   tiles = ceil(K / 64). masks [rows][tiles] uint64: bit b of tile t of row r is set when
///   column t * 64 + b is kept; bits past K are clear.
///   offsets [rows + 1] uint64: row r's kept values are values [offsets[r], offsets[r + 1]);
///   offsets[0] = 0 and offsets[r + 1] - offsets[r] = round_up(kept in row r, pad), the row's
///   kept values in column order then zeros up to the pad. pad: the block size for block formats,
///   times the values of a whole byte of zero points for formats with zero points (4-bit: 2), the
///   values of a whole number of bytes for packed element formats (4-bit: 2, 2- and 6-bit: 4), 1
///   otherwise, so every row starts on a byte and a block boundary.
///   values: one 1 x offsets[rows] matrix of Values: float as is; a format as a quantized_matrix
///   row (blocks along each row's kept values; an element format has one scale for the matrix).
template <class Values>
class bitmap_sparse_matrix_view {
  using values_info = detail::values_of<Values>;

 public:
  using values_type = Values;
  using values_view = typename values_info::view;
  static constexpr std::size_t tile = 64;
  static constexpr std::size_t pad =
      values_info::block ? values_info::block_size * (values_info::has_zero ? detail::byte_pad_values(values_info::bits) : 1)
                         : detail::byte_pad_values(values_info::bits);

  bitmap_sparse_matrix_view() noexcept = default;
  /// A view over the caller's buffers, checked: masks with bits past K, offsets that disagree
  /// with the masks or with the values' length throw sparq::invalid_argument naming the row.
  bitmap_sparse_matrix_view(values_view const& values, std::uint64_t const* masks, std::uint64_t const* offsets,
                            std::size_t rows, std::size_t cols)
      : bitmap_sparse_matrix_view(detail::trusted_t{}, values, masks, offsets, rows, cols) {
    char const* fn = "sparq::bitmap_sparse_matrix_view";
    (void)detail::checked_mul(rows, tiles(), fn, "the masks");
    if (offsets == nullptr) SPARQ_THROW(invalid_argument, std::string(fn) + ": argument 'offsets' is null");
    if (rows != 0 && tiles() != 0 && masks == nullptr) {
      SPARQ_THROW(invalid_argument, std::string(fn) + ": argument 'masks' is null");
    }
    if (offsets[0] != 0) detail::bad_sparse("bitmap_sparse_matrix_view", 0, "offsets[0] is not 0");
    std::uint64_t const tail = cols % tile == 0 ? 0 : ~std::uint64_t{0} << (cols % tile);
    for (std::size_t r = 0; r < rows; ++r) {
      std::uint64_t const kept = this->kept(r);
      if (tiles() != 0 && (mask_row(r)[tiles() - 1] & tail) != 0) {
        detail::bad_sparse("bitmap_sparse_matrix_view", r, "the mask sets columns past K = " + std::to_string(cols));
      }
      std::uint64_t const want = (kept + pad - 1) / pad * pad;
      if (offsets[r + 1] < offsets[r] || offsets[r + 1] - offsets[r] != want) {
        detail::bad_sparse("bitmap_sparse_matrix_view", r,
                           "offsets give " + std::to_string(offsets[r + 1] - offsets[r]) +
                               " values, the mask keeps " + std::to_string(kept) + " (expected " +
                               std::to_string(want) + " with the pad of " + std::to_string(pad) + ")");
      }
    }
    if (values.rows() != (rows == 0 ? values.rows() : 1) || values.cols() != offsets[rows]) {
      SPARQ_THROW(invalid_argument, std::string(fn) + ": argument 'values' is " + std::to_string(values.rows()) +
                                        " x " + std::to_string(values.cols()) + ", expected 1 x offsets[rows] = 1 x " +
                                        std::to_string(offsets[rows]));
    }
  }
  bitmap_sparse_matrix_view(detail::trusted_t, values_view const& values, std::uint64_t const* masks,
                            std::uint64_t const* offsets, std::size_t rows, std::size_t cols) noexcept
      : values_(values), masks_(masks), offsets_(offsets), rows_(rows), cols_(cols) {}

  std::size_t rows() const noexcept { return rows_; }
  std::size_t cols() const noexcept { return cols_; }
  std::size_t tiles() const noexcept { return (cols_ + tile - 1) / tile; }
  values_view const& values() const noexcept { return values_; }
  std::uint64_t const* masks() const noexcept { return masks_; }
  std::uint64_t const* mask_row(std::size_t r) const noexcept { return masks_ + r * tiles(); }
  std::uint64_t const* offsets() const noexcept { return offsets_; }
  /// Kept values (without the pad) in row r.
  std::size_t kept(std::size_t r) const noexcept {
    std::size_t n = 0;
    for (std::size_t t = 0; t < tiles(); ++t) n += static_cast<std::size_t>(popcount64(mask_row(r)[t]));
    return n;
  }
  /// Fraction of kept entries (pads excluded).
  double density() const noexcept {
    std::size_t n = 0;
    for (std::size_t r = 0; r < rows_; ++r) n += kept(r);
    return rows_ * cols_ == 0 ? 0.0 : static_cast<double>(n) / (static_cast<double>(rows_) * cols_);
  }
  /// Bytes a kernel reads: values, masks and offsets.
  std::size_t storage_bytes() const noexcept {
    return values_info::bytes(values_) + rows_ * tiles() * 8 + (rows_ + 1) * 8;
  }

 private:
  values_view values_{};
  std::uint64_t const* masks_ = nullptr;
  std::uint64_t const* offsets_ = nullptr;
  std::size_t rows_ = 0, cols_ = 0;
};

/// The owning bitmap matrix, made by sparq::prune_bitmap (float values) and sparq::quantize<F>.
template <class Values = float>
class bitmap_sparse_matrix {
 public:
  using view_type = bitmap_sparse_matrix_view<Values>;
  using values_type = Values;
  using values_matrix = typename detail::values_of<Values>::matrix;

  bitmap_sparse_matrix() = default;
  /// Takes the values (1 x offsets[rows]), the masks (rows * tiles) and the offsets (rows + 1),
  /// checked as the view checks them.
  bitmap_sparse_matrix(values_matrix values, aligned_buffer masks, aligned_buffer offsets, std::size_t rows,
                       std::size_t cols)
      : values_(std::move(values)), masks_(std::move(masks)), offsets_(std::move(offsets)), rows_(rows), cols_(cols) {
    std::size_t const tiles = (cols + 63) / 64;
    if (masks_.size() < detail::checked_mul(rows, tiles * 8, "sparq::bitmap_sparse_matrix", "the masks") ||
        offsets_.size() < (rows + 1) * 8) {
      SPARQ_THROW(invalid_argument, "sparq::bitmap_sparse_matrix: the masks or offsets buffer is too small");
    }
    (void)view_type(values_.view(), mask_data(), offset_data(), rows_, cols_);  // checks
  }

  view_type view() const noexcept {
    return view_type(detail::trusted_t{}, values_.view(), mask_data(), offset_data(), rows_, cols_);
  }
  operator view_type() const noexcept { return view(); }
  std::size_t rows() const noexcept { return rows_; }
  std::size_t cols() const noexcept { return cols_; }
  values_matrix const& values() const noexcept { return values_; }
  std::uint64_t const* mask_data() const noexcept { return reinterpret_cast<std::uint64_t const*>(masks_.data()); }
  std::uint64_t const* offset_data() const noexcept {
    return reinterpret_cast<std::uint64_t const*>(offsets_.data());
  }
  double density() const noexcept { return view().density(); }
  std::size_t storage_bytes() const noexcept { return view().storage_bytes(); }

 private:
  values_matrix values_;
  aligned_buffer masks_, offsets_;
  std::size_t rows_ = 0, cols_ = 0;
};

SPARQ_NAMESPACE_END
