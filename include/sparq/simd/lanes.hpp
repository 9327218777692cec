// SPDX-License-Identifier: Apache-2.0
// Conversion lane math, written once against the format specs: the same integer procedure as
// format/codec.hpp on 32-bit lanes, so results are bit-identical to the scalar codec.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include <xsimd/xsimd.hpp>

#include <sparq/core/config.hpp>
#include <sparq/format/codec.hpp>
#include <sparq/format/traits.hpp>

SPARQ_ARCH_NAMESPACE_BEGIN
namespace kernel {
namespace simd {

template <class A>
using fbatch = xsimd::batch<float, A>;
template <class A>
using ubatch = xsimd::batch<std::uint32_t, A>;
template <class A>
using ibatch = xsimd::batch<std::int32_t, A>;

template <class A>
SPARQ_INLINE ubatch<A> splat(std::uint32_t v) noexcept {
  return ubatch<A>(v);
}
template <class A>
SPARQ_INLINE ibatch<A> as_int(ubatch<A> const& v) noexcept {
  return xsimd::bitwise_cast<ibatch<A>>(v);
}
template <class A>
SPARQ_INLINE ubatch<A> as_uint(ibatch<A> const& v) noexcept {
  return xsimd::bitwise_cast<ubatch<A>>(v);
}
/// Reinterprets a lane mask between 32-bit integer types (same register in every xsimd arch).
template <class To, class From, class A>
SPARQ_INLINE xsimd::batch_bool<To, A> mask_cast(xsimd::batch_bool<From, A> const& b) noexcept {
  static_assert(sizeof(To) == sizeof(From), "mask_cast: equal lane widths");
  return xsimd::batch_bool<To, A>(b.data);
}
/// Lane-wise a > b for values below 2^31 (signed compare; xsimd 8 lacks a uniform unsigned one).
template <class A>
SPARQ_INLINE xsimd::batch_bool<std::uint32_t, A> gt_small(ubatch<A> const& a, ubatch<A> const& b) noexcept {
  return mask_cast<std::uint32_t>(as_int(a) > as_int(b));
}
template <class A>
SPARQ_INLINE ubatch<A> min_small(ubatch<A> const& a, ubatch<A> const& b) noexcept {
  return xsimd::select(gt_small(a, b), b, a);
}
template <class A>
SPARQ_INLINE ubatch<A> max_small(ubatch<A> const& a, ubatch<A> const& b) noexcept {
  return xsimd::select(gt_small(a, b), a, b);
}
/// 1 in the lanes where b holds, else 0.
template <class A>
SPARQ_INLINE ubatch<A> one_if(xsimd::batch_bool<std::uint32_t, A> const& b) noexcept {
  return xsimd::select(b, splat<A>(1u), splat<A>(0u));
}

// ---------------------------------------------------------------------------------------------
// Stochastic rounding core: lanes of detail::round_shift<stochastic>. sig < 2^24, 1 <= s (s may
// exceed 31). Nearest-even and toward-zero use the FPU-rounded forms further down.

template <class A>
SPARQ_INLINE ubatch<A> round_shift_stochastic(ubatch<A> const& sig, ubatch<A> const& s, ubatch<A> const& rbits) noexcept {
  ubatch<A> const one = splat<A>(1u);
  // Shift counts stay below 32 (variable shifts by >= 32 differ between ISAs); for s >= 31 the
  // quotient is 0 and the remainder is sig either way because sig < 2^24.
  ubatch<A> const sc = min_small(s, splat<A>(31u));
  ubatch<A> const n = sig >> sc;
  ubatch<A> const rem = sig & ((one << sc) - one);
  ubatch<A> const thirty_two = splat<A>(32u);
  auto const small = gt_small(splat<A>(33u), s);  // s <= 32
  ubatch<A> const lo = rem << (thirty_two - min_small(s, thirty_two));
  ubatch<A> const hi = sig >> min_small(max_small(s, thirty_two) - thirty_two, splat<A>(31u));
  ubatch<A> const frac32 = xsimd::select(small, lo, hi);
  ubatch<A> const flip = splat<A>(0x80000000u);
  auto const up = mask_cast<std::uint32_t>(as_int(frac32 ^ flip) > as_int(rbits ^ flip));
  return n + one_if(up);
}

// ---------------------------------------------------------------------------------------------
// Encode: float lanes -> code lanes (zero-extended codes in 32-bit lanes).

/// Stochastic rounding of a minifloat: the integer procedure of detail::encode_fp on lanes.
template <class Spec, class Overflow, class A>
SPARQ_INLINE ubatch<A> encode_fp_stochastic(fbatch<A> const& x, ubatch<A> const& rbits) noexcept {
  constexpr bool ieee = detail::is_ieee_overflow_v<Overflow>;
  ubatch<A> const u = xsimd::bitwise_cast<ubatch<A>>(x);
  ubatch<A> const a = u & splat<A>(0x7FFFFFFFu);
  auto const negative = (u & splat<A>(0x80000000u)) != splat<A>(0u);
  auto const is_nan = gt_small(a, splat<A>(0x7F800000u));
  auto const is_inf = a == splat<A>(0x7F800000u);
  ubatch<A> const ea = a >> 23;
  auto const ea_zero = ea == splat<A>(0u);

  if constexpr (Spec::special == specials::nan_only_no_zero) {
    constexpr std::uint32_t nan = Spec::nan_code, max = Spec::max_magnitude;
    ubatch<A> const sig = (a & splat<A>(0x7FFFFFu)) | splat<A>(0x800000u);
    ubatch<A> code = ea - splat<A>(1u) + round_shift_stochastic<A>(sig, splat<A>(23u), rbits);
    code = xsimd::select(gt_small(code, splat<A>(max)), splat<A>(ieee ? nan : max), code);
    ubatch<A> sub = round_shift_stochastic<A>(a, splat<A>(22u), rbits) - splat<A>(1u);
    sub = xsimd::select(gt_small(splat<A>(0x00400000u), a), splat<A>(0u), sub);
    code = xsimd::select(ea_zero, sub, code);
    code = xsimd::select(is_inf, splat<A>(ieee ? nan : max), code);
    code = xsimd::select(negative | (a == splat<A>(0u)), splat<A>(ieee ? nan : 0u), code);
    return xsimd::select(is_nan, splat<A>(nan), code);
  } else {
    constexpr int m = Spec::man_bits;
    ubatch<A> const sign = xsimd::select(negative, splat<A>(Spec::sign_mask), splat<A>(0u));
    ubatch<A> const sig =
        xsimd::select(ea_zero, a, (a & splat<A>(0x7FFFFFu)) | splat<A>(0x800000u));
    // te = max(ea, 1) - 127 + bias, kept biased by +127 so lanes stay non-negative.
    ubatch<A> const ea1 = max_small(ea, splat<A>(1u));
    ubatch<A> const te_b = ea1 + splat<A>(static_cast<std::uint32_t>(Spec::bias));  // te + 127
    ubatch<A> const below = max_small(splat<A>(128u), te_b) - te_b;              // max(1 - te, 0)
    ubatch<A> const s = splat<A>(static_cast<std::uint32_t>(23 - m)) + below;
    ubatch<A> const n = round_shift_stochastic<A>(sig, s, rbits);
    ubatch<A> const e_field = max_small(te_b, splat<A>(128u)) - splat<A>(128u);   // max(te - 1, 0)
    ubatch<A> const mag = (e_field << m) + n;
    ubatch<A> code = sign | mag;
    if constexpr (!Spec::has_negative_zero) {
      code = xsimd::select(mag == splat<A>(0u), splat<A>(0u), code);
    }
    // Overflow of a finite value, then +-Inf, then NaN (see detail::encode_overflow).
    constexpr bool keeps = !ieee || (!Spec::has_inf && !Spec::has_nan);
    constexpr std::uint32_t big =
        Spec::has_inf ? Spec::inf_code : (Spec::has_signed_nan ? Spec::nan_code : Spec::max_magnitude);
    ubatch<A> const max_code = sign | splat<A>(Spec::max_magnitude);
    ubatch<A> big_code;
    if constexpr (Spec::has_inf || Spec::has_signed_nan) {
      big_code = sign | splat<A>(big);
    } else {
      big_code = splat<A>(Spec::nan_code);  // fnuz: the single NaN
    }
    code = xsimd::select(gt_small(mag, splat<A>(Spec::max_magnitude)) | is_inf, keeps ? max_code : big_code, code);
    if constexpr (!Spec::is_signed) {
      code = xsimd::select(negative & (a != splat<A>(0u)),
                           splat<A>(ieee && Spec::has_nan ? Spec::nan_code : 0u), code);
    }
    ubatch<A> nan_code;
    if constexpr (Spec::has_signed_nan) {
      nan_code = sign | splat<A>(Spec::nan_code);
    } else {
      nan_code = splat<A>(Spec::nan_code);
    }
    return xsimd::select(is_nan, nan_code, code);
  }
}

/// Stochastic rounding of an integer format: detail::encode_int's procedure on lanes.
template <class Spec, class A>
SPARQ_INLINE ubatch<A> encode_int_stochastic(fbatch<A> const& x, ubatch<A> const& rbits) noexcept {
  ubatch<A> const u = xsimd::bitwise_cast<ubatch<A>>(x);
  ubatch<A> const a = u & splat<A>(0x7FFFFFFFu);
  auto const negative = (u & splat<A>(0x80000000u)) != splat<A>(0u);
  ubatch<A> const ea = a >> 23;
  ubatch<A> const sig =
      xsimd::select(ea == splat<A>(0u), a, (a & splat<A>(0x7FFFFFu)) | splat<A>(0x800000u));
  ubatch<A> const s = splat<A>(150u) - max_small(ea, splat<A>(1u));
  ubatch<A> n = round_shift_stochastic<A>(sig, max_small(s, splat<A>(1u)), rbits);
  n = xsimd::select(gt_small(ea, splat<A>(149u)), splat<A>(1u << 23), n);  // |x| >= 2^23, Inf
  ibatch<A> v = as_int(n);
  v = xsimd::select(mask_cast<std::int32_t>(negative), -v, v);
  v = xsimd::select(v > ibatch<A>(Spec::max_value), ibatch<A>(Spec::max_value), v);
  v = xsimd::select(v < ibatch<A>(Spec::min_value), ibatch<A>(Spec::min_value), v);
  ubatch<A> const code = as_uint(v) & splat<A>(Spec::mask);
  return xsimd::select(gt_small(a, splat<A>(0x7F800000u)), splat<A>(0u), code);
}

// Deterministic rounding (nearest_even, toward_zero) lets the FPU do the rounding: 19 vector ops
// per 8 lanes for a minifloat against 45 for the integer procedure, and 6 against 20 for an
// integer format (bench/convert.cpp, encode/<format>/bulk). It relies on the
// default floating-point environment (round-to-nearest-even, no DAZ/FTZ), as every vector path
// here does; the tests compare both forms with the scalar codec.

/// Minifloat with zero and a sign; Mode is nearest_even or toward_zero.
template <class Spec, detail::round_mode Mode, class Overflow, class A>
SPARQ_INLINE ubatch<A> encode_fp_deterministic(fbatch<A> const& x) noexcept {
  constexpr int m = Spec::man_bits;
  constexpr bool nearest = Mode == detail::round_mode::nearest_even;
  constexpr bool ieee = detail::is_ieee_overflow_v<Overflow>;
  ubatch<A> const u = xsimd::bitwise_cast<ubatch<A>>(x);
  ubatch<A> const a = u & splat<A>(0x7FFFFFFFu);
  ubatch<A> const sign = (u >> 31) << (Spec::exp_bits + m);
  // Normal range of the target: round the float's mantissa at bit 23 - m, then rebias. A carry
  // out of the mantissa moves to the next exponent by itself.
  ubatch<A> rounded = a;
  if constexpr (nearest) {
    ubatch<A> const lsb = (a >> (23 - m)) & splat<A>(1u);
    rounded = a + splat<A>((1u << (22 - m)) - 1u) + lsb;
  }
  ubatch<A> const mag_normal =
      (rounded >> (23 - m)) - splat<A>(static_cast<std::uint32_t>(127 - Spec::bias) << m);
  ubatch<A> mag = mag_normal;
  if constexpr (Spec::bias != 127) {
    // Subnormal range: |x| / quantum is below 2^m and exact in float; convert with the FPU's
    // rounding (nearest even) or truncation. (With bias 127, bfloat16, the target's subnormals
    // are float32's and the normal-range formula above already covers them.)
    static_assert(Spec::bias + m - 1 <= 127, "encode_fp_deterministic: quantum scale must fit a float");
    fbatch<A> const scaled = xsimd::bitwise_cast<fbatch<A>>(a) * fbatch<A>(detail::exp2i(Spec::bias + m - 1));
    ibatch<A> const n = nearest ? xsimd::nearbyint_as_int(scaled) : xsimd::batch_cast<std::int32_t>(scaled);
    constexpr std::uint32_t min_normal_bits = static_cast<std::uint32_t>(128 - Spec::bias) << 23;
    mag = xsimd::select(gt_small(splat<A>(min_normal_bits), a), as_uint(n), mag_normal);
  }
  // Overflow (and +-Inf, whose rounded magnitude is past max): see detail::encode_overflow.
  auto const over = gt_small(mag, splat<A>(Spec::max_magnitude));
  ubatch<A> code = sign | as_uint(xsimd::min(as_int(mag), ibatch<A>(static_cast<std::int32_t>(Spec::max_magnitude))));
  if constexpr (ieee && (Spec::has_inf || Spec::has_nan)) {
    constexpr std::uint32_t big = Spec::has_inf ? Spec::inf_code : Spec::nan_code;
    ubatch<A> const big_code = Spec::has_inf || Spec::has_signed_nan ? (sign | splat<A>(big)) : splat<A>(big);
    auto const to_big = nearest ? over : (a == splat<A>(0x7F800000u));
    code = xsimd::select(to_big, big_code, code);
  }
  if constexpr (!Spec::has_negative_zero) {
    code = xsimd::select(mag == splat<A>(0u), splat<A>(0u), code);
  }
  ubatch<A> const nan_code = Spec::has_signed_nan ? (sign | splat<A>(Spec::nan_code)) : splat<A>(Spec::nan_code);
  return xsimd::select(gt_small(a, splat<A>(0x7F800000u)), nan_code, code);
}

/// E8M0 (exponent only); Mode is nearest_even or toward_zero. Nearest with ties up is adding half
/// an exponent step to the float's bits: 11 ops per 8 lanes against 40 on the integer path.
template <class Spec, detail::round_mode Mode, class Overflow, class A>
SPARQ_INLINE ubatch<A> encode_e8m0_deterministic(fbatch<A> const& x) noexcept {
  constexpr bool nearest = Mode == detail::round_mode::nearest_even;
  constexpr bool ieee = detail::is_ieee_overflow_v<Overflow>;
  constexpr std::uint32_t max = Spec::max_magnitude, nan = Spec::nan_code;
  ubatch<A> const u = xsimd::bitwise_cast<ubatch<A>>(x);
  ubatch<A> code = ((nearest ? u + splat<A>(0x00400000u) : u) >> 23);  // normal floats
  code = as_uint(xsimd::min(as_int(code), ibatch<A>(static_cast<std::int32_t>(nearest && ieee ? nan : max))));
  // Float32 subnormals lie between codes 0x00 (2^-127, bits 0x00400000) and 0x01 (2^-126).
  std::uint32_t const up_from = nearest ? 0x00600000u : 0x00800000u;  // 1.5 * 2^-127: ties up
  ubatch<A> const sub = xsimd::select(gt_small(splat<A>(up_from), u), splat<A>(0u), splat<A>(1u));
  code = xsimd::select(gt_small(splat<A>(0x00800000u), u), sub, code);
  // Zero and negatives (u == 0 or sign set: negative as int32), +Inf, NaN.
  auto const below = as_int(u) < ibatch<A>(1);
  code = xsimd::select(mask_cast<std::uint32_t>(below), splat<A>(ieee ? nan : 0u), code);
  code = xsimd::select(u == splat<A>(0x7F800000u), splat<A>(ieee ? nan : max), code);
  ubatch<A> const a = u & splat<A>(0x7FFFFFFFu);
  return xsimd::select(gt_small(a, splat<A>(0x7F800000u)), splat<A>(nan), code);
}

/// Integer format; Mode is nearest_even or toward_zero. Clamping first keeps the conversion in
/// range; NaN lanes become 0.
template <class Spec, detail::round_mode Mode, class A>
SPARQ_INLINE ubatch<A> encode_int_deterministic(fbatch<A> const& x) noexcept {
  fbatch<A> const lo(static_cast<float>(Spec::min_value)), hi(static_cast<float>(Spec::max_value));
  fbatch<A> const clamped = xsimd::min(xsimd::max(x, lo), hi);
  ibatch<A> const v = Mode == detail::round_mode::nearest_even ? xsimd::nearbyint_as_int(clamped)
                                                                 : xsimd::batch_cast<std::int32_t>(clamped);
  ubatch<A> const code = as_uint(v) & splat<A>(Spec::mask);
  return xsimd::select(mask_cast<std::uint32_t>(xsimd::bool_cast(xsimd::isnan(x))), splat<A>(0u), code);
}

template <class Spec, detail::round_mode Mode, class Overflow, class A>
SPARQ_INLINE ubatch<A> encode(fbatch<A> const& x, [[maybe_unused]] ubatch<A> const& rbits) noexcept {
  if constexpr (Mode == detail::round_mode::stochastic) {
    if constexpr (Spec::is_integer) {
      return encode_int_stochastic<Spec, A>(x, rbits);
    } else {
      return encode_fp_stochastic<Spec, Overflow, A>(x, rbits);
    }
  } else if constexpr (Spec::is_integer) {
    return encode_int_deterministic<Spec, Mode, A>(x);
  } else if constexpr (Spec::special == specials::nan_only_no_zero) {
    return encode_e8m0_deterministic<Spec, Mode, Overflow, A>(x);
  } else {
    static_assert(Spec::is_signed && Spec::has_zero,
                  "sparq: an unsigned minifloat with a zero needs its own vector encode (none is listed yet)");
    return encode_fp_deterministic<Spec, Mode, Overflow, A>(x);
  }
}

// ---------------------------------------------------------------------------------------------
// Decode: code lanes -> float lanes (exact). Integer-only construction of normal values, so the
// result does not depend on the denormals-are-zero mode except for float32-subnormal values.

template <class Spec, class A>
SPARQ_INLINE fbatch<A> decode(ubatch<A> const& c) noexcept {
  if constexpr (Spec::is_integer) {
    ibatch<A> v = as_int(c << (32 - Spec::bits));
    v = v >> (32 - Spec::bits);  // arithmetic shift sign-extends signed formats
    if constexpr (!Spec::is_signed) v = as_int(c & splat<A>(Spec::mask));
    return xsimd::batch_cast<float>(v);
  } else if constexpr (Spec::special == specials::nan_only_no_zero) {
    ubatch<A> const code = c & splat<A>(Spec::mag_mask);
    ubatch<A> bits = code << 23;
    bits = xsimd::select(code == splat<A>(0u), splat<A>(0x00400000u), bits);
    bits = xsimd::select(code == splat<A>(Spec::nan_code), splat<A>(0x7FC00000u), bits);
    return xsimd::bitwise_cast<fbatch<A>>(bits);
  } else {
    constexpr int m = Spec::man_bits;
    constexpr int width = Spec::exp_bits + m;
    ubatch<A> const mag = c & splat<A>(Spec::mag_mask);
    ubatch<A> const sign = (c & splat<A>(Spec::sign_mask)) << (31 - width);
    ubatch<A> const e = mag >> m;
    ubatch<A> const man = mag & splat<A>(Spec::man_mask);
    ubatch<A> const normal = (mag << (23 - m)) + splat<A>(static_cast<std::uint32_t>(127 - Spec::bias) << 23);
    ubatch<A> bits = normal;
    if constexpr (Spec::bias != 127 || Spec::exp_bits != 8) {
      // Subnormal codes: man * 2^(1 - bias - m), a normal float for these formats. (bfloat16's
      // subnormals are float32's: the shift above is already exact, and computing this product
      // would produce float32 subnormals, which cost a microcode assist per lane.)
      fbatch<A> const sub_value = xsimd::batch_cast<float>(as_int(man)) *
                                  fbatch<A>(detail::exp2i(1 - Spec::bias - m));
      bits = xsimd::select(e == splat<A>(0u), xsimd::bitwise_cast<ubatch<A>>(sub_value), normal);
    }
    if constexpr (Spec::special == specials::ieee) {
      auto const top = e == splat<A>(Spec::exp_all_ones);
      bits = xsimd::select(top, xsimd::select(man == splat<A>(0u), splat<A>(0x7F800000u),
                                              splat<A>(0x7FC00000u)),
                           bits);
    } else if constexpr (Spec::special == specials::nan_only) {
      bits = xsimd::select(mag == splat<A>(Spec::mag_mask), splat<A>(0x7FC00000u), bits);
    } else if constexpr (Spec::special == specials::nan_only_no_negzero) {
      bits = xsimd::select((c & splat<A>(Spec::sign_mask | Spec::mag_mask)) == splat<A>(Spec::sign_mask),
                           splat<A>(0x7FC00000u), bits);
    }
    return xsimd::bitwise_cast<fbatch<A>>(bits | sign);
  }
}

}  // namespace simd
}  // namespace kernel
SPARQ_ARCH_NAMESPACE_END
