// SPDX-License-Identifier: Apache-2.0
// matrix_view<T>: a non-owning row-major view {data, rows, cols, ld} of dense float, bfloat16 or
// float16 data (const or mutable). Never allocates; checked where it is used.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>

#include <sparq/core/config.hpp>
#include <sparq/core/error.hpp>

SPARQ_NAMESPACE_BEGIN

/// Element (i, j) is data[i * ld + j]; ld >= cols (0 means cols).
///
/// A view is checked where it is used, not where it is built, so that the error names the
/// argument: every sparq entry point rejects a view with ld < cols, or a null data pointer for a
/// non-empty shape, with sparq::invalid_argument ("sparq::gemm: argument 'C' (a 4 x 200 view): ld
/// is 100, expected at least cols = 200"). valid() and problem() say the same to the caller.
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
  matrix_view(T* data, std::size_t rows, std::size_t cols, std::size_t ld = 0) noexcept
      : data_(data), rows_(rows), cols_(cols), ld_(ld == 0 ? cols : ld) {}
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

  /// Whether the view describes memory sparq can use: ld >= cols, data non-null when non-empty
  /// and aligned for its element type, and its (rows - 1) * ld + cols elements within the address
  /// space (sizes computed from negative or overflowed numbers are caught here, before any kernel
  /// runs).
  bool valid() const noexcept {
    return ld_ >= cols_ && (data_ != nullptr || rows_ == 0 || cols_ == 0) && aligned() && spans_address_space();
  }
  /// Why the view is not valid ("" when it is).
  std::string problem() const {
    if (ld_ < cols_) return "ld is " + std::to_string(ld_) + ", expected at least cols = " + std::to_string(cols_);
    if (!spans_address_space()) {
      return "(rows - 1) * ld + cols elements of " + std::to_string(sizeof(value_type)) +
             " bytes exceed the address space (a size computed from a negative or overflowed number?)";
    }
    if (!aligned()) {
      return "data is not aligned to " + std::to_string(alignof(value_type)) + " bytes (the alignment of its " +
             std::to_string(sizeof(value_type)) + "-byte elements)";
    }
    if (!valid()) return "data is null for a non-empty view";
    return "";
  }

 private:
  bool aligned() const noexcept { return reinterpret_cast<std::uintptr_t>(data_) % alignof(value_type) == 0; }
  bool spans_address_space() const noexcept {
    if (rows_ == 0 || cols_ == 0) return true;
    std::size_t const max = static_cast<std::size_t>(PTRDIFF_MAX) / sizeof(value_type);
    std::size_t const ld = ld_ < cols_ ? cols_ : ld_;
    return cols_ <= max && rows_ - 1 <= (max - cols_) / ld;
  }

  T* data_ = nullptr;
  std::size_t rows_ = 0, cols_ = 0, ld_ = 0;
};

namespace detail {
/// Throws sparq::invalid_argument naming the function and the argument when v is not valid.
template <class T>
void check_view(matrix_view<T> const& v, char const* fn, char const* arg) {
  if (!v.valid()) {
    SPARQ_THROW(invalid_argument, std::string(fn) + ": argument '" + arg + "' (a " + std::to_string(v.rows()) + " x " +
                                      std::to_string(v.cols()) + " view): " + v.problem());
  }
}

/// check_view(out) and that out is rows x cols: the output of a conversion (dequantize, densify).
template <class T>
void check_out(matrix_view<T> const& out, std::size_t rows, std::size_t cols, char const* fn) {
  check_view(out, fn, "out");
  if (out.rows() != rows || out.cols() != cols) {
    SPARQ_THROW(invalid_argument, std::string(fn) + ": argument 'out' is " + std::to_string(out.rows()) + " x " +
                                      std::to_string(out.cols()) + ", expected " + std::to_string(rows) + " x " +
                                      std::to_string(cols));
  }
}

/// Whether two valid views share a byte (their spans from the first to the last element).
template <class T, class U>
bool overlaps(matrix_view<T> const& x, matrix_view<U> const& y) noexcept {
  if (x.rows() == 0 || x.cols() == 0 || y.rows() == 0 || y.cols() == 0) return false;
  auto span = [](auto const& v, std::uintptr_t& b, std::uintptr_t& e) {
    b = reinterpret_cast<std::uintptr_t>(v.data());
    e = b + ((v.rows() - 1) * v.ld() + v.cols()) * sizeof(*v.data());
  };
  std::uintptr_t xb, xe, yb, ye;
  span(x, xb, xe);
  span(y, yb, ye);
  return xb < ye && yb < xe;
}

/// Throws sparq::invalid_argument when the output view `out` overlaps the input view `in` (an
/// in-place call: outputs are written while inputs are still read).
template <class T, class U>
void check_disjoint(matrix_view<T> const& out, matrix_view<U> const& in, char const* fn, char const* out_arg,
                    char const* in_arg) {
  if (overlaps(out, in)) {
    SPARQ_THROW(invalid_argument, std::string(fn) + ": argument '" + out_arg + "' overlaps argument '" + in_arg +
                                      "' in memory, expected separate buffers (in-place is not supported)");
  }
}
}  // namespace detail

SPARQ_NAMESPACE_END
