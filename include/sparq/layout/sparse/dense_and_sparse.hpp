// SPDX-License-Identifier: Apache-2.0
// dense_and_sparse<Format>: a quantized dense matrix plus a few outliers kept at higher precision
// in CSR (the SpQR / SqueezeLLM decomposition). W = dequantize(dense) + outliers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <sparq/core/config.hpp>
#include <sparq/core/error.hpp>
#include <sparq/format/float16.hpp>
#include <sparq/layout/quantized_matrix.hpp>
#include <sparq/layout/sparse/values.hpp>

SPARQ_NAMESPACE_BEGIN

/// The canonical layout: `dense` a quantized_matrix_view of Format (its canonical layout), the
/// outliers in CSR: row_ptr [rows + 1] uint64 (row_ptr[0] = 0, non-decreasing, row_ptr[rows] =
/// nnz), columns [nnz] uint32 strictly increasing inside a row and < K, values [nnz] of Outlier
/// (float or float16). The outliers are added to the dense value at their position (prune_outliers
/// leaves 0 there in the dense part).
template <class Format, class Outlier = float>
class dense_and_sparse_view {
  static_assert(std::is_same<Outlier, float>::value || std::is_same<Outlier, float16>::value,
                "sparq::dense_and_sparse: outliers are float or float16");

 public:
  using format = Format;
  using outlier_type = Outlier;

  dense_and_sparse_view() noexcept = default;
  /// A view over the caller's buffers, checked: row pointers that decrease or end elsewhere than
  /// nnz, columns out of range or not strictly increasing throw sparq::invalid_argument naming the row.
  dense_and_sparse_view(quantized_matrix_view<Format> const& dense, std::uint64_t const* row_ptr,
                        std::uint32_t const* columns, Outlier const* values, std::size_t nnz)
      : dense_and_sparse_view(detail::trusted_t{}, dense, row_ptr, columns, values) {
    char const* fn = "sparq::dense_and_sparse_view";
    if (row_ptr == nullptr) SPARQ_THROW(invalid_argument, std::string(fn) + ": argument 'row_ptr' is null");
    if (nnz != 0 && (columns == nullptr || values == nullptr)) {
      SPARQ_THROW(invalid_argument, std::string(fn) + ": a null 'columns' or 'values' for " + std::to_string(nnz) +
                                        " outliers");
    }
    if (row_ptr[0] != 0) detail::bad_sparse("dense_and_sparse_view", 0, "row_ptr[0] is not 0");
    if (row_ptr[rows()] != nnz) {
      SPARQ_THROW(invalid_argument, std::string(fn) + ": row_ptr[rows] is " + std::to_string(row_ptr[rows()]) +
                                        ", expected nnz = " + std::to_string(nnz));
    }
    for (std::size_t r = 0; r < rows(); ++r) {
      if (row_ptr[r + 1] < row_ptr[r]) detail::bad_sparse("dense_and_sparse_view", r, "row_ptr decreases");
      if (row_ptr[r + 1] > nnz) {  // a later row_ptr may come back down to nnz: check before reading
        detail::bad_sparse("dense_and_sparse_view", r,
                           "row_ptr[" + std::to_string(r + 1) + "] is " + std::to_string(row_ptr[r + 1]) +
                               ", past nnz = " + std::to_string(nnz));
      }
      for (std::uint64_t j = row_ptr[r]; j < row_ptr[r + 1]; ++j) {
        if (columns[j] >= cols()) {
          detail::bad_sparse("dense_and_sparse_view", r,
                             "column " + std::to_string(columns[j]) + " is past K = " + std::to_string(cols()));
        }
        if (j > row_ptr[r] && columns[j] <= columns[j - 1]) {
          detail::bad_sparse("dense_and_sparse_view", r,
                             "columns " + std::to_string(columns[j - 1]) + " then " + std::to_string(columns[j]) +
                                 ", expected strictly increasing");
        }
      }
    }
  }
  dense_and_sparse_view(detail::trusted_t, quantized_matrix_view<Format> const& dense, std::uint64_t const* row_ptr,
                        std::uint32_t const* columns, Outlier const* values) noexcept
      : dense_(dense), row_ptr_(row_ptr), columns_(columns), values_(values) {}

  std::size_t rows() const noexcept { return dense_.rows(); }
  std::size_t cols() const noexcept { return dense_.cols(); }
  quantized_matrix_view<Format> const& dense() const noexcept { return dense_; }
  std::uint64_t const* row_ptr() const noexcept { return row_ptr_; }
  std::uint32_t const* columns() const noexcept { return columns_; }
  Outlier const* values() const noexcept { return values_; }
  std::size_t nnz() const noexcept { return rows() == 0 ? 0 : static_cast<std::size_t>(row_ptr_[rows()]); }
  /// Bytes a kernel reads: the dense part and the CSR arrays.
  std::size_t storage_bytes() const noexcept {
    return dense_.storage_bytes() + (rows() + 1) * 8 + nnz() * (4 + sizeof(Outlier));
  }

 private:
  quantized_matrix_view<Format> dense_{};
  std::uint64_t const* row_ptr_ = nullptr;
  std::uint32_t const* columns_ = nullptr;
  Outlier const* values_ = nullptr;
};

/// The owning form, made by sparq::split_outliers<Format>.
template <class Format, class Outlier = float>
class dense_and_sparse {
 public:
  using view_type = dense_and_sparse_view<Format, Outlier>;
  using format = Format;

  dense_and_sparse() = default;
  /// Takes the parts, checked as the view checks them.
  dense_and_sparse(quantized_matrix<Format> dense, std::vector<std::uint64_t> row_ptr,
                   std::vector<std::uint32_t> columns, std::vector<Outlier> values)
      : dense_(std::move(dense)), row_ptr_(std::move(row_ptr)), columns_(std::move(columns)), values_(std::move(values)) {
    if (row_ptr_.size() != dense_.rows() + 1 || columns_.size() != values_.size()) {
      SPARQ_THROW(invalid_argument, "sparq::dense_and_sparse: row_ptr needs rows + 1 entries and columns as many "
                                    "as values");
    }
    (void)view_type(dense_.view(), row_ptr_.data(), columns_.data(), values_.data(), values_.size());  // checks
  }

  view_type view() const noexcept {
    return view_type(detail::trusted_t{}, dense_.view(), row_ptr_.data(), columns_.data(), values_.data());
  }
  operator view_type() const noexcept { return view(); }
  std::size_t rows() const noexcept { return dense_.rows(); }
  std::size_t cols() const noexcept { return dense_.cols(); }
  quantized_matrix<Format> const& dense() const noexcept { return dense_; }
  std::size_t nnz() const noexcept { return values_.size(); }
  std::size_t storage_bytes() const noexcept { return view().storage_bytes(); }

 private:
  quantized_matrix<Format> dense_;
  std::vector<std::uint64_t> row_ptr_;
  std::vector<std::uint32_t> columns_;
  std::vector<Outlier> values_;
};

SPARQ_NAMESPACE_END
