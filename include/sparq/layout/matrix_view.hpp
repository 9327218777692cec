// SPDX-License-Identifier: Apache-2.0
// matrix_view<T>: a non-owning row-major view {data, rows, cols, ld} of dense float, bfloat16 or
// float16 data (const or mutable). Never allocates.
#pragma once

#include <cstddef>
#include <string>
#include <type_traits>

#include <sparq/core/config.hpp>
#include <sparq/core/error.hpp>

SPARQ_NAMESPACE_BEGIN

/// Element (i, j) is data[i * ld + j]; ld >= cols (0 means cols).
///
/// @pre data points at (rows - 1) * ld + cols elements when rows * cols > 0.
///
///   float buf[2 * 5];
///   sparq::matrix_view<float> m{buf, 2, 3, 5};   // m(1, 2) is buf[7]
template <class T>
class matrix_view {
 public:
  using value_type = std::remove_const_t<T>;

  matrix_view() noexcept = default;
  matrix_view(T* data, std::size_t rows, std::size_t cols, std::size_t ld = 0)
      : data_(data), rows_(rows), cols_(cols), ld_(ld == 0 ? cols : ld) {
    if (ld_ < cols_) {
      SPARQ_THROW(invalid_argument, "sparq::matrix_view: ld is " + std::to_string(ld_) +
                                        ", expected at least cols = " + std::to_string(cols_));
    }
    if (data_ == nullptr && rows_ != 0 && cols_ != 0) {
      SPARQ_THROW(invalid_argument, "sparq::matrix_view: data is null for a " + std::to_string(rows_) + " x " +
                                        std::to_string(cols_) + " matrix");
    }
  }
  /// A view of mutable data converts to a view of const data.
  template <class U, class = std::enable_if_t<std::is_same<T, U const>::value>>
  matrix_view(matrix_view<U> const& other) noexcept
      : data_(other.data()), rows_(other.rows()), cols_(other.cols()), ld_(other.ld()) {}

  T* data() const noexcept { return data_; }
  std::size_t rows() const noexcept { return rows_; }
  std::size_t cols() const noexcept { return cols_; }
  std::size_t ld() const noexcept { return ld_; }
  T* row(std::size_t i) const noexcept { return data_ + i * ld_; }
  T& operator()(std::size_t i, std::size_t j) const noexcept { return data_[i * ld_ + j]; }

 private:
  T* data_ = nullptr;
  std::size_t rows_ = 0, cols_ = 0, ld_ = 0;
};

SPARQ_NAMESPACE_END
