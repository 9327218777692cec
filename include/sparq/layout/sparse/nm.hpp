// SPDX-License-Identifier: Apache-2.0
// nm_sparse_matrix<N, M, Values>: N:M structured sparse weights (N kept values in every group of
// M consecutive columns), kept values in any value format, the positions as packed indices.
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
/// The canonical N:M layout, bit for bit (docs/formats.md, "Sparse layouts"):
///
///   groups = ceil(K / M), kept_cols = groups * N. Group g of row r covers columns
///   [g * M, g * M + M); the matrix counts as zero past K.
///   values   a rows x kept_cols matrix of Values: row r holds the kept values of its groups in
///            order (group 0's N values, then group 1's ...); float values as a float matrix,
///            formats as a quantized_matrix (its block scales run along the compressed K: a block
///            of 32 kept values of 2:4 covers 64 columns; element formats one scale per row).
///   indices  [rows][index_row_bytes], index_row_bytes = ceil(kept_cols * log2(M) / 8): kept
///            value j's position inside its group as a log2(M)-bit field at bit j * log2(M) of the
///            row (least significant bits first), strictly increasing inside a group.
///
/// A kept value may sit at a column past K in the last group (its value is then ignored: the
/// activations there are zero). M is a power of two from 2 to 16 and 1 <= N < M; block formats
/// need N to divide the block size (so that a block covers whole groups).
template <std::size_t N, std::size_t M, class Values>
class nm_sparse_matrix_view {
  static_assert(M == 2 || M == 4 || M == 8 || M == 16, "sparq::nm_sparse_matrix: M must be 2, 4, 8 or 16");
  static_assert(N >= 1 && N < M, "sparq::nm_sparse_matrix: N must be in [1, M)");
  using values_info = detail::values_of<Values>;
  static_assert(!values_info::block || values_info::block_size % N == 0,
                "sparq::nm_sparse_matrix: with a block format, N must divide the block size");

 public:
  using values_type = Values;
  using values_view = typename values_info::view;
  static constexpr std::size_t n = N, m = M;
  static constexpr unsigned index_bits = detail::log2_of(M);

  nm_sparse_matrix_view() noexcept = default;
  /// A view over the caller's buffers (values: rows x kept_cols; indices: rows * index_row_bytes
  /// bytes). The indices are checked: a group whose positions are not strictly increasing throws
  /// sparq::invalid_argument naming the row and the group; so does a values matrix of another shape.
  nm_sparse_matrix_view(values_view const& values, std::uint8_t const* indices, std::size_t rows, std::size_t cols)
      : nm_sparse_matrix_view(detail::trusted_t{}, values, indices, rows, cols) {
    std::size_t const kept = kept_cols();
    if (values.rows() != rows || values.cols() != kept) {
      SPARQ_THROW(invalid_argument, "sparq::nm_sparse_matrix_view: argument 'values' is " +
                                        std::to_string(values.rows()) + " x " + std::to_string(values.cols()) +
                                        ", expected rows x kept_cols = " + std::to_string(rows) + " x " +
                                        std::to_string(kept));
    }
    if (rows != 0 && kept != 0 && indices == nullptr) {
      SPARQ_THROW(invalid_argument, "sparq::nm_sparse_matrix_view: argument 'indices' is null");
    }
    for (std::size_t r = 0; r < rows; ++r) {
      for (std::size_t g = 0; g < groups(); ++g) {
        for (std::size_t j = 1; j < N; ++j) {
          if (index(r, g * N + j) <= index(r, g * N + j - 1)) {
            detail::bad_sparse("nm_sparse_matrix_view", r,
                               "group " + std::to_string(g) + " has positions " +
                                   std::to_string(index(r, g * N + j - 1)) + " then " +
                                   std::to_string(index(r, g * N + j)) + ", expected strictly increasing");
          }
        }
      }
    }
  }
  /// The containers' own views (their metadata was built, not read).
  nm_sparse_matrix_view(detail::trusted_t, values_view const& values, std::uint8_t const* indices, std::size_t rows,
                        std::size_t cols) noexcept
      : values_(values), indices_(indices), rows_(rows), cols_(cols) {}

  std::size_t rows() const noexcept { return rows_; }
  std::size_t cols() const noexcept { return cols_; }
  std::size_t groups() const noexcept { return (cols_ + M - 1) / M; }
  std::size_t kept_cols() const noexcept { return groups() * N; }
  static std::size_t index_row_bytes(std::size_t kept) noexcept { return (kept * index_bits + 7) / 8; }
  std::size_t index_row_bytes() const noexcept { return index_row_bytes(kept_cols()); }
  values_view const& values() const noexcept { return values_; }
  std::uint8_t const* indices() const noexcept { return indices_; }
  std::uint8_t const* index_row(std::size_t r) const noexcept { return indices_ + r * index_row_bytes(); }
  /// Position inside its group of kept value j of row r.
  unsigned index(std::size_t r, std::size_t j) const noexcept {
    return detail::bit_field(index_row(r), j, index_bits);
  }
  /// Column of kept value j of row r.
  std::size_t column(std::size_t r, std::size_t j) const noexcept { return j / N * M + index(r, j); }
  /// Bytes a kernel reads: the values (codes, scales, zero points) and the indices.
  std::size_t storage_bytes() const noexcept { return values_info::bytes(values_) + rows_ * index_row_bytes(); }

 private:
  values_view values_{};
  std::uint8_t const* indices_ = nullptr;
  std::size_t rows_ = 0, cols_ = 0;
};

/// The owning N:M matrix, made by sparq::prune_nm (float values) and sparq::quantize<F>.
template <std::size_t N, std::size_t M, class Values = float>
class nm_sparse_matrix {
 public:
  using view_type = nm_sparse_matrix_view<N, M, Values>;
  using values_type = Values;
  using values_matrix = typename detail::values_of<Values>::matrix;

  nm_sparse_matrix() = default;
  /// Takes the kept values (rows x kept_cols) and the packed indices (rows * index_row_bytes),
  /// checked as the view checks them.
  nm_sparse_matrix(values_matrix values, aligned_buffer indices, std::size_t rows, std::size_t cols)
      : values_(std::move(values)), indices_(std::move(indices)), rows_(rows), cols_(cols) {
    std::size_t const need = rows * view_type::index_row_bytes(kept_cols());
    if (indices_.size() < need) {
      SPARQ_THROW(invalid_argument, "sparq::nm_sparse_matrix: argument 'indices' holds " +
                                        std::to_string(indices_.size()) + " bytes, expected " + std::to_string(need));
    }
    (void)view_type(values_.view(), indices_.data(), rows_, cols_);  // checks
  }

  view_type view() const noexcept { return view_type(detail::trusted_t{}, values_.view(), indices_.data(), rows_, cols_); }
  operator view_type() const noexcept { return view(); }
  std::size_t rows() const noexcept { return rows_; }
  std::size_t cols() const noexcept { return cols_; }
  std::size_t kept_cols() const noexcept { return (cols_ + M - 1) / M * N; }
  values_matrix const& values() const noexcept { return values_; }
  aligned_buffer const& indices() const noexcept { return indices_; }
  std::size_t storage_bytes() const noexcept { return view().storage_bytes(); }

 private:
  values_matrix values_;
  aligned_buffer indices_;
  std::size_t rows_ = 0, cols_ = 0;
};

SPARQ_NAMESPACE_END
