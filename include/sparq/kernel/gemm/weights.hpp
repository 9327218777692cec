// SPDX-License-Identifier: Apache-2.0
// Weight sources for the GEMV/GEMM kernels: how row r, chunk c of W is found and decoded, and
// what multiplies each block. One class serves quantized weights in the canonical layout and in
// the prepacked (row-interleaved) layout, another plain float / bfloat16 / float16 weights; the
// kernels are written once against this interface:
//
//   unit, blocks(), chunks(), chunks_per_block
//   decode<A>(r, c, fbatch<A>* out)   values of the chunk's codes (zero point subtracted)
//   scale(r, b)                       the block's multiplier (NaN for a NaN scale)
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include <sparq/core/config.hpp>
#include <sparq/format/block.hpp>
#include <sparq/format/traits.hpp>
#include <sparq/kernel/simd.hpp>
#include <sparq/layout/matrix_view.hpp>
#include <sparq/layout/packing.hpp>
#include <sparq/layout/quantized_matrix.hpp>
#if SPARQ_SIMD
#include <sparq/kernel/cpu/decode_chunk.hpp>
#endif

SPARQ_NAMESPACE_BEGIN
namespace detail {

/// Codes decoded per step: 32, or the block size when a block is 16 codes (NVFP4).
template <class F>
constexpr std::size_t block_size_or_zero() noexcept {
  if constexpr (is_block_format_v<F>) {
    return static_cast<std::size_t>(F::block_size);
  } else {
    return 0;
  }
}

template <class F>
struct gemm_unit {
  static constexpr bool block = is_block_format_v<F>;
  static constexpr std::size_t block_size = block_size_or_zero<F>();
  static constexpr std::size_t value = block && block_size < 32 ? block_size : 32;
  /// The fused kernels need whole units per block; other block sizes go through dequantize.
  static constexpr bool fused = !block || (block_size % value == 0 && (value == 16 || value == 32));
};

/// The multiplier of an 8-bit block-scale code: decoded scale, MXINT8's 2^-6 code factor and
/// NVFP4's tensor scale folded in (one rounding for NVFP4: (s * t) instead of (x * s) * t).
template <class F>
std::array<float, 256> scale_table(float tensor_decode) {
  using S = typename F::scale_type;
  std::array<float, 256> t{};
  float const factor = detail::exp2i(-mx_element<typename F::element>::code_factor_log2);
  for (std::uint32_t c = 0; c < 256; ++c) {
    float v = static_cast<float>(S::from_bits(c));
    if constexpr (std::is_same<S, float8_e8m0fnu>::value) v *= factor;
    if constexpr (F::has_tensor_scale) v *= tensor_decode;
    t[c] = v;
  }
  return t;
}

/// Keeps the first `valid` codes of a chunk copied to dst (chunk bytes long) and clears the rest,
/// so padding and whatever follows a row never reach the arithmetic.
inline void mask_chunk(std::uint8_t* dst, std::size_t bytes, std::size_t valid, int bits) noexcept {
  std::size_t const keep_bits = valid * static_cast<std::size_t>(bits);
  std::size_t const full = keep_bits / 8, rest = keep_bits % 8;
  if (rest != 0) dst[full] = static_cast<std::uint8_t>(dst[full] & ((1u << rest) - 1u));
  for (std::size_t i = full + (rest != 0 ? 1 : 0); i < bytes; ++i) dst[i] = 0;
}

/// Where row r's chunk c and block b live: the canonical rows, or groups of 8 rows interleaved
/// chunk by chunk (prepacked).
enum class weight_order { canonical, interleaved };
inline constexpr std::size_t interleave_rows = 8;

template <class F, weight_order Order = weight_order::canonical>
class quantized_weights {
 public:
  using layout = matrix_layout<F>;
  using element = typename layout::element;
  using scale_type = typename layout::scale_type;
  static constexpr std::size_t unit = gemm_unit<F>::value;
  static constexpr std::size_t chunk_bytes = unit * static_cast<std::size_t>(bits_of_v<element>) / 8;
  static constexpr bool has_zero = layout::has_zero_point;
  /// Code values so large (E8M0: up to 2^127) that sums of them overflow before the scale is
  /// applied: the kernels scale each value first.
  static constexpr bool prescale = max_finite_v<element> > 1e30f;

  /// codes/scales/zeros: canonical arrays, or the prepacked arrays (then zeros are one byte each).
  quantized_weights(std::uint8_t const* codes, scale_type const* scales, std::uint8_t const* zeros,
                    std::size_t rows, std::size_t cols, std::size_t code_row_bytes, std::size_t blocks_per_row,
                    std::size_t zero_row_bytes, float tensor_decode)
      : codes_(codes), scales_(scales), zeros_(zeros), rows_(rows), cols_(cols), code_row_bytes_(code_row_bytes),
        blocks_per_row_(blocks_per_row), zero_row_bytes_(zero_row_bytes) {
    chunks_ = (cols + unit - 1) / unit;
    chunks_per_block_ = gemm_unit<F>::block ? gemm_unit<F>::block_size / unit : (chunks_ == 0 ? 1 : chunks_);
    tail_ = Order == weight_order::canonical ? cols % unit : 0;
    if constexpr (sizeof(scale_type) == 1) table_ = scale_table<F>(tensor_decode);
  }
  explicit quantized_weights(quantized_matrix_view<F> const& w)
      : quantized_weights(w.codes(), w.scales(), w.zeros(), w.rows(), w.cols(), w.code_row_bytes(),
                          w.blocks_per_row(), w.zero_row_bytes(), w.tensor_decode()) {}

  std::size_t rows() const noexcept { return rows_; }
  std::size_t cols() const noexcept { return cols_; }
  std::size_t chunks() const noexcept { return chunks_; }
  std::size_t chunks_per_block() const noexcept { return chunks_per_block_; }
  std::size_t blocks() const noexcept { return (chunks_ + chunks_per_block_ - 1) / chunks_per_block_; }

  std::uint8_t const* chunk(std::size_t r, std::size_t c) const noexcept {
    if constexpr (Order == weight_order::canonical) {
      return codes_ + r * code_row_bytes_ + c * chunk_bytes;
    } else {
      std::size_t const g = r / interleave_rows, i = r % interleave_rows;
      return codes_ + ((g * chunks_ + c) * interleave_rows + i) * chunk_bytes;
    }
  }

  float scale(std::size_t r, std::size_t b) const noexcept {
    scale_type const s = scale_code(r, b);
    if constexpr (sizeof(scale_type) == 1) {
      return table_[s.bits()];
    } else {
      return static_cast<float>(s);
    }
  }

  float zero(std::size_t r, std::size_t b) const noexcept { return static_cast<float>(zero_code(r, b)); }

  /// The zero point of block b of row r as an unsigned code (0 without zero points).
  unsigned zero_code(std::size_t r, std::size_t b) const noexcept {
    if constexpr (!has_zero) {
      (void)r;
      (void)b;
      return 0;
    } else if constexpr (Order == weight_order::canonical) {
      element z;
      unpack_one(zeros_ + r * zero_row_bytes_, b, z);
      return static_cast<unsigned>(z.bits());
    } else {
      return zeros_[index(r, b)];
    }
  }

  scale_type scale_code(std::size_t r, std::size_t b) const noexcept {
    if constexpr (Order == weight_order::canonical) {
      return scales_[r * blocks_per_row_ + b];
    } else {
      return scales_[index(r, b)];
    }
  }

  /// Whether chunk c holds columns past K (only the last chunk of a canonical row can).
  bool partial(std::size_t c) const noexcept { return tail_ != 0 && c + 1 == chunks_; }

  /// The bytes of chunk c of row r with codes past the valid columns cleared (chunk_bytes long).
  void chunk_copy(std::size_t r, std::size_t c, std::uint8_t* dst) const noexcept {
    std::uint8_t const* p = chunk(r, c);
    if (partial(c)) {
      std::size_t const avail = code_row_bytes_ - c * chunk_bytes;
      std::size_t const n = avail < chunk_bytes ? avail : chunk_bytes;
      std::memcpy(dst, p, n);
      for (std::size_t i = n; i < chunk_bytes; ++i) dst[i] = 0;
      mask_chunk(dst, chunk_bytes, tail_, bits_of_v<element>);
    } else {
      std::memcpy(dst, p, chunk_bytes);
    }
  }

  /// Where the kernels read chunk c of row r: in place, or (the last chunk of a canonical row
  /// with K not a multiple of the unit) the masked copy made in buf (chunk_bytes long).
  std::uint8_t const* chunk_or_copy(std::size_t r, std::size_t c, std::uint8_t* buf) const noexcept {
    if (!partial(c)) return chunk(r, c);
    chunk_copy(r, c, buf);
    return buf;
  }

#if SPARQ_SIMD
  /// The chunk's code values (unscaled; zero point subtracted by the caller through zero()).
  template <class A>
  SPARQ_INLINE void decode(std::size_t r, std::size_t c, kernel::simd::fbatch<A>* out) const noexcept {
    alignas(64) std::uint8_t buf[chunk_bytes];
    kernel::simd::decode_chunk<A, element, unit>(chunk_or_copy(r, c, buf), out, A{});
  }
#endif

  /// Scalar form (no SIMD builds and the reference of the tests): code value of column k of row r.
  float value(std::size_t r, std::size_t k) const noexcept {
    std::size_t const c = k / unit;
    if (tail_ != 0 && c + 1 == chunks_ && k % unit >= tail_) return 0.0f;
    element e;
    unpack_one(chunk(r, c), k % unit, e);
    return static_cast<float>(e);
  }

 private:
  std::size_t index(std::size_t r, std::size_t b) const noexcept {
    std::size_t const g = r / interleave_rows, i = r % interleave_rows;
    return (g * blocks_per_row_ + b) * interleave_rows + i;
  }
  static void unpack_one(std::uint8_t const* p, std::size_t i, element& out) noexcept {
    if constexpr (bits_of_v<element> <= 8) {
      constexpr std::size_t b = static_cast<std::size_t>(bits_of_v<element>);
      std::size_t const bit = i * b;
      unsigned const lo = p[bit / 8];
      unsigned const hi = bit % 8 + b > 8 ? p[bit / 8 + 1] : 0u;
      out = element::from_bits(((lo | (hi << 8)) >> (bit % 8)) & ((1u << b) - 1u));
    } else {
      std::memcpy(&out, p + i * sizeof(element), sizeof(element));
    }
  }

  std::uint8_t const* codes_;
  scale_type const* scales_;
  std::uint8_t const* zeros_;
  std::size_t rows_, cols_, code_row_bytes_, blocks_per_row_, zero_row_bytes_;
  std::size_t chunks_ = 0, chunks_per_block_ = 1, tail_ = 0;
  std::array<float, 256> table_{};
};

/// Plain weights (float, bfloat16, float16), any row stride; multiplier 1.
template <class T>
class dense_weights {
 public:
  static constexpr std::size_t unit = 32;
  static constexpr bool has_zero = false;
  static constexpr bool prescale = false;
  explicit dense_weights(matrix_view<T const> const& w) : w_(w), chunks_((w.cols() + unit - 1) / unit) {}

  std::size_t rows() const noexcept { return w_.rows(); }
  std::size_t cols() const noexcept { return w_.cols(); }
  std::size_t chunks() const noexcept { return chunks_; }
  std::size_t chunks_per_block() const noexcept { return chunks_ == 0 ? 1 : chunks_; }
  std::size_t blocks() const noexcept { return chunks_ == 0 ? 0 : 1; }
  float scale(std::size_t, std::size_t) const noexcept { return 1.0f; }
  float zero(std::size_t, std::size_t) const noexcept { return 0.0f; }

#if SPARQ_SIMD
  template <class A>
  SPARQ_INLINE void decode(std::size_t r, std::size_t c, kernel::simd::fbatch<A>* out) const noexcept {
    constexpr std::size_t w = kernel::simd::fbatch<A>::size;
    T const* p = w_.row(r) + c * unit;
    std::size_t const valid = w_.cols() - c * unit;
    if (valid >= unit) {
      for (std::size_t j = 0; j < unit / w; ++j) out[j] = kernel::simd::load_float<A>(p + j * w, A{});
    } else {
      alignas(64) T buf[unit];
      for (std::size_t i = 0; i < unit; ++i) buf[i] = i < valid ? p[i] : T(0.0f);
      for (std::size_t j = 0; j < unit / w; ++j) out[j] = kernel::simd::load_float<A>(buf + j * w, A{});
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
