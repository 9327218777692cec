// SPDX-License-Identifier: Apache-2.0
// ggml's block layouts as sparq matrices, without a copy: ggml_matrix_view<Block> is an N x K
// matrix of ggml blocks (each row K / 32 blocks, one after another; rows at a fixed stride), the
// layout of a GGUF tensor of that type. Each block holds its scale and its 32 codes together
// (ggml's array of structures, where sparq's canonical layout keeps codes and scales apart).
//
// Each block type names the sparq format of the same values (its `format`), so that sparq's
// kernels, dequantize and prepack read it: value = element(code) * scale, as ggml computes it.
//
//   Q8_0  (34 bytes)  float16 d, then 32 int8 codes q:         value = q * d        int8_group<32, float16>
//   Q4_0  (18 bytes)  float16 d, then 16 bytes of 4-bit codes: value = (q - 8) * d  int4_group<32, float16>
//   MXFP4 (17 bytes)  E8M0 exponent e, then 16 bytes of E2M1:  value = fp4(q) * 2^(e - 127)  mxfp4
//
// The 4-bit types store value j (j < 16) in the low nibble of byte j and value j + 16 in its
// high nibble ("split halves"); sparq's own packing puts value 2i and 2i + 1 in byte i. Q4_0's
// code q - 8 is the int4 code q ^ 8; MXFP4's code 8 (-0) reads as +0, as ggml decodes it.
// docs/formats.md states every layout bit for bit, with where ggml differs from the OCP definition.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>

#include <sparq/core/aligned_buffer.hpp>
#include <sparq/core/config.hpp>
#include <sparq/core/error.hpp>
#include <sparq/format/block.hpp>
#include <sparq/format/float16.hpp>
#include <sparq/format/float8_e8m0fnu.hpp>
#include <sparq/format/int4.hpp>
#include <sparq/format/int8.hpp>
#include <sparq/format/float4_e2m1fn.hpp>
#include <sparq/layout/ggml_types.hpp>

SPARQ_NAMESPACE_BEGIN
namespace ggml {

/// The common facts of ggml's 32-value blocks: Scale bytes (a float16 or an E8M0 code) at the
/// start, then the codes. Split: 4-bit codes in split halves; Flip: XORed into each code byte of
/// the canonical order (Q4_0's q ^ 8 per nibble); PlusZero: code 8 reads as code 0 (ggml decodes
/// E2M1 through doubled int8 values, so its -0 is +0).
template <type Id, class Format, class Scale, std::size_t CodeBytes, bool Split, std::uint8_t Flip,
          bool PlusZero = false>
struct block32 {
  static constexpr type id = Id;
  using format = Format;
  using element = typename Format::element;
  using stored_scale = Scale;
  static constexpr std::size_t values = 32;
  static constexpr std::size_t scale_at = 0;
  static constexpr std::size_t codes_at = sizeof(Scale);
  static constexpr std::size_t bytes = sizeof(Scale) + CodeBytes;
  static constexpr bool split = Split;
  static constexpr std::uint8_t flip = Flip;

  /// The block's scale (the format's scale type).
  static Scale scale(std::uint8_t const* block) noexcept {
    Scale s;
    std::memcpy(&s, block + scale_at, sizeof(Scale));
    return s;
  }
  /// The code of value u (0..31) of a block, as the format's element.
  static element code(std::uint8_t const* block, std::size_t u) noexcept {
    std::uint8_t const* q = block + codes_at;
    if constexpr (Split) {
      unsigned const nibble = ((u < 16 ? (q[u] & 0x0Fu) : (q[u - 16] >> 4)) ^ Flip) & 0x0Fu;
      return element::from_bits(PlusZero && nibble == 8 ? 0u : nibble);
    } else {
      return element::from_bits(q[u]);
    }
  }
  /// Writes a block: its scale and the 32 codes given in sparq's packing (canonical_codes'
  /// inverse).
  static void store(std::uint8_t* block, Scale scale, std::uint8_t const* canonical) noexcept {
    std::memcpy(block + scale_at, &scale, sizeof(Scale));
    std::uint8_t* q = block + codes_at;
    if constexpr (Split) {
      auto const nibble = [&](std::size_t u) { return ((canonical[u / 2] >> (4 * (u % 2))) ^ Flip) & 0x0Fu; };
      for (std::size_t j = 0; j < 16; ++j) q[j] = static_cast<std::uint8_t>(nibble(j) | (nibble(j + 16) << 4));
    } else {
      std::memcpy(q, canonical, CodeBytes);
    }
  }
  /// The block's 32 codes in sparq's packing (layout/packing.hpp): CodeBytes bytes to out.
  static void canonical_codes(std::uint8_t const* block, std::uint8_t* out) noexcept {
    std::uint8_t const* q = block + codes_at;
    if constexpr (Split) {
      for (std::size_t i = 0; i < 8; ++i) {
        out[i] = static_cast<std::uint8_t>(((q[2 * i] & 0x0Fu) | (q[2 * i + 1] << 4)) ^ Flip);
        out[8 + i] = static_cast<std::uint8_t>(((q[2 * i] >> 4) | (q[2 * i + 1] & 0xF0u)) ^ Flip);
      }
      if constexpr (PlusZero) {
        for (std::size_t i = 0; i < 16; ++i) {
          unsigned const lo = out[i] & 0x0Fu, hi = out[i] >> 4;
          out[i] = static_cast<std::uint8_t>((lo == 8 ? 0u : lo) | ((hi == 8 ? 0u : hi) << 4));
        }
      }
    } else {
      std::memcpy(out, q, CodeBytes);
    }
  }
};

using q8_0 = block32<type::q8_0, int8_group<32, float16>, float16, 32, false, 0>;
using q4_0 = block32<type::q4_0, int4_group<32, float16>, float16, 16, true, 0x88>;
using mxfp4 = block32<type::mxfp4, sparq::mxfp4, float8_e8m0fnu, 16, true, 0, true>;

}  // namespace ggml

/// An N x K matrix of ggml blocks of type Block (ggml::q8_0, ggml::q4_0, ggml::mxfp4) in memory
/// the caller owns: row r's blocks start at data + r * row_stride. sparq::gemm, sparq::dequantize
/// and sparq::prepack take it like a quantized_matrix_view of Block::format.
template <class Block>
class ggml_matrix_view {
 public:
  using block = Block;
  using format = typename Block::format;

  ggml_matrix_view() = default;
  /// @pre K is a multiple of 32 and row_stride (0: K / 32 blocks) at least a row's bytes;
  ///      otherwise sparq::invalid_argument names the argument.
  ggml_matrix_view(std::uint8_t const* data, std::size_t rows, std::size_t cols, std::size_t row_stride = 0)
      : data_(data), rows_(rows), cols_(cols) {
    std::string const fn = "sparq::ggml_matrix_view<" + ggml::type_name(Block::id) + ">";
    if (cols % Block::values != 0) {
      SPARQ_THROW(invalid_argument, fn + ": argument 'cols' is " + std::to_string(cols) + ", expected a multiple of " +
                                        std::to_string(Block::values));
    }
    std::size_t const need = cols / Block::values * Block::bytes;
    stride_ = row_stride == 0 ? need : row_stride;
    if (stride_ < need) {
      SPARQ_THROW(invalid_argument, fn + ": argument 'row_stride' is " + std::to_string(row_stride) +
                                        ", expected at least the row's " + std::to_string(need) + " bytes");
    }
    if (data == nullptr && rows != 0 && cols != 0) {
      SPARQ_THROW(invalid_argument, fn + ": argument 'data' is null for a non-empty matrix");
    }
  }

  std::uint8_t const* data() const noexcept { return data_; }
  std::size_t rows() const noexcept { return rows_; }
  std::size_t cols() const noexcept { return cols_; }
  std::size_t row_stride() const noexcept { return stride_; }
  std::size_t blocks_per_row() const noexcept { return cols_ / Block::values; }
  /// Block b of row r.
  std::uint8_t const* block_at(std::size_t r, std::size_t b) const noexcept {
    return data_ + r * stride_ + b * Block::bytes;
  }
  /// Bytes a kernel reads (the blocks, not the gaps between rows).
  std::size_t storage_bytes() const noexcept { return rows_ * blocks_per_row() * Block::bytes; }

 private:
  std::uint8_t const* data_ = nullptr;
  std::size_t rows_ = 0, cols_ = 0, stride_ = 0;
};

/// An owning N x K matrix of ggml blocks (sparq::ggml::quantize, sparq::to_ggml), rows packed.
template <class Block>
class ggml_matrix {
 public:
  using block = Block;
  ggml_matrix() = default;
  /// @pre K is a multiple of 32 (sparq::invalid_argument otherwise). Blocks zeroed.
  ggml_matrix(std::size_t rows, std::size_t cols) : rows_(rows), cols_(cols) {
    ggml_matrix_view<Block> const check(nullptr, 0, cols);  // the K check and its message
    (void)check;
    bytes_ = aligned_buffer(rows * (cols / Block::values) * Block::bytes);
  }
  std::size_t rows() const noexcept { return rows_; }
  std::size_t cols() const noexcept { return cols_; }
  std::uint8_t* data() noexcept { return bytes_.data(); }
  std::uint8_t const* data() const noexcept { return bytes_.data(); }
  std::size_t bytes() const noexcept { return bytes_.size(); }
  std::uint8_t* block_at(std::size_t r, std::size_t b) noexcept {
    return bytes_.data() + (r * (cols_ / Block::values) + b) * Block::bytes;
  }
  ggml_matrix_view<Block> view() const { return ggml_matrix_view<Block>(bytes_.data(), rows_, cols_); }
  operator ggml_matrix_view<Block>() const { return view(); }

 private:
  aligned_buffer bytes_;
  std::size_t rows_ = 0, cols_ = 0;
};

template <class T>
struct is_ggml_matrix_view : std::false_type {};
template <class Block>
struct is_ggml_matrix_view<ggml_matrix_view<Block>> : std::true_type {};

SPARQ_NAMESPACE_END
