// SPDX-License-Identifier: Apache-2.0
// The kept values of a sparse layout: float (stored as is) or any sparq element or block format
// (a quantized_matrix over the compressed values, so block scales, zero points and every codec
// come from the dense layout unchanged), plus the checks the sparse containers share.
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
#include <sparq/layout/matrix_view.hpp>
#include <sparq/layout/quantized_matrix.hpp>

SPARQ_NAMESPACE_BEGIN
namespace detail {

/// A rows x cols float matrix in one 64-byte aligned buffer (float kept values).
class float_matrix {
 public:
  float_matrix() = default;
  float_matrix(std::size_t rows, std::size_t cols) : data_(rows * cols * sizeof(float)), rows_(rows), cols_(cols) {}
  std::size_t rows() const noexcept { return rows_; }
  std::size_t cols() const noexcept { return cols_; }
  float* row(std::size_t r) noexcept { return data() + r * cols_; }
  float* data() noexcept { return reinterpret_cast<float*>(data_.data()); }
  float const* data() const noexcept { return reinterpret_cast<float const*>(data_.data()); }
  matrix_view<float const> view() const noexcept { return {data(), rows_, cols_}; }

 private:
  aligned_buffer data_;
  std::size_t rows_ = 0, cols_ = 0;
};

/// What kept values of type V are stored in: `matrix` (owning), `view`, the element format and
/// its bits. V is float, an element format (bfloat16, float16, FP8, INT8, INT4, FP4 ...) or a block
/// format (MXFP4, NVFP4, integer groups ...).
template <class V, bool Format = is_format_v<V> || is_block_format_v<V>>
struct values_of {
  using matrix = quantized_matrix<V>;
  using view = quantized_matrix_view<V>;
  using element = typename matrix_layout<V>::element;
  static constexpr bool block = is_block_format_v<V>;
  static constexpr std::size_t block_size = block_size_or_zero<V>();
  static constexpr int bits = bits_of_v<element>;
  static constexpr bool has_zero = matrix_layout<V>::has_zero_point;
  static std::size_t bytes(view const& v) noexcept { return v.storage_bytes(); }
  /// The codes (value bytes) of the kept values.
  static char const* data(view const& v) noexcept { return reinterpret_cast<char const*>(v.codes()); }
};
template <class V>
struct values_of<V, false> {
  static_assert(std::is_same<V, float>::value,
                "sparq sparse layouts: Values must be float, an element format or a block format");
  using matrix = float_matrix;
  using view = matrix_view<float const>;
  using element = float;
  static constexpr bool block = false;
  static constexpr std::size_t block_size = 0;
  static constexpr int bits = 32;
  static constexpr bool has_zero = false;
  static std::size_t bytes(view const& v) noexcept { return v.rows() * v.cols() * sizeof(float); }
  static char const* data(view const& v) noexcept { return reinterpret_cast<char const*>(v.data()); }
};

/// Values per byte boundary of a packed element stream (4-bit: 2, 6-bit: 4, 2-bit: 4, else 1).
constexpr std::size_t byte_pad_values(int bits) noexcept {
  int a = bits, b = 8;
  while (b != 0) {
    int const t = a % b;
    a = b;
    b = t;
  }
  return static_cast<std::size_t>(8 / a);
}

/// a * b, or a sparq::invalid_argument naming `what` when the product does not fit in size_t.
inline std::size_t checked_mul(std::size_t a, std::size_t b, char const* fn, char const* what) {
  if (a != 0 && b > std::numeric_limits<std::size_t>::max() / a) {
    SPARQ_THROW(invalid_argument, std::string(fn) + ": " + what + " (" + std::to_string(a) + " x " +
                                      std::to_string(b) + ") does not fit in memory");
  }
  return a * b;
}

/// The error of sparse metadata read from bytes: names the container, the row and what is wrong.
[[noreturn]] inline void bad_sparse(char const* container, std::size_t row, std::string const& what) {
  SPARQ_THROW(invalid_argument, std::string("sparq::") + container + ": row " + std::to_string(row) + ": " + what);
}

/// Tag of the containers' own (already checked) views.
struct trusted_t {};

}  // namespace detail
SPARQ_NAMESPACE_END
