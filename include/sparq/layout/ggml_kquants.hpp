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

/// The common interface of these blocks: id, values (per block), bytes, and chunk(block, c, out):
/// the 32 values of chunk c (values / 32 chunks per block) as floats.
struct q4_1 {
  static constexpr type id = type::q4_1;
  using format = void;  // no sparq format holds d * q + m exactly
  static constexpr std::size_t values = 32, bytes = 20;
  static void chunk(std::uint8_t const* b, std::size_t, float* out) noexcept {
    float const d = detail::half_at(b), m = detail::half_at(b + 2);
    for (std::size_t u = 0; u < 16; ++u) {  // element u: the low nibble of qs[u], u + 16: its high nibble
      out[u] = detail::fadd(detail::fmul(d, static_cast<float>(b[4 + u] & 0x0Fu)), m);
      out[u + 16] = detail::fadd(detail::fmul(d, static_cast<float>(b[4 + u] >> 4)), m);
    }
  }
};

struct q4_k {
  static constexpr type id = type::q4_k;
  using format = void;
  static constexpr std::size_t values = 256, bytes = 144;
  /// Sub-block j: the low (j even) or high (j odd) nibbles of qs[32 * (j / 2) ..].
  static void chunk(std::uint8_t const* b, std::size_t j, float* out) noexcept {
    float d, m;
    detail::scale_min_k4(b, j, d, m);
    std::uint8_t const* qs = b + 16 + 32 * (j / 2);
    for (std::size_t l = 0; l < 32; ++l) {
      unsigned const q = (qs[l] >> (4 * (j % 2))) & 0x0Fu;
      out[l] = detail::fadd(detail::fmul(d, static_cast<float>(q)), -m);
    }
  }
};

struct q5_k {
  static constexpr type id = type::q5_k;
  using format = void;
  static constexpr std::size_t values = 256, bytes = 176;
  /// Sub-block j: Q4_K's nibble plus bit j of qh[l] as bit 4.
  static void chunk(std::uint8_t const* b, std::size_t j, float* out) noexcept {
    float d, m;
    detail::scale_min_k4(b, j, d, m);
    std::uint8_t const* qh = b + 16;
    std::uint8_t const* qs = b + 48 + 32 * (j / 2);
    for (std::size_t l = 0; l < 32; ++l) {
      unsigned const q = ((qs[l] >> (4 * (j % 2))) & 0x0Fu) | (((qh[l] >> j) & 1u) << 4);
      out[l] = detail::fadd(detail::fmul(d, static_cast<float>(q)), -m);
    }
  }
};

struct q6_k {
  static constexpr type id = type::q6_k;
  using format = void;
  static constexpr std::size_t values = 256, bytes = 210;
  /// Chunk c (32 values t = 32 c' .. of half h = c / 4): low 4 bits from ql[64 h + t % 64]
  /// (low nibble for t < 64), high 2 bits from qh[32 h + t % 32] >> 2 (t / 32); int8 scale
  /// scales[(128 h + t) / 16].
  static void chunk(std::uint8_t const* b, std::size_t c, float* out) noexcept {
    std::size_t const h = c / 4, s = c % 4;  // half, and 32-value slice of it
    std::uint8_t const* ql = b + 64 * h + 32 * (s % 2);
    std::uint8_t const* qh = b + 128 + 32 * h;
    unsigned const lo_shift = 4 * (s / 2), hi_shift = 2 * s;
    alignas(32) std::int8_t q[32];
    for (std::size_t l = 0; l < 32; ++l) {
      unsigned const v = ((ql[l] >> lo_shift) & 0x0Fu) | (((qh[l] >> hi_shift) & 3u) << 4);
      q[l] = static_cast<std::int8_t>(static_cast<int>(v) - 32);
    }
    float const d = detail::half_at(b + 208);
    std::size_t const first = (128 * h + 32 * s) / 16;  // the int8 scales of values 0..15 and 16..31
    for (std::size_t g = 0; g < 2; ++g) {
      float const sc = detail::fmul(d, static_cast<float>(static_cast<std::int8_t>(b[192 + first + g])));
      for (std::size_t l = 16 * g; l < 16 * g + 16; ++l) out[l] = detail::fmul(sc, static_cast<float>(q[l]));
    }
  }
};

}  // namespace ggml
SPARQ_NAMESPACE_END
