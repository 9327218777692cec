// SPDX-License-Identifier: Apache-2.0
// Quantization of one block of a block format, and its inverse: the scalar semantics of every
// scale rule (format/scale_rule.hpp), which vectorized and parallel paths must reproduce bit for
// bit. Semantics and where other libraries differ: docs/formats.md sections 3-4.
#pragma once

#include <cfloat>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include <sparq/core/bits.hpp>
#include <sparq/core/config.hpp>
#include <sparq/format/block.hpp>
#include <sparq/format/codec.hpp>
#include <sparq/format/convert.hpp>
#include <sparq/quantize/types.hpp>

SPARQ_ARCH_NAMESPACE_BEGIN

namespace arch_detail {

/// floor(log2(a)) for a finite a > 0, exact from the bits (float32 subnormals included).
SPARQ_HOST_DEVICE inline int floor_log2(float a) noexcept {
  std::uint32_t const u = bit_cast<std::uint32_t>(a) & 0x7FFFFFFFu;
  int const e = static_cast<int>(u >> 23);
  if (e != 0) return e - 127;
  int top = 22;
  while (top > 0 && !((u >> top) & 1u)) --top;
  return top - 149;
}

SPARQ_HOST_DEVICE inline bool is_pow2(float a) noexcept {
  std::uint32_t const u = bit_cast<std::uint32_t>(a) & 0x7FFFFFFFu;
  return (u >> 23) != 0 ? (u & 0x7FFFFFu) == 0 : (u & (u - 1u)) == 0;
}

/// 2^e as a float for -149 <= e <= 127, from the bits.
SPARQ_HOST_DEVICE inline float pow2f(int e) noexcept {
  if (e >= -126) return bit_cast<float>(static_cast<std::uint32_t>(e + 127) << 23);
  return bit_cast<float>(1u << (e + 149));
}

/// 2^e as a double for -1022 <= e <= 1023, from the bits (exact; no ldexp in device code).
SPARQ_HOST_DEVICE inline double pow2d(int e) noexcept {
  return bit_cast<double>(static_cast<std::uint64_t>(e + 1023) << 52);
}

SPARQ_HOST_DEVICE inline float quiet_nan() noexcept { return bit_cast<float>(0x7FC00000u); }

/// RNE / toward-zero / stochastic rounding of v to an integer, clamped to +-2^24 (wider than any
/// group's range; the caller clamps to its own). NaN -> 0.
template <round_mode Mode>
SPARQ_HOST_DEVICE inline std::int32_t round_to_int(float v, std::uint32_t rbits) noexcept {
  constexpr float lim = 16777216.0f;
  if (!(v == v)) return 0;
  if (v >= lim) return 1 << 24;
  if (v <= -lim) return -(1 << 24);
  std::uint32_t const u = bit_cast<std::uint32_t>(v);
  std::uint32_t const a = u & 0x7FFFFFFFu;
  int const ea = static_cast<int>(a >> 23);
  if (ea >= 150) return static_cast<std::int32_t>(v);  // already an integer
  std::uint32_t const sig = ea != 0 ? ((a & 0x7FFFFFu) | 0x800000u) : a;
  std::int32_t const n = static_cast<std::int32_t>(round_shift<Mode>(sig, 150 - (ea != 0 ? ea : 1), rbits));
  return (u >> 31) ? -n : n;
}

template <class T>
SPARQ_HOST_DEVICE inline float scale_value(T s) noexcept {
  return static_cast<float>(s);
}

/// A float scale stored in the scale type: float as is, other formats rounded to nearest even and
/// saturated (a scale never becomes Inf).
template <class S>
SPARQ_HOST_DEVICE inline S to_scale(float v) noexcept {
  if constexpr (std::is_same<S, float>::value) {
    return v;
  } else {
    return ::sparq::convert<S>(v, overflow::saturate);
  }
}

/// The largest magnitude bits of n floats (skipping NaN and +-Inf when Finite). Magnitude bits
/// order like the magnitudes and non-finite ones are the largest, so one integer max (which
/// compilers vectorize) serves both uses below.
template <bool Finite>
SPARQ_HOST_DEVICE inline std::uint32_t max_magnitude_bits(float const* x, std::size_t n) noexcept {
  std::uint32_t top = 0;
  for (std::size_t i = 0; i < n; ++i) {
    std::uint32_t u = bit_cast<std::uint32_t>(x[i]) & 0x7FFFFFFFu;
    if constexpr (Finite) u &= 0u - static_cast<std::uint32_t>(u < 0x7F800000u);
    top = u > top ? u : top;
  }
  return top;
}

/// True when any of the n values is NaN or +-Inf; amax gets the largest magnitude otherwise.
SPARQ_HOST_DEVICE inline bool block_amax(float const* x, std::size_t n, float& amax) noexcept {
  std::uint32_t const top = max_magnitude_bits<false>(x, n);
  amax = bit_cast<float>(top);
  return top >= 0x7F800000u;
}

/// Largest finite magnitude of n floats (0 when there is none).
SPARQ_HOST_DEVICE inline float finite_amax(float const* x, std::size_t n) noexcept {
  return bit_cast<float>(max_magnitude_bits<true>(x, n));
}

template <class E>
SPARQ_HOST_DEVICE inline float element_max() noexcept {
  if constexpr (std::is_same<E, int8>::value) {
    return 127.0f / 64.0f;  // MXINT8: codes clamp to +-127
  } else {
    return max_finite_v<E>;
  }
}

}  // namespace arch_detail

namespace arch_detail {

/// What a block's statistics decide: its scale (and zero point), and how each element is formed
/// before rounding: v = x * mul * mul2 (MX, NVFP4) or v = x / div (integer groups). When
/// zero_codes is set every element code is 0 (NaN/Inf block, zero NVFP4 scale, zero group scale).
template <class BF>
struct block_plan {
  block_scale<BF> scale;
  bool zero_codes = false;
  bool divide = false;
  float mul = 1.0f, mul2 = 1.0f, div = 1.0f;
  std::int32_t zero = 0;
};

/// NVFP4: what the block's E4M3 scale encodes, f32(f32(amax_block / 6) * s_enc) (paper order).
SPARQ_HOST_DEVICE inline float nvfp4_scale_input(float amax, tensor_scale const& tensor) noexcept {
  return (amax / 6.0f) * tensor.encode;
}

/// NVFP4: the plan once the block scale is stored. A NaN/Inf block (special) or a zero scale gives
/// zero elements; otherwise elements are x * f32(1 / f32(scale * s_dec)), clamped to FLT_MAX.
template <class BF>
SPARQ_HOST_DEVICE block_plan<BF> nvfp4_plan(bool special, typename BF::scale_type scale,
                                            tensor_scale const& tensor) noexcept {
  block_plan<BF> p;
  p.scale.scale = scale;
  float const stored = static_cast<float>(scale);
  if (special || stored == 0.0f) {
    p.zero_codes = true;
    return p;
  }
  float const enc = 1.0f / (stored * tensor.decode);
  p.mul = enc > FLT_MAX ? FLT_MAX : enc;
  return p;
}

/// absmax's largest code: the integer format's max (INT8 127, INT4 7), or a float element's
/// largest finite value (FP8 E4M3 448).
template <class E>
SPARQ_HOST_DEVICE constexpr float absmax_qmax() noexcept {
  if constexpr (E::spec::is_integer) {
    return static_cast<float>(E::spec::max_value);
  } else {
    return max_finite_v<E>;
  }
}

template <class BF>
SPARQ_HOST_DEVICE block_plan<BF> plan_block(float const* x, std::size_t n, tensor_scale const& tensor) noexcept {
  using E = typename BF::element;
  using S = typename BF::scale_type;
  using R = typename BF::rule;
  block_plan<BF> p;
  float amax = 0.0f;
  bool const special = block_amax(x, n, amax);
  if constexpr (std::is_same<S, float8_e8m0fnu>::value) {
    // OCP MX: X = 2^k, elements RNE(v / X) (MXINT8: RNE(64 v / X) clamped to +-127).
    using mx = mx_element<E>;
    int k = -127;
    if (amax > 0.0f && !special) {
      int const fl = floor_log2(amax);
      if constexpr (std::is_same<R, scale_rule::ocp_floor>::value) {
        k = fl - mx::emax;
      } else if constexpr (std::is_same<R, scale_rule::ceil>::value) {
        k = fl + (is_pow2(amax) ? 0 : 1) - mx::emax;
      } else {
        static_assert(std::is_same<R, scale_rule::round_up>::value, "MX formats take ocp_floor, round_up or ceil");
        k = fl - mx::emax;
        if (static_cast<double>(amax) * pow2d(-k) > static_cast<double>(element_max<E>())) ++k;
      }
      if (k < -127) k = -127;
    }
    if (special || k > 127) {
      p.scale.scale = S::from_bits(0xFFu);
      p.zero_codes = true;
      return p;
    }
    p.scale.scale = S::from_bits(static_cast<std::uint32_t>(k + 127));
    // v * 2^(f - k) is exact unless it falls below 2^-126, where every element rounds to zero.
    int const shift = mx::code_factor_log2 - k;
    p.mul = pow2f(shift > 127 ? 127 : shift);
    p.mul2 = shift > 127 ? pow2f(shift - 127) : 1.0f;
  } else if constexpr (std::is_same<R, scale_rule::nvfp4_two_level>::value) {
    S const scale = special ? S::from_bits(0x7Fu) : convert<S>(nvfp4_scale_input(amax, tensor), overflow::saturate);
    return nvfp4_plan<BF>(special, scale, tensor);
  } else if constexpr (std::is_same<R, scale_rule::absmax>::value) {
    if (special) {
      p.scale.scale = to_scale<S>(quiet_nan());
      p.zero_codes = true;
      return p;
    }
    p.scale.scale = to_scale<S>(amax / absmax_qmax<E>());
    p.div = scale_value(p.scale.scale);
    p.divide = true;
    p.zero_codes = !(p.div > 0.0f);
  } else {
    static_assert(std::is_same<R, scale_rule::min_max>::value, "unknown scale rule");
    constexpr int qmax = E::spec::max_value;
    if (special) {
      p.scale.scale = to_scale<S>(quiet_nan());
      p.zero_codes = true;
      return p;
    }
    float mx = n < static_cast<std::size_t>(BF::block_size) ? 0.0f : -FLT_MAX;
    float mn = n < static_cast<std::size_t>(BF::block_size) ? 0.0f : FLT_MAX;
    for (std::size_t i = 0; i < n; ++i) {
      mx = x[i] > mx ? x[i] : mx;
      mn = x[i] < mn ? x[i] : mn;
    }
    float const range = mx - mn > 1e-5f ? mx - mn : 1e-5f;
    p.scale.scale = to_scale<S>(range / static_cast<float>(qmax));
    p.div = scale_value(p.scale.scale);
    p.divide = true;
    std::int32_t zero = round_to_int<round_mode::nearest_even>(-mn / p.div, 0u);
    p.zero = zero < 0 ? 0 : (zero > qmax ? qmax : zero);
    p.scale.zero = static_cast<std::uint8_t>(p.zero);
  }
  return p;
}

/// The element code from an already rounded integer (integer groups): clamp and store.
template <class BF>
SPARQ_HOST_DEVICE typename BF::element group_code(std::int32_t q, std::int32_t zero) noexcept {
  using E = typename BF::element;
  constexpr int qmax = E::spec::max_value;
  if constexpr (std::is_same<typename BF::rule, scale_rule::absmax>::value) {
    (void)zero;
    q = q > qmax ? qmax : (q < -qmax ? -qmax : q);
  } else {
    q += zero;
    q = q < 0 ? 0 : (q > qmax ? qmax : q);
  }
  return E::from_bits(static_cast<std::uint32_t>(q));
}

template <class BF>
inline constexpr bool integer_group_v = BF::element::spec::is_integer &&
                                        (std::is_same<typename BF::rule, scale_rule::absmax>::value ||
                                         std::is_same<typename BF::rule, scale_rule::min_max>::value);

}  // namespace arch_detail

/// Quantizes n <= BF::block_size values (a short last block is zero padded: its missing values
/// count as 0 in the block statistics and are not written). Writes n element codes and returns
/// the block's scale. Rounding of the elements: nearest_even (default), toward_zero, or
/// stochastic with rbits[i] the random word of element i. Elements saturate to +-max.
///
/// Fixed choices (documented and tested): a block with NaN or +-Inf gets the NaN scale (E8M0
/// 0xFF, E4M3 0x7F, a float NaN) and element codes 0; an all-zero MX block gets scale 0x00
/// (2^-127) and zero elements; a shared exponent above 127 gives the NaN scale; an NVFP4 block
/// whose scale rounds to 0 gets zero elements.
///
///   float x[32] = {7.f};  // the rest 0
///   quantize_block<mxfp4>(x, 32, codes, {})  -> scale 0x7F (2^0), codes[0] = 0x7 (6: clipped)
///   quantize_block<mx_block<float4_e2m1fn, scale_rule::round_up>>(...)
///                                            -> scale 0x80 (2^1), codes[0] = 0x6 (3.5 -> 4)
template <class BF, class Rounding = rounding::nearest_even_t>
SPARQ_HOST_DEVICE block_scale<BF> quantize_block(float const* x, std::size_t n, typename BF::element* codes,
                               tensor_scale const& tensor = {}, std::uint32_t const* rbits = nullptr,
                               Rounding = Rounding{}) noexcept {
  using E = typename BF::element;
  constexpr detail::round_mode mode = detail::round_mode_of<Rounding>::value;
  arch_detail::block_plan<BF> const p = arch_detail::plan_block<BF>(x, n, tensor);
  for (std::size_t i = 0; i < n; ++i) {
    std::uint32_t const r = mode == detail::round_mode::stochastic ? rbits[i] : 0u;
    if (p.zero_codes) {
      codes[i] = E::from_bits(0u);
    } else if constexpr (arch_detail::integer_group_v<BF>) {
      codes[i] = arch_detail::group_code<BF>(arch_detail::round_to_int<mode>(x[i] / p.div, r), p.zero);
    } else {
      float const v = p.divide ? x[i] / p.div : x[i] * p.mul * p.mul2;  // divide: absmax over a float element
      E c = E::from_bits(detail::encode<typename E::spec, mode, overflow::saturate_t>(v, r));
      if constexpr (std::is_same<E, int8>::value) {
        if (c.bits() == 0x80u) c = E::from_bits(0x81u);  // MXINT8 is symmetric: -128 -> -127
      }
      codes[i] = c;
    }
  }
  return p.scale;
}

/// The values of n codes of one block: element * scale (MX: * 2^k; MXINT8: k/64 * 2^k; NVFP4:
/// (element * block scale) * tensor.decode; groups: q * scale or (q - zero) * scale). A NaN scale
/// makes every value NaN.
template <class BF>
SPARQ_HOST_DEVICE void dequantize_block(typename BF::element const* codes, std::size_t n, block_scale<BF> const& bs,
                      tensor_scale const& tensor, float* out) noexcept {
  using E = typename BF::element;
  using S = typename BF::scale_type;
  using R = typename BF::rule;
  float const s = static_cast<float>(bs.scale);
  if (s != s) {
    for (std::size_t i = 0; i < n; ++i) out[i] = arch_detail::quiet_nan();
    return;
  }
  if constexpr (std::is_same<S, float8_e8m0fnu>::value) {
    int const k = static_cast<int>(bs.scale.bits()) - 127 - detail::mx_element<E>::code_factor_log2;
    for (std::size_t i = 0; i < n; ++i) {
      out[i] = static_cast<float>(static_cast<double>(static_cast<float>(codes[i])) * arch_detail::pow2d(k));
    }
  } else if constexpr (std::is_same<R, scale_rule::nvfp4_two_level>::value) {
    for (std::size_t i = 0; i < n; ++i) out[i] = (static_cast<float>(codes[i]) * s) * tensor.decode;
  } else if constexpr (std::is_same<R, scale_rule::absmax>::value) {
    for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<float>(codes[i]) * s;
  } else {
    for (std::size_t i = 0; i < n; ++i) {
      out[i] = static_cast<float>(static_cast<int>(codes[i].bits()) - static_cast<int>(bs.zero)) * s;
    }
  }
}

SPARQ_ARCH_NAMESPACE_END
