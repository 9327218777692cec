// SPDX-License-Identifier: Apache-2.0
// The value of every weight of a quantized matrix, one at a time: the semantics of the canonical
// layout (layout/quantized_matrix.hpp) and of each scale rule, written as plain scalar code that
// shares nothing with the kernels (no SIMD, no weight sources, no tables). The GEMM references
// (gemm.hpp, gemm_int8.hpp) and through them every kernel test stand on it; it is also meant as
// the oracle of GPU backends.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>

#include <sparq/core/config.hpp>
#include <sparq/format/block.hpp>
#include <sparq/format/float8_e8m0fnu.hpp>
#include <sparq/format/traits.hpp>
#include <sparq/layout/quantized_matrix.hpp>

SPARQ_ARCH_NAMESPACE_BEGIN
namespace kernel {
namespace reference {

/// The code at position i of a packed row (layout/packing.hpp: 4-bit low nibble first, 6-bit
/// little-endian bit stream, 2-bit lowest first, 8-bit and wider whole storage units).
template <class E>
E code_at(std::uint8_t const* row, std::size_t i) noexcept {
  constexpr std::size_t bits = static_cast<std::size_t>(bits_of_v<E>);
  if constexpr (bits < 8) {
    std::uint32_t v = 0;
    for (std::size_t b = 0; b < bits; ++b) {
      std::size_t const bit = i * bits + b;
      v |= static_cast<std::uint32_t>((row[bit / 8] >> (bit % 8)) & 1u) << b;
    }
    return E::from_bits(v);
  } else {
    typename E::storage_type s;
    std::memcpy(&s, row + i * sizeof(s), sizeof(s));
    return E::from_bits(s);
  }
}

/// The element code of W(r, k) (no scale).
template <class F>
auto weight_code(quantized_matrix_view<F> const& w, std::size_t r, std::size_t k) noexcept {
  using E = typename detail::matrix_layout<F>::element;
  return code_at<E>(w.code_row(r), k);
}

/// The zero point of W(r, k)'s block as an unsigned code (0 for formats without).
template <class F>
int weight_zero_code(quantized_matrix_view<F> const& w, std::size_t r, std::size_t k) noexcept {
  if constexpr (detail::matrix_layout<F>::has_zero_point) {
    using E = typename detail::matrix_layout<F>::element;
    return static_cast<int>(code_at<E>(w.zero_row(r), k / w.block()).bits());
  } else {
    (void)w, (void)r, (void)k;
    return 0;
  }
}

/// W(r, k) as sparq defines it, in double:
///   element formats:        code * row scale (float)
///   E8M0 scales (MX):        code * 2^(scale code - 127), MXINT8 codes counting 2^-6; NaN scale: NaN
///   NVFP4:                  (code * E4M3 scale, rounded to float) * tensor decode scale, rounded
///   absmax groups:          code * scale
///   min_max (zero point):   (code - zero) * scale
/// Each product is rounded to float where sparq::dequantize rounds it, so the value is exactly the
/// float dequantize gives.
template <class F>
double weight_value(quantized_matrix_view<F> const& w, std::size_t r, std::size_t k) noexcept {
  if constexpr (!is_block_format_v<F>) {
    return static_cast<double>(static_cast<float>(static_cast<float>(weight_code(w, r, k)) * w.scale_row(r)[0]));
  } else {
    using S = typename F::scale_type;
    using R = typename F::rule;
    using E = typename F::element;
    S const s = w.scale_row(r)[k / w.block()];
    float const sv = static_cast<float>(s);
    if (std::isnan(sv)) return std::numeric_limits<double>::quiet_NaN();
    float const code = static_cast<float>(weight_code(w, r, k));
    if constexpr (std::is_same<S, float8_e8m0fnu>::value) {
      int const e = static_cast<int>(s.bits()) - 127 - detail::mx_element<E>::code_factor_log2;
      return static_cast<double>(static_cast<float>(static_cast<double>(code) * std::ldexp(1.0, e)));
    } else if constexpr (std::is_same<R, scale_rule::nvfp4_two_level>::value) {
      return static_cast<double>((code * sv) * w.tensor_decode());
    } else if constexpr (std::is_same<R, scale_rule::min_max>::value) {
      int const c = static_cast<int>(weight_code(w, r, k).bits());
      return static_cast<double>(static_cast<float>(c - weight_zero_code(w, r, k)) * sv);
    } else {
      return static_cast<double>(code * sv);
    }
  }
}

}  // namespace reference
}  // namespace kernel
SPARQ_ARCH_NAMESPACE_END
