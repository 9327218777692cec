// SPDX-License-Identifier: Apache-2.0
// Format traits: everything a kernel asks of an element format, computed from its spec.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include <sparq/core/config.hpp>
#include <sparq/format/codec.hpp>
#include <sparq/format/intn.hpp>
#include <sparq/format/minifloat.hpp>

SPARQ_NAMESPACE_BEGIN

// concept ElementFormat {
//   using spec;                       // fp_spec or int_spec
//   using storage_type;               // unsigned integer holding the code in its low bits
//   storage_type bits() const;        // the code
//   static F from_bits(uint32_t);
//   explicit F(float); explicit operator float() const;
// }

/// True for every sparq element format (minifloat or intn).
template <class T>
inline constexpr bool is_format_v = is_minifloat_v<T> || is_intn_v<T>;

/// Bits of the code (4 for float4_e2m1fn and int4, 16 for bfloat16).
template <class F>
inline constexpr int bits_of_v = F::spec::bits;

/// True where a value can be negative.
template <class F>
inline constexpr bool is_signed_format_v = F::spec::is_signed;

/// True for codes narrower than a byte (4-, 6- and 2-bit formats).
template <class F>
inline constexpr bool is_subbyte_v = F::spec::bits < 8;

/// The format's name in the ml_dtypes vocabulary, e.g. "float8_e4m3fn".
template <class F>
inline constexpr char const* format_name_v = F::spec::name;

/// The largest finite value, as a float.
template <class F>
inline constexpr float max_finite_v = static_cast<float>(std::numeric_limits<F>::max());

namespace detail {
template <class Spec, bool IsInteger = Spec::is_integer>
struct int8_image_impl {
  // Integers: the codes are the integers; they fit in int8 unless the range exceeds it.
  static constexpr bool exists = Spec::max_value <= 127 && Spec::min_value >= -128;
  static constexpr int factor = 1;
};
template <class Spec>
struct int8_image_impl<Spec, false> {
  // A minifloat without specials: every value is a multiple of the smallest subnormal
  // 2^(1 - bias - m), so factor = 2^(bias + m - 1) makes them integers; they fit in int8 when
  // max * factor <= 127.
  static constexpr int shift = Spec::bias + Spec::man_bits - 1;
  static constexpr bool candidate =
      Spec::special == specials::none && Spec::has_subnormals && shift >= 0 && shift < 8;
  static constexpr int factor = candidate ? (1 << shift) : 0;
  // max / smallest subnormal: the integer (2^m + man) << (e - 1), or man when e == 0.
  static constexpr long long max_scaled =
      !candidate ? 0
      : (Spec::max_magnitude >> Spec::man_bits) == 0
          ? static_cast<long long>(Spec::max_magnitude & Spec::man_mask)
          : static_cast<long long>((Spec::max_magnitude & Spec::man_mask) | (1u << Spec::man_bits))
                << ((Spec::max_magnitude >> Spec::man_bits) - 1);
  static constexpr bool exists = candidate && max_scaled <= 127;
};
}  // namespace detail

/// Whether every code maps exactly to an int8 after multiplying by a fixed power of two, and that
/// factor: FP4 E2M1 x2 (-12..12), FP6 E2M3 x8 (-60..60), INT8/INT4/UINT4/INT2/UINT2 x1. The key to
/// integer-dot kernels.
template <class F>
struct int8_image {
  static constexpr bool exists = detail::int8_image_impl<typename F::spec>::exists;
  static constexpr int factor = exists ? detail::int8_image_impl<typename F::spec>::factor : 0;
};

namespace detail {
template <class F>
constexpr auto make_decode_table() noexcept {
  std::array<float, (std::size_t{1} << bits_of_v<F>)> table{};
  for (std::size_t c = 0; c < table.size(); ++c) {
    table[c] = decode<typename F::spec>(static_cast<std::uint32_t>(c));
  }
  return table;
}
}  // namespace detail

/// decode_table_v<F>[code] == float(F::from_bits(code)), for formats of at most 8 bits.
template <class F, std::enable_if_t<(bits_of_v<F> <= 8), int> = 0>
inline constexpr auto decode_table_v = detail::make_decode_table<F>();

namespace detail {
template <class E>
constexpr std::array<std::int8_t, 256> make_image_table() noexcept {
  std::array<std::int8_t, 256> t{};
  constexpr std::size_t n = std::size_t{1} << bits_of_v<E>;
  for (std::size_t c = 0; c < n; ++c) {
    t[c] = static_cast<std::int8_t>(decode_table_v<E>[c] * static_cast<float>(int8_image<E>::factor));
  }
  return t;
}
}  // namespace detail

/// image_table_v<E>[code] = value(code) * int8_image<E>::factor, an integer in int8 (for codes
/// with an int8 image; zero-point formats: the code itself). Entries past 2^bits are 0.
template <class E>
inline constexpr std::array<std::int8_t, 256> image_table_v = detail::make_image_table<E>();

/// True for minifloats whose top bit is a sign over a magnitude (every signed sparq minifloat).
template <class E>
inline constexpr bool is_signed_minifloat_v = is_minifloat_v<E> && E::spec::is_signed;

SPARQ_NAMESPACE_END
