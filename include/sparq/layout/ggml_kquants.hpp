// SPDX-License-Identifier: Apache-2.0
// ggml's block types whose values no sparq format holds exactly: Q4_1 (a float16 offset per 32
// values) and the K-quants of the most downloaded GGUF files, Q4_K, Q5_K and Q6_K (256-value
// super-blocks of 6- and 8-bit sub-block scales). Each states its bytes and computes its values
// as ggml does, one float operation at a time (ggml::detail::fmul / fadd: no FMA contraction),
// so sparq::dequantize equals ggml's and gguf-py's bit for bit. ggml_matrix_view<Block> reads
// them in place; sparq::gemm runs them in exact mode (their decode gives final values).
//
//   Q4_1 (20 bytes)  f16 d, f16 m, qs[16] (split halves)              value = d * q + m
//   Q4_K (144)       f16 d, f16 dmin, scales[12], qs[128]             value = (d * sc) * q - dmin * mn
//   Q5_K (176)       f16 d, f16 dmin, scales[12], qh[32], qs[128]      value = (d * sc) * q - dmin * mn
//   Q6_K (210)       ql[128], qh[64], int8 scales[16], f16 d           value = (d * sc) * (q - 32)
// docs/formats.md section 7 states where each code and 6-bit scale lives.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include <sparq/core/config.hpp>
#include <sparq/format/float16.hpp>
#include <sparq/layout/ggml_types.hpp>

SPARQ_NAMESPACE_BEGIN
namespace ggml {
namespace detail {

inline float half_at(std::uint8_t const* p) noexcept {
  std::uint16_t h;
  std::memcpy(&h, p, 2);
  return static_cast<float>(float16::from_bits(h));
}

/// Q4_K / Q5_K (block b: float16 d, float16 dmin, 12 bytes of packed 6-bit scales and mins):
/// sub-block j's multiplier d * sc and offset dmin * mn.
inline void scale_min_k4(std::uint8_t const* b, std::size_t j, float& d, float& m) noexcept {
  std::uint8_t const* s = b + 4;
  unsigned const sc = j < 4 ? s[j] & 63u : (s[j + 4] & 0x0Fu) | ((s[j - 4] >> 6) << 4);
  unsigned const mn = j < 4 ? s[j + 4] & 63u : (s[j + 4] >> 4) | ((s[j] >> 6) << 4);
  d = fmul(half_at(b), static_cast<float>(sc));
  m = fmul(half_at(b + 2), static_cast<float>(mn));
}

}  // namespace detail

/// Chunk c of a value block as integer codes and an affine map: value u = scale[u / 16] * q_u
/// (+ offset[u / 16] where the block has offsets). Every product scale * q is exact in float (an
/// 11-bit float16 mantissa times at most 13 bits of integers), so the value rounds once, with or
/// without FMA: the SIMD decode (kernel/source/ggml_kquants.hpp) computes the same bits.
struct affine_chunk {
  float scale[2];
  float offset[2];
};

/// The common interface of these blocks: id, values (per block), bytes, codes(block, c, q) (the
/// 32 codes of chunk c as bytes: unsigned, or int8 where signed_codes), affine(block, c), and
/// chunk(block, c, out): the 32 values as ggml computes them, one float operation at a time.
template <class Block>
struct value_block {
  using format = void;  // no sparq format holds these values exactly
  static void chunk(std::uint8_t const* b, std::size_t c, float* out) noexcept {
    std::uint8_t q[32];
    Block::codes(b, c, q);
    affine_chunk const a = Block::affine(b, c);
    for (std::size_t u = 0; u < 32; ++u) {
      float const code = Block::signed_codes ? static_cast<float>(static_cast<std::int8_t>(q[u])) : static_cast<float>(q[u]);
      float const v = detail::fmul(a.scale[u / 16], code);
      out[u] = Block::has_offset ? detail::fadd(v, a.offset[u / 16]) : v;
    }
  }
};

/// value = d * q + m, q the split-half nibbles of qs[16] (as Q4_0).
struct q4_1 : value_block<q4_1> {
  static constexpr type id = type::q4_1;
  static constexpr std::size_t values = 32, bytes = 20;
  static constexpr bool signed_codes = false, has_offset = true;
  static void codes(std::uint8_t const* b, std::size_t, std::uint8_t* q) noexcept {
    for (std::size_t u = 0; u < 16; ++u) {
      q[u] = static_cast<std::uint8_t>(b[4 + u] & 0x0Fu);
      q[u + 16] = static_cast<std::uint8_t>(b[4 + u] >> 4);
    }
  }
  static affine_chunk affine(std::uint8_t const* b, std::size_t) noexcept {
    float const d = detail::half_at(b), m = detail::half_at(b + 2);
    return {{d, d}, {m, m}};
  }
};

/// value = (d * sc) * q - dmin * mn; sub-block j: the low (j even) or high (j odd) nibbles of
/// qs[32 * (j / 2) ..].
struct q4_k : value_block<q4_k> {
  static constexpr type id = type::q4_k;
  static constexpr std::size_t values = 256, bytes = 144;
  static constexpr bool signed_codes = false, has_offset = true;
  static void codes(std::uint8_t const* b, std::size_t j, std::uint8_t* q) noexcept {
    std::uint8_t const* qs = b + 16 + 32 * (j / 2);
    unsigned const shift = 4 * (j % 2);
    for (std::size_t l = 0; l < 32; ++l) q[l] = static_cast<std::uint8_t>((qs[l] >> shift) & 0x0Fu);
  }
  static affine_chunk affine(std::uint8_t const* b, std::size_t j) noexcept {
    float d, m;
    detail::scale_min_k4(b, j, d, m);
    return {{d, d}, {-m, -m}};
  }
};

/// Q4_K's values with bit j of qh[l] as bit 4 of the code.
struct q5_k : value_block<q5_k> {
  static constexpr type id = type::q5_k;
  static constexpr std::size_t values = 256, bytes = 176;
  static constexpr bool signed_codes = false, has_offset = true;
  static void codes(std::uint8_t const* b, std::size_t j, std::uint8_t* q) noexcept {
    std::uint8_t const* qh = b + 16;
    std::uint8_t const* qs = b + 48 + 32 * (j / 2);
    unsigned const shift = 4 * (j % 2);
    for (std::size_t l = 0; l < 32; ++l) {
      q[l] = static_cast<std::uint8_t>(((qs[l] >> shift) & 0x0Fu) | (((qh[l] >> j) & 1u) << 4));
    }
  }
  static affine_chunk affine(std::uint8_t const* b, std::size_t j) noexcept {
    float d, m;
    detail::scale_min_k4(b, j, d, m);
    return {{d, d}, {-m, -m}};
  }
};

/// value = (d * sc) * (q - 32). Chunk c (32 values t = 32 s .. of half h = c / 4): low 4 bits from
/// ql[64 h + t % 64] (low nibble for t < 64), high 2 bits from qh[32 h + t % 32] >> 2 s; int8
/// scale scales[(128 h + t) / 16].
struct q6_k : value_block<q6_k> {
  static constexpr type id = type::q6_k;
  static constexpr std::size_t values = 256, bytes = 210;
  static constexpr bool signed_codes = true, has_offset = false;
  static void codes(std::uint8_t const* b, std::size_t c, std::uint8_t* q) noexcept {
    std::size_t const h = c / 4, s = c % 4;
    std::uint8_t const* ql = b + 64 * h + (32 * s) % 64;
    std::uint8_t const* qh = b + 128 + 32 * h;
    unsigned const lo_shift = s >= 2 ? 4 : 0;
    for (std::size_t l = 0; l < 32; ++l) {
      unsigned const v = ((ql[l] >> lo_shift) & 0x0Fu) | (((qh[l] >> (2 * s)) & 3u) << 4);
      q[l] = static_cast<std::uint8_t>(static_cast<std::int8_t>(static_cast<int>(v) - 32));
    }
  }
  static affine_chunk affine(std::uint8_t const* b, std::size_t c) noexcept {
    float const d = detail::half_at(b + 208);
    std::size_t const first = (128 * (c / 4) + 32 * (c % 4)) / 16;
    auto const s0 = static_cast<std::int8_t>(b[192 + first]), s1 = static_cast<std::int8_t>(b[193 + first]);
    return {{detail::fmul(d, static_cast<float>(s0)), detail::fmul(d, static_cast<float>(s1))}, {0.0f, 0.0f}};
  }
};

}  // namespace ggml
SPARQ_NAMESPACE_END
