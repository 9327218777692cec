// SPDX-License-Identifier: Apache-2.0
// block_format<Element, Scale, BlockSize, ScaleRule>: block-scaled formats (OCP MX, NVFP4,
// integer groups) as types. Facts only: the quantizer (quantize/block.hpp) implements the rules.
#pragma once

#include <string>
#include <type_traits>

#include <sparq/core/config.hpp>
#include <sparq/format/bfloat16.hpp>
#include <sparq/format/float16.hpp>
#include <sparq/format/float4_e2m1fn.hpp>
#include <sparq/format/float6_e2m3fn.hpp>
#include <sparq/format/float6_e3m2fn.hpp>
#include <sparq/format/float8_e4m3fn.hpp>
#include <sparq/format/float8_e5m2.hpp>
#include <sparq/format/float8_e8m0fnu.hpp>
#include <sparq/format/int4.hpp>
#include <sparq/format/int8.hpp>
#include <sparq/format/scale_rule.hpp>
#include <sparq/format/traits.hpp>
#include <sparq/format/uint4.hpp>

SPARQ_NAMESPACE_BEGIN

// concept BlockFormat {
//   using element;               // an element format (codes stored as in docs/formats.md section 4)
//   using scale_type;            // float8_e8m0fnu, float8_e4m3fn, float, bfloat16 or float16
//   using rule;                  // a scale_rule:: policy
//   static constexpr int block_size;
//   static constexpr bool has_zero_point, has_tensor_scale;
//   static constexpr double bits_per_weight;   // codes + scales (+ zero points) per element
// }

namespace detail {
template <class T>
struct scale_bits {
  static constexpr int value = 8 * static_cast<int>(sizeof(T));
};
template <class Spec>
struct scale_bits<minifloat<Spec>> {
  static constexpr int value = Spec::bits;
};

/// Element facts the MX scale rules need: the largest power of two of the element (emax) and
/// its implicit factor (MXINT8 codes k mean k / 64).
template <class Element>
struct mx_element {
  static constexpr int emax = Element::spec::emax;
  static constexpr int code_factor_log2 = 0;
};
template <>
struct mx_element<int8> {
  static constexpr int emax = 0;              // 127/64 < 2: the largest power of two is 2^0
  static constexpr int code_factor_log2 = 6;  // value = k * 2^-6
};
}  // namespace detail

template <class Element, class Scale, int BlockSize, class ScaleRule>
struct block_format {
  static_assert(is_format_v<Element>, "block_format: Element must be an element format");
  static_assert(BlockSize >= 2 && BlockSize <= 4096, "block_format: block size in 2..4096");
  using element = Element;
  using scale_type = Scale;
  using rule = ScaleRule;
  static constexpr int block_size = BlockSize;
  static constexpr bool has_zero_point = std::is_same<ScaleRule, scale_rule::min_max>::value;
  static constexpr bool has_tensor_scale = std::is_same<ScaleRule, scale_rule::nvfp4_two_level>::value;
  /// Zero points are stored as codes of the element's width.
  static constexpr int zero_point_bits = has_zero_point ? bits_of_v<Element> : 0;
  static constexpr double bits_per_weight =
      bits_of_v<Element> + static_cast<double>(detail::scale_bits<Scale>::value + zero_point_bits) / BlockSize;
};

template <class T>
struct is_block_format : std::false_type {};
template <class E, class S, int B, class R>
struct is_block_format<block_format<E, S, B, R>> : std::true_type {};
template <class T>
inline constexpr bool is_block_format_v = is_block_format<T>::value;

/// OCP MX v1.0 formats: 32 elements share one E8M0 scale (section 5.2, table 1).
template <class Element, class Rule = scale_rule::ocp_floor>
using mx_block = block_format<Element, float8_e8m0fnu, 32, Rule>;

using mxfp8_e4m3 = mx_block<float8_e4m3fn>;  ///< 8.25 bits per weight
using mxfp8_e5m2 = mx_block<float8_e5m2>;    ///< 8.25 bits per weight
using mxfp6_e2m3 = mx_block<float6_e2m3fn>;  ///< 6.25 bits per weight
using mxfp6_e3m2 = mx_block<float6_e3m2fn>;  ///< 6.25 bits per weight
using mxfp4 = mx_block<float4_e2m1fn>;       ///< 4.25 bits per weight
using mxint8 = mx_block<int8>;               ///< 8.25 bits per weight: k / 64 * 2^scale

/// NVIDIA NVFP4: 16 E2M1 elements share one E4M3 scale (non-negative), plus one FP32 scale per
/// tensor. 4.5 bits per weight (+ 32 bits per tensor).
using nvfp4 = block_format<float4_e2m1fn, float8_e4m3fn, 16, scale_rule::nvfp4_two_level>;

/// Symmetric integer groups along K with a float scale (8 + 32/G or 4 + 32/G bits per weight).
template <int Group, class Scale = float>
using int8_group = block_format<int8, Scale, Group, scale_rule::absmax>;
template <int Group, class Scale = float>
using int4_group = block_format<int4, Scale, Group, scale_rule::absmax>;
/// FP8 groups along K with a float scale, amax / 448 for E4M3 (8 + 32/G bits per weight); the
/// row format of DeepSeek-V3's 128 x 128 tiles (layout/tiled_matrix.hpp), whose scales are shared
/// by 128 rows as well.
template <int Group, class Element = float8_e4m3fn>
using fp8_group = block_format<Element, float, Group, scale_rule::absmax>;
/// Asymmetric 4-bit groups with a zero point, the AWQ / GPTQ convention (4 + (16 + 4)/G bits with
/// a float16 scale).
template <int Group, class Scale = float16>
using uint4_group_zp = block_format<uint4, Scale, Group, scale_rule::min_max>;

namespace detail {
template <class T>
std::string type_label() {
  if constexpr (std::is_same<T, float>::value) {
    return "float";
  } else {
    return format_name_v<T>;
  }
}
/// A readable name for error messages: the element format's name, or
/// "block_format<element, scale, block size>".
template <class F>
std::string format_label() {
  if constexpr (is_block_format_v<F>) {
    return "block_format<" + type_label<typename F::element>() + ", " + type_label<typename F::scale_type>() + ", " +
           std::to_string(F::block_size) + ">";
  } else {
    return format_name_v<F>;
  }
}
}  // namespace detail

static_assert(mxfp4::bits_per_weight == 4.25 && mxfp6_e2m3::bits_per_weight == 6.25, "MX bits per weight");
static_assert(mxfp8_e4m3::bits_per_weight == 8.25 && mxint8::bits_per_weight == 8.25, "MX bits per weight");
static_assert(nvfp4::bits_per_weight == 4.5, "NVFP4 bits per weight");
static_assert(int4_group<32>::bits_per_weight == 5.0 && int8_group<128>::bits_per_weight == 8.25, "groups");
static_assert(uint4_group_zp<128>::bits_per_weight == 4.15625, "AWQ bits per weight");

SPARQ_NAMESPACE_END
