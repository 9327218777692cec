// SPDX-License-Identifier: Apache-2.0
// Sub-byte packing of codes for the canonical layout (docs/formats.md section 4): element i occupies
// bits [i*b, i*b + b) of a little-endian bit stream, b the format's bit width.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include <sparq/core/config.hpp>
#include <sparq/core/error.hpp>
#include <sparq/format/traits.hpp>

SPARQ_NAMESPACE_BEGIN

/// Packed layout, bit for bit (one rule for every width b = bits_of_v<F> < 8):
///
///   4-bit  two per byte, element 2i in the low nibble:    byte j = e[2j] | e[2j+1] << 4
///   6-bit  four per three bytes, little-endian stream:    bytes 3j..3j+2 = e[4j] | e[4j+1] << 6
///                                                          | e[4j+2] << 12 | e[4j+3] << 18
///   2-bit  four per byte, lowest first:                   byte j = e[4j] | e[4j+1] << 2 | ...
///   8-bit  one per byte (a copy); 16-bit formats are not packed.
///
/// The last byte of an odd-length stream has its unused high bits zero. Pointers need no
/// alignment. Other engines' orders (ggml's split halves) are converters in interop/, not here.
template <class F>
constexpr std::size_t packed_bytes(std::size_t n) noexcept {
  static_assert(bits_of_v<F> <= 8, "sparq::packed_bytes: formats of at most 8 bits are packed");
  return (n * static_cast<std::size_t>(bits_of_v<F>) + 7) / 8;
}

namespace detail {
template <class F>
void check_pack_args(bool any_null, std::size_t n, char const* fn) {
  if (n != 0 && any_null) {
    SPARQ_THROW(invalid_argument, std::string(fn) + ": a null buffer was passed for " +
                                      std::to_string(n) + " elements of " + format_name_v<F>);
  }
}
}  // namespace detail

/// Packs n codes into packed_bytes<F>(n) bytes at out (all of them written).
///
///   float4_e2m1fn c[3] = {F::from_bits(0x1), F::from_bits(0xF), F::from_bits(0x7)};
///   pack(c, 3, out);  // out[0] == 0xF1, out[1] == 0x07
template <class F>
void pack(F const* codes, std::size_t n, std::uint8_t* out) {
  detail::check_pack_args<F>(codes == nullptr || out == nullptr, n, "sparq::pack");
  constexpr int b = bits_of_v<F>;
  static_assert(b <= 8, "sparq::pack: formats of at most 8 bits are packed");
  if constexpr (b == 8) {
    for (std::size_t i = 0; i < n; ++i) out[i] = codes[i].bits();
  } else if constexpr (8 % b == 0) {
    constexpr std::size_t per = 8 / b;
    std::size_t const whole = n / per;
    for (std::size_t j = 0; j < whole; ++j) {
      unsigned v = 0;
      for (std::size_t k = 0; k < per; ++k) v |= static_cast<unsigned>(codes[j * per + k].bits()) << (k * b);
      out[j] = static_cast<std::uint8_t>(v);
    }
    if (n % per != 0) {
      unsigned v = 0;
      for (std::size_t k = 0; k < n % per; ++k) v |= static_cast<unsigned>(codes[whole * per + k].bits()) << (k * b);
      out[whole] = static_cast<std::uint8_t>(v);
    }
  } else {
    // 6-bit: groups of four codes make three bytes; a partial group is written with zero fill.
    std::size_t const whole = n / 4;
    for (std::size_t g = 0; g < whole; ++g) {
      std::uint32_t const v = static_cast<std::uint32_t>(codes[4 * g].bits()) |
                              static_cast<std::uint32_t>(codes[4 * g + 1].bits()) << 6 |
                              static_cast<std::uint32_t>(codes[4 * g + 2].bits()) << 12 |
                              static_cast<std::uint32_t>(codes[4 * g + 3].bits()) << 18;
      out[3 * g] = static_cast<std::uint8_t>(v);
      out[3 * g + 1] = static_cast<std::uint8_t>(v >> 8);
      out[3 * g + 2] = static_cast<std::uint8_t>(v >> 16);
    }
    std::size_t const groups = (n + 3) / 4;
    std::size_t const bytes = packed_bytes<F>(n);
    for (std::size_t g = whole; g < groups; ++g) {
      std::uint32_t v = 0;
      for (std::size_t k = 0; k < 4 && g * 4 + k < n; ++k) {
        v |= static_cast<std::uint32_t>(codes[g * 4 + k].bits()) << (k * b);
      }
      for (std::size_t k = 0; k < 3 && g * 3 + k < bytes; ++k) out[g * 3 + k] = static_cast<std::uint8_t>(v >> (8 * k));
    }
  }
}

/// Unpacks n codes from packed_bytes<F>(n) bytes. Unused high bits of the last byte are ignored.
template <class F>
void unpack(std::uint8_t const* in, std::size_t n, F* codes) {
  detail::check_pack_args<F>(in == nullptr || codes == nullptr, n, "sparq::unpack");
  constexpr int b = bits_of_v<F>;
  static_assert(b <= 8, "sparq::unpack: formats of at most 8 bits are packed");
  constexpr unsigned mask = (1u << b) - 1u;
  if constexpr (b == 8) {
    for (std::size_t i = 0; i < n; ++i) codes[i] = F::from_bits(in[i]);
  } else if constexpr (8 % b == 0) {
    // Whole bytes first (the inner loop unrolls: 2 or 4 codes per byte), then the tail.
    constexpr std::size_t per = 8 / b;
    std::size_t const whole = n / per;
    for (std::size_t j = 0; j < whole; ++j) {
      unsigned const byte = in[j];
      for (std::size_t k = 0; k < per; ++k) codes[j * per + k] = F::from_bits((byte >> (k * b)) & mask);
    }
    for (std::size_t i = whole * per; i < n; ++i) codes[i] = F::from_bits((in[i / per] >> ((i % per) * b)) & mask);
  } else {
    std::size_t const whole = n / 4;
    for (std::size_t g = 0; g < whole; ++g) {
      std::uint32_t const v = static_cast<std::uint32_t>(in[3 * g]) | static_cast<std::uint32_t>(in[3 * g + 1]) << 8 |
                              static_cast<std::uint32_t>(in[3 * g + 2]) << 16;
      for (std::size_t k = 0; k < 4; ++k) codes[4 * g + k] = F::from_bits((v >> (k * b)) & mask);
    }
    std::size_t const bytes = packed_bytes<F>(n);
    for (std::size_t g = whole; g * 4 < n; ++g) {
      std::uint32_t v = 0;
      for (std::size_t k = 0; k < 3 && g * 3 + k < bytes; ++k) v |= static_cast<std::uint32_t>(in[g * 3 + k]) << (8 * k);
      for (std::size_t k = 0; k < 4 && g * 4 + k < n; ++k) codes[g * 4 + k] = F::from_bits((v >> (k * b)) & mask);
    }
  }
}

SPARQ_NAMESPACE_END
