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
#include <sparq/format/float8_e4m3fn.hpp>
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
  static constexpr std::size_t chunk_values = 32, per_block = 1;  // one scale per block

  /// The block's scale (the format's scale type).
  static Scale scale(std::uint8_t const* block) noexcept {
    Scale s;
    std::memcpy(&s, block + scale_at, sizeof(Scale));
    return s;
  }
  /// Sub-block s's scale and codes (one sub-block: the block's).
  static Scale sub_scale(std::uint8_t const* block, std::size_t) noexcept { return scale(block); }
  static std::uint8_t const* codes(std::uint8_t const* block, std::size_t) noexcept { return block + codes_at; }
  /// The code of value u (0..31), q the block's codes (block + codes_at), as the format's element.
  static element code(std::uint8_t const* q, std::size_t u) noexcept {
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
  /// The 32 codes at q (block + codes_at) in sparq's packing (layout/packing.hpp): CodeBytes
  /// bytes to out. Split halves are interleaved eight bytes at a time in 64-bit words.
  static void canonical_codes(std::uint8_t const* q, std::uint8_t* out) noexcept {
    if constexpr (Split) {
      constexpr std::uint64_t lo4 = 0x0F0F0F0F0F0F0F0Full, flip = 0x0101010101010101ull * Flip;
      std::uint64_t half[2];
      std::memcpy(half, q, 16);
      std::uint64_t w[4];  // out[0..7]: the low nibbles of q; out[8..15]: the high nibbles
      for (int h = 0; h < 2; ++h) {
        std::uint64_t const lows = le(half[h]) & lo4, highs = (le(half[h]) >> 4) & lo4;
        w[h] = even_bytes(lows | (lows >> 4));  // byte i: nibble 2i, 2i + 1 of these 8 bytes
        w[2 + h] = even_bytes(highs | (highs >> 4));
      }
      std::uint64_t a = (w[0] | (w[1] << 32)) ^ flip, b = (w[2] | (w[3] << 32)) ^ flip;
      if constexpr (PlusZero) {  // -0 (code 8) to +0: clear bit 3 of nibbles whose bits 0-2 are 0
        constexpr std::uint64_t m3 = 0x7777777777777777ull, b3 = 0x8888888888888888ull;
        a &= m3 | (((a & m3) + m3) & b3);
        b &= m3 | (((b & m3) + m3) & b3);
      }
      std::uint64_t const both[2] = {le(a), le(b)};
      std::memcpy(out, both, 16);  // one 16-byte store: the decode's 16-byte load forwards from it
    } else {
      std::memcpy(out, q, CodeBytes);
    }
  }

 private:
  /// The little-endian reading of 8 bytes loaded into x (a byte swap on big-endian hosts).
  static std::uint64_t le(std::uint64_t x) noexcept {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return __builtin_bswap64(x);
#else
    return x;
#endif
  }
  /// Bytes 0, 2, 4, 6 of x in bytes 0..3 (bytes 4..7 zero).
  static std::uint64_t even_bytes(std::uint64_t x) noexcept {
    x &= 0x00FF00FF00FF00FFull;
    x = (x | (x >> 8)) & 0x0000FFFF0000FFFFull;
    return (x | (x >> 16)) & 0x00000000FFFFFFFFull;
  }
};

/// ggml's NVFP4: 64 values, four unsigned E4M3 scales (one per 16 values: bytes 0..3), then 8
/// bytes of E2M1 codes per 16 values (value j < 8 in the low nibble of byte j, j >= 8 in the high
/// nibble of byte j - 8). ggml ignores a scale's bit 7 and reads 0x7F as 0; there is no per-tensor
/// scale. -0 reads as +0, as in MXFP4.
struct nvfp4 {
  static constexpr type id = type::nvfp4;
  using format = sparq::nvfp4;
  using element = float4_e2m1fn;
  using stored_scale = float8_e4m3fn;
  static constexpr std::size_t values = 64, chunk_values = 16, per_block = 4, bytes = 36;
  static constexpr std::size_t codes_at = 4;
  static constexpr bool split = true;
  static constexpr std::uint8_t flip = 0;

  /// Sub-block s's scale as an E4M3 code of the same value (0x7F reads as 0; 0xFF, which ggml
  /// reads as 480, has none: NaN).
  static float8_e4m3fn sub_scale(std::uint8_t const* block, std::size_t s) noexcept {
    unsigned const x = block[s];
    unsigned const code = x == 0xFFu ? 0x7Fu : (x & 0x7Fu) == 0x7Fu ? 0u : (x & 0x7Fu);
    return float8_e4m3fn::from_bits(code);
  }
  static std::uint8_t const* codes(std::uint8_t const* block, std::size_t s) noexcept { return block + 4 + 8 * s; }
  static element code(std::uint8_t const* q, std::size_t u) noexcept {
    unsigned const n = u < 8 ? (q[u] & 0x0Fu) : (q[u - 8] >> 4);
    return element::from_bits(n == 8 ? 0u : n);
  }
  /// The 16 codes at q in sparq's packing: 8 bytes to out.
  static void canonical_codes(std::uint8_t const* q, std::uint8_t* out) noexcept {
    for (std::size_t i = 0; i < 8; ++i) {
      unsigned const a = code(q, 2 * i).bits(), b = code(q, 2 * i + 1).bits();
      out[i] = static_cast<std::uint8_t>(a | (b << 4));
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
