// SPDX-License-Identifier: Apache-2.0
// Addressing policies of quantized weight sources: where row r's chunk c (chunk_bytes long), the
// scale code and the zero point of its block b live. The chunk codec (codec.hpp) reads the bytes.
//
// concept Addressing {
//   using format;                                           // the block or element format
//   static constexpr bool chunk_tail;                       // the last chunk of a row may hold
//                                                           // bytes past K (they are masked)
//   std::uint8_t const* chunk(std::size_t r, std::size_t c) const;
//   scale_type scale_code(std::size_t r, std::size_t b) const;
//   unsigned zero_code(std::size_t r, std::size_t b) const; // formats with zero points
//   std::size_t row_bytes_left(std::size_t r, std::size_t c) const;  // bytes of row r from chunk c
//   static constexpr std::size_t chunk_stride();            // bytes from chunk c to c + 1 of a row
// }
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include <sparq/core/config.hpp>
#include <sparq/format/traits.hpp>
#include <sparq/layout/quantized_matrix.hpp>

SPARQ_NAMESPACE_BEGIN
namespace detail {

/// Values per chunk of format F: the block size when a block is shorter than 32 codes (NVFP4:
/// 16), else 32. `fused`: whole chunks per block; other block sizes (none of the named formats)
/// are dequantized by the entry point and take the plain-weight source.
template <class F>
struct chunk_policy {
  static constexpr bool block = is_block_format_v<F>;
  static constexpr std::size_t block_size = block_size_or_zero<F>();
  static constexpr std::size_t unit = block && block_size < 32 ? block_size : 32;
  static constexpr bool fused = !block || (block_size % unit == 0 && (unit == 16 || unit == 32));
  using element = typename matrix_layout<F>::element;
  static constexpr std::size_t chunk_bytes = unit * static_cast<std::size_t>(bits_of_v<element>) / 8;
};

/// The code at position i of packed codes (layout/packing.hpp's order), one at a time.
template <class E>
E unpack_code(std::uint8_t const* p, std::size_t i) noexcept {
  if constexpr (bits_of_v<E> <= 8) {
    constexpr std::size_t b = static_cast<std::size_t>(bits_of_v<E>);
    std::size_t const bit = i * b;
    unsigned const lo = p[bit / 8];
    unsigned const hi = bit % 8 + b > 8 ? p[bit / 8 + 1] : 0u;
    return E::from_bits(((lo | (hi << 8)) >> (bit % 8)) & ((1u << b) - 1u));
  } else {
    E e;
    std::memcpy(&e, p + i * sizeof(E), sizeof(E));
    return e;
  }
}

/// The names every addressing policy of format F defines.
template <class F>
struct addressing_types {
  using format = F;
  using element = typename matrix_layout<F>::element;
  using scale_type = typename matrix_layout<F>::scale_type;
  static constexpr std::size_t chunk_bytes = chunk_policy<F>::chunk_bytes;
};

/// Rows in the canonical row layout (codes of one row contiguous, then its block scales, its zero
/// points packed like codes), each row found by the RowAt policy: code(r), scale(r) and zero(r)
/// give where row r's codes (bytes), scales (elements) and zero points (bytes) start.
template <class F, class RowAt>
class row_addressing : public addressing_types<F> {
  using base = addressing_types<F>;

 public:
  using typename base::element;
  using typename base::scale_type;
  using base::chunk_bytes;
  static constexpr bool chunk_tail = true;

  row_addressing(std::uint8_t const* codes, scale_type const* scales, std::uint8_t const* zeros, RowAt const& at,
                 std::size_t code_row_bytes) noexcept
      : codes_(codes), scales_(scales), zeros_(zeros), at_(at), code_row_bytes_(code_row_bytes) {}

  std::uint8_t const* chunk(std::size_t r, std::size_t c) const noexcept {
    return codes_ + at_.code(r) + c * chunk_bytes;
  }
  std::size_t row_bytes_left(std::size_t, std::size_t c) const noexcept { return code_row_bytes_ - c * chunk_bytes; }
  /// Bytes from a row's chunk c to its chunk c + 1.
  static constexpr std::size_t chunk_stride() noexcept { return chunk_bytes; }
  scale_type scale_code(std::size_t r, std::size_t b) const noexcept { return scales_[at_.scale(r) + b]; }
  unsigned zero_code(std::size_t r, std::size_t b) const noexcept {
    return static_cast<unsigned>(unpack_code<element>(zeros_ + at_.zero(r), b).bits());
  }

 private:
  std::uint8_t const* codes_;
  scale_type const* scales_;
  std::uint8_t const* zeros_;
  RowAt at_;
  std::size_t code_row_bytes_;
};

/// Rows one after another at fixed strides (the canonical quantized_matrix_view).
struct strided_rows {
  std::size_t code_bytes, scales, zero_bytes;
  std::size_t code(std::size_t r) const noexcept { return r * code_bytes; }
  std::size_t scale(std::size_t r) const noexcept { return r * scales; }
  std::size_t zero(std::size_t r) const noexcept { return r * zero_bytes; }
};

/// Rows anywhere: an offset per row into each array.
struct row_offsets {
  std::size_t const* codes;
  std::size_t const* scales;
  std::size_t const* zeros;
  std::size_t code(std::size_t r) const noexcept { return codes[r]; }
  std::size_t scale(std::size_t r) const noexcept { return scales[r]; }
  std::size_t zero(std::size_t r) const noexcept { return zeros[r]; }
};

/// The canonical layout of quantized_matrix_view: rows of code_row_bytes, scales[N][blocks],
/// zero points packed per row like codes.
template <class F>
class canonical_addressing : public row_addressing<F, strided_rows> {
 public:
  explicit canonical_addressing(quantized_matrix_view<F> const& w) noexcept
      : row_addressing<F, strided_rows>(w.codes(), w.scales(), w.zeros(),
                                        strided_rows{w.code_row_bytes(), w.blocks_per_row(), w.zero_row_bytes()},
                                        w.code_row_bytes()) {}
};

/// Rows anywhere: row r's codes start at codes + code_offsets[r] (bytes), its block scales at
/// scales + scale_offsets[r], its zero points (packed like codes) at zeros + zero_offsets[r]. For
/// weights gathered from several tensors (a fused QKV projection) or rows stored with different
/// gaps; every row holds ceil(K / unit) chunks of the canonical row layout.
template <class F>
class offset_addressing : public row_addressing<F, row_offsets> {
  using scale_type = typename matrix_layout<F>::scale_type;

 public:
  offset_addressing(std::uint8_t const* codes, std::size_t const* code_offsets, scale_type const* scales,
                    std::size_t const* scale_offsets, std::uint8_t const* zeros, std::size_t const* zero_offsets,
                    std::size_t code_row_bytes) noexcept
      : row_addressing<F, row_offsets>(codes, scales, zeros, row_offsets{code_offsets, scale_offsets, zero_offsets},
                                       code_row_bytes) {}
};

/// Groups of G rows interleaved chunk by chunk (the G rows' chunk 0, then their chunk 1, ...), so
/// a GEMV task reads one sequential stream and a GEMM panel's rows arrive together. Scales and
/// zero points (one byte each) interleaved the same way; chunks are whole and masked (no tail).
/// The offsets are static so the prepacked container writes through the same arithmetic.
template <class F, std::size_t G>
class interleaved_addressing : public addressing_types<F> {
  using base = addressing_types<F>;

 public:
  using typename base::scale_type;
  using base::chunk_bytes;
  static constexpr bool chunk_tail = false;
  static constexpr std::size_t group = G;

  static std::size_t chunk_offset(std::size_t r, std::size_t c, std::size_t chunks) noexcept {
    return ((r / G * chunks + c) * G + r % G) * chunk_bytes;
  }
  static std::size_t block_offset(std::size_t r, std::size_t b, std::size_t blocks) noexcept {
    return (r / G * blocks + b) * G + r % G;
  }

  interleaved_addressing(std::uint8_t const* codes, scale_type const* scales, std::uint8_t const* zeros,
                         std::size_t chunks, std::size_t blocks) noexcept
      : codes_(codes), scales_(scales), zeros_(zeros), chunks_(chunks), blocks_(blocks) {}

  std::uint8_t const* chunk(std::size_t r, std::size_t c) const noexcept {
    return codes_ + chunk_offset(r, c, chunks_);
  }
  std::size_t row_bytes_left(std::size_t, std::size_t) const noexcept { return chunk_bytes; }
  static constexpr std::size_t chunk_stride() noexcept { return G * chunk_bytes; }
  scale_type scale_code(std::size_t r, std::size_t b) const noexcept { return scales_[block_offset(r, b, blocks_)]; }
  unsigned zero_code(std::size_t r, std::size_t b) const noexcept { return zeros_[block_offset(r, b, blocks_)]; }

 private:
  std::uint8_t const* codes_;
  scale_type const* scales_;
  std::uint8_t const* zeros_;
  std::size_t chunks_, blocks_;
};

}  // namespace detail
SPARQ_NAMESPACE_END
