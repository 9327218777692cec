// SPDX-License-Identifier: Apache-2.0
// quantized_matrix<Format>: an N x K weight matrix (output features x input features, row-major,
// blocks along K) in a block or element format; codes, scales and zero points in separate arrays.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <string>
#include <type_traits>

#include <sparq/core/aligned_buffer.hpp>
#include <sparq/core/config.hpp>
#include <sparq/core/error.hpp>
#include <sparq/format/block.hpp>
#include <sparq/format/traits.hpp>
#include <sparq/layout/packing.hpp>

SPARQ_NAMESPACE_BEGIN

namespace detail {
/// F's block size, 0 for element formats.
template <class F>
constexpr std::size_t block_size_or_zero() noexcept {
  if constexpr (is_block_format_v<F>) {
    return static_cast<std::size_t>(F::block_size);
  } else {
    return 0;
  }
}

/// Layout facts of a format inside a matrix. Element formats carry one float scale per row (a
/// per-tensor scale is the same value in every row) and one block per row.
template <class F, bool Block = is_block_format_v<F>>
struct matrix_layout {
  using element = typename F::element;
  using scale_type = typename F::scale_type;
  static constexpr bool has_zero_point = F::has_zero_point;
  static std::size_t block(std::size_t) noexcept { return static_cast<std::size_t>(F::block_size); }
};
template <class F>
struct matrix_layout<F, false> {
  using element = F;
  using scale_type = float;
  static constexpr bool has_zero_point = false;
  static std::size_t block(std::size_t cols) noexcept { return cols ? cols : 1; }
};

/// Bytes of n codes of element format E: packed below 8 bits, whole storage units otherwise.
template <class E>
constexpr std::size_t code_bytes(std::size_t n) noexcept {
  if constexpr (bits_of_v<E> <= 8) {
    return packed_bytes<E>(n);
  } else {
    return n * sizeof(typename E::storage_type);
  }
}

/// The shape arithmetic shared by the view and the owning matrix.
template <class F>
struct matrix_shape {
  using layout = matrix_layout<F>;
  using element = typename layout::element;
  using scale_type = typename layout::scale_type;
  std::size_t rows_ = 0, cols_ = 0;

  std::size_t rows() const noexcept { return rows_; }
  std::size_t cols() const noexcept { return cols_; }
  std::size_t block() const noexcept { return layout::block(cols_); }
  std::size_t blocks_per_row() const noexcept { return cols_ == 0 ? 0 : (cols_ + block() - 1) / block(); }
  std::size_t padded_cols() const noexcept { return blocks_per_row() * block(); }
  std::size_t code_row_bytes() const noexcept { return code_bytes<element>(padded_cols()); }
  std::size_t zero_row_bytes() const noexcept {
    return layout::has_zero_point ? code_bytes<element>(blocks_per_row()) : 0;
  }
  /// Bytes a kernel reads: codes + scales + zero points.
  std::size_t storage_bytes() const noexcept {
    return rows_ * (code_row_bytes() + blocks_per_row() * sizeof(scale_type) + zero_row_bytes());
  }
  /// Whether every byte count above is computed without overflow and the arrays fit the address
  /// space (PTRDIFF_MAX bytes); shapes from negative or overflowed numbers fail.
  bool fits() const noexcept {
    if (rows_ == 0 || cols_ == 0) return true;
    std::size_t const max = static_cast<std::size_t>(PTRDIFF_MAX), b = block();
    if (cols_ > max / 16 || b > max / 16) return false;  // padded columns below 2^59: no code count overflows
    if (blocks_per_row() > (max / 16) / b) return false;
    std::size_t const row = code_row_bytes() + blocks_per_row() * sizeof(scale_type) + zero_row_bytes();
    return rows_ <= max / row;
  }
  /// Throws sparq::invalid_argument naming `who` when the shape does not fit().
  void check_fits(char const* who) const {
    if (!fits()) {
      SPARQ_THROW(invalid_argument, std::string(who) + ": a " + std::to_string(rows_) + " x " + std::to_string(cols_) +
                                        " matrix needs more bytes than the address space holds (rows or cols "
                                        "computed from a negative or overflowed number?)");
    }
  }
};
/// A float as error text ("nan", "-inf", "-0.5").
inline std::string float_text(float v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", static_cast<double>(v));
  return buf;
}
}  // namespace detail

/// Tag of the quantized_matrix_view constructor that does not read the scales (bytes already
/// checked, or written by sparq::quantize).
struct trusted_scales_t {
  explicit trusted_scales_t() = default;
};
inline constexpr trusted_scales_t trusted_scales{};

/// The canonical layout, bit for bit (docs/formats.md section 4):
///
///   codes   [N][code_row_bytes]   row r holds the codes of columns 0..padded_cols-1, packed as
///                                 layout/packing.hpp says (4-bit low nibble first, 6-bit LE
///                                 stream, 2-bit lowest first; 8-bit one per byte).
///   scales  [N][blocks_per_row]   scale_type values (E8M0 / E4M3 one byte, float 4, bf16 2).
///   zeros   [N][zero_row_bytes]   min_max formats: one zero point per block, packed like codes.
///   tensor_decode                 NVFP4: the FP32 per-tensor decode scale (1 otherwise).
///
/// K not a multiple of the block size is zero padded up to padded_cols: the padding counts as
/// zeros in the last block's statistics and its codes are those of 0. Element formats have one
/// block per row and a float scale per row. Rows are contiguous (row r of codes at
/// r * code_row_bytes); the owning container aligns each array to 64 bytes.
template <class F>
class quantized_matrix_view : public detail::matrix_shape<F> {
  using shape = detail::matrix_shape<F>;

 public:
  using format = F;
  using layout = detail::matrix_layout<F>;
  using element = typename layout::element;
  using scale_type = typename layout::scale_type;

  quantized_matrix_view() noexcept = default;
  /// A view over the caller's buffers (never allocates), sized as quantized_matrix reports for the
  /// same rows and cols. The bytes are untrusted: every scale is read once and must be a finite,
  /// non-negative number (an E8M0 scale other than 0xFF), the NVFP4 tensor scale too, and `scales`
  /// must be aligned for scale_type; anything else throws sparq::invalid_argument naming the row
  /// and block. (sparq::quantize writes a NaN scale for a block that held NaN or Inf: view such
  /// bytes with sparq::trusted_scales, or keep them in their quantized_matrix.)
  quantized_matrix_view(std::uint8_t const* codes, scale_type const* scales, std::uint8_t const* zeros,
                        std::size_t rows, std::size_t cols, float tensor_decode = 1.0f)
      : quantized_matrix_view(trusted_scales, codes, scales, zeros, rows, cols, tensor_decode) {
    check_scales();
  }
  /// The same view without reading the scales (O(1)): for bytes already checked once, e.g. when
  /// the engine loaded them, or bytes sparq::quantize wrote. Shapes, null buffers and the scales'
  /// alignment are still checked.
  quantized_matrix_view(trusted_scales_t, std::uint8_t const* codes, scale_type const* scales, std::uint8_t const* zeros,
                        std::size_t rows, std::size_t cols, float tensor_decode = 1.0f)
      : shape{rows, cols}, codes_(codes), scales_(scales), zeros_(zeros), tensor_decode_(tensor_decode) {
    this->check_fits("sparq::quantized_matrix_view");
    if (rows != 0 && cols != 0 && (codes == nullptr || scales == nullptr || (layout::has_zero_point && zeros == nullptr))) {
      SPARQ_THROW(invalid_argument, std::string("sparq::quantized_matrix_view: a null buffer for a ") +
                                        std::to_string(rows) + " x " + std::to_string(cols) + " matrix");
    }
    if (reinterpret_cast<std::uintptr_t>(scales) % alignof(scale_type) != 0) {
      SPARQ_THROW(invalid_argument, std::string("sparq::quantized_matrix_view: argument 'scales' is not aligned to ") +
                                        std::to_string(alignof(scale_type)) + " bytes, expected an array of " +
                                        detail::type_label<scale_type>());
    }
  }

  float tensor_decode() const noexcept { return tensor_decode_; }
  std::uint8_t const* codes() const noexcept { return codes_; }
  scale_type const* scales() const noexcept { return scales_; }
  std::uint8_t const* zeros() const noexcept { return zeros_; }
  std::uint8_t const* code_row(std::size_t r) const noexcept { return codes_ + r * this->code_row_bytes(); }
  scale_type const* scale_row(std::size_t r) const noexcept { return scales_ + r * this->blocks_per_row(); }
  std::uint8_t const* zero_row(std::size_t r) const noexcept { return zeros_ + r * this->zero_row_bytes(); }

 private:
  void check_scales() const {
    auto const bad = [](float v) { return !(v >= 0.0f) || v > std::numeric_limits<float>::max(); };
    if (bad(tensor_decode_)) {
      SPARQ_THROW(invalid_argument, "sparq::quantized_matrix_view: argument 'tensor_decode' is " +
                                        detail::float_text(tensor_decode_) + ", expected a finite non-negative number");
    }
    std::size_t const blocks = this->blocks_per_row();
    for (std::size_t r = 0; r < this->rows(); ++r) {
      scale_type const* row = scale_row(r);
      for (std::size_t b = 0; b < blocks; ++b) {
        float const v = static_cast<float>(row[b]);
        if (bad(v)) {
          SPARQ_THROW(invalid_argument, "sparq::quantized_matrix_view: the scale of row " + std::to_string(r) + ", block " +
                                            std::to_string(b) + " is " + detail::float_text(v) +
                                            ", expected a finite non-negative number (untrusted bytes; see "
                                            "sparq::trusted_scales)");
        }
      }
    }
  }

  std::uint8_t const* codes_ = nullptr;
  scale_type const* scales_ = nullptr;
  std::uint8_t const* zeros_ = nullptr;
  float tensor_decode_ = 1.0f;
};

/// The owning container: three 64-byte aligned arrays in the layout of quantized_matrix_view.
/// Created by sparq::quantize; the raw bytes are exposed so engines can serialize them.
template <class F>
class quantized_matrix : public detail::matrix_shape<F> {
  using shape = detail::matrix_shape<F>;

 public:
  using view_type = quantized_matrix_view<F>;
  using element = typename view_type::element;
  using scale_type = typename view_type::scale_type;

  quantized_matrix() = default;
  quantized_matrix(std::size_t rows, std::size_t cols) : shape{rows, cols} {
    this->check_fits("sparq::quantized_matrix");
    codes_ = aligned_buffer(rows * this->code_row_bytes());
    scales_ = aligned_buffer(rows * this->blocks_per_row() * sizeof(scale_type));
    zeros_ = aligned_buffer(rows * this->zero_row_bytes());
  }

  view_type view() const noexcept {
    return view_type(trusted_scales, codes_.data(), reinterpret_cast<scale_type const*>(scales_.data()), zeros_.data(), this->rows(),
                     this->cols(), tensor_decode_);
  }
  operator view_type() const noexcept { return view(); }

  std::uint8_t* codes() noexcept { return codes_.data(); }
  std::uint8_t* code_row(std::size_t r) noexcept { return codes_.data() + r * this->code_row_bytes(); }
  scale_type* scale_row(std::size_t r) noexcept { return scales() + r * this->blocks_per_row(); }
  std::uint8_t* zero_row(std::size_t r) noexcept { return zeros_.data() + r * this->zero_row_bytes(); }
  scale_type* scales() noexcept { return reinterpret_cast<scale_type*>(scales_.data()); }
  std::uint8_t* zeros() noexcept { return zeros_.data(); }
  std::size_t code_bytes() const noexcept { return codes_.size(); }
  std::size_t scale_bytes() const noexcept { return scales_.size(); }
  std::size_t zero_bytes() const noexcept { return zeros_.size(); }
  float tensor_decode() const noexcept { return tensor_decode_; }
  void set_tensor_decode(float s) noexcept { tensor_decode_ = s; }

 private:
  aligned_buffer codes_, scales_, zeros_;
  float tensor_decode_ = 1.0f;
};

SPARQ_NAMESPACE_END
