// SPDX-License-Identifier: Apache-2.0
// The vectorized form of quantizing and dequantizing a row of blocks: the same block plans as
// quantize/block.hpp, then one bulk SIMD conversion (kernel/convert.hpp, bit-identical to the
// scalar codec) over the whole row, so results equal the scalar reference bit for bit
// (tests/quantize/matrix.cpp). One conversion per row rather than per block: a 32-element call
// costs as much in validation and dispatch as it does in arithmetic.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <vector>

#include <sparq/core/config.hpp>
#include <sparq/convert/convert.hpp>
#include <sparq/quantize/block.hpp>

SPARQ_ARCH_NAMESPACE_BEGIN
namespace arch_detail {

/// Per-task scratch, reused across the rows of a task.
template <class BF>
struct row_scratch {
  std::vector<float> v;
  std::vector<int8> q;
  std::vector<block_plan<BF>> plans;
};

/// NVFP4's block plans for a whole row at once: plan_block's steps (nvfp4_scale_input,
/// nvfp4_plan), with the E4M3 scale encodes done by one bulk conversion; 16-element blocks make
/// the per-block scalar encode a bottleneck otherwise.
template <class BF>
void plan_nvfp4_row(float const* x, std::size_t blocks, tensor_scale const& tensor, row_scratch<BF>& s) {
  using S = typename BF::scale_type;
  constexpr std::size_t bs = static_cast<std::size_t>(BF::block_size);
  std::vector<float> t(blocks);
  std::vector<S> scales(blocks);
  std::vector<char> special(blocks);
  for (std::size_t b = 0; b < blocks; ++b) {
    float amax = 0.0f;
    special[b] = block_amax(x + b * bs, bs, amax);
    t[b] = special[b] ? 0.0f : nvfp4_scale_input(amax, tensor);
  }
  convert_n(t.data(), blocks, scales.data(), overflow::saturate);
  for (std::size_t b = 0; b < blocks; ++b) {
    s.plans[b] = nvfp4_plan<BF>(special[b] != 0, special[b] ? S::from_bits(0x7Fu) : scales[b], tensor);
  }
}

/// Quantizes one row of `blocks` blocks (x holds blocks * block_size values, zero padded). Writes
/// the codes and each block's scale. Mode as in quantize_block; rbits holds one word per value
/// for stochastic rounding.
template <class BF, round_mode Mode>
void quantize_row_bulk(float const* x, std::size_t blocks, typename BF::element* codes, block_scale<BF>* scales,
                       tensor_scale const& tensor, std::uint32_t const* rbits, row_scratch<BF>& s) {
  using E = typename BF::element;
  constexpr std::size_t bs = static_cast<std::size_t>(BF::block_size);
  std::size_t const n = blocks * bs;
  s.v.resize(n);
  s.plans.resize(blocks);
  if constexpr (std::is_same<typename BF::rule, scale_rule::nvfp4_two_level>::value) {
    plan_nvfp4_row(x, blocks, tensor, s);
  } else {
    for (std::size_t b = 0; b < blocks; ++b) s.plans[b] = plan_block<BF>(x + b * bs, bs, tensor);
  }
  for (std::size_t b = 0; b < blocks; ++b) {
    block_plan<BF> const& p = s.plans[b];
    scales[b] = p.scale;
    float* v = s.v.data() + b * bs;
    float const* xb = x + b * bs;
    if (p.zero_codes) {
      for (std::size_t i = 0; i < bs; ++i) v[i] = 0.0f;  // encodes to code 0 in every element format
    } else if (p.divide) {
      for (std::size_t i = 0; i < bs; ++i) v[i] = xb[i] / p.div;
    } else {
      for (std::size_t i = 0; i < bs; ++i) v[i] = xb[i] * p.mul * p.mul2;
    }
  }
  auto const convert_elements = [&](auto* out) {
    if constexpr (Mode == round_mode::stochastic) {
      convert_n(s.v.data(), n, out, overflow::saturate, rounding::stochastic_stream{rbits, n});
    } else if constexpr (Mode == round_mode::toward_zero) {
      convert_n(s.v.data(), n, out, overflow::saturate, rounding::toward_zero);
    } else {
      convert_n(s.v.data(), n, out, overflow::saturate);
    }
  };
  if constexpr (integer_group_v<BF>) {
    // Rounding to int8 and then clamping equals rounding to an integer and clamping: the groups'
    // ranges lie inside int8's, and saturation keeps the side.
    s.q.resize(n);
    convert_elements(s.q.data());
    for (std::size_t b = 0; b < blocks; ++b) {
      std::int32_t const zero = s.plans[b].zero;
      for (std::size_t i = b * bs; i < (b + 1) * bs; ++i) codes[i] = group_code<BF>(static_cast<int>(s.q[i]), zero);
    }
  } else {
    convert_elements(codes);
    if constexpr (std::is_same<E, int8>::value) {
      // MXINT8 is symmetric: -128 -> -127. On the bytes, so the loop vectorizes.
      static_assert(sizeof(E) == 1, "int8 codes are bytes");
      auto* raw = reinterpret_cast<std::uint8_t*>(codes);
      for (std::size_t i = 0; i < n; ++i) raw[i] = raw[i] == 0x80u ? std::uint8_t{0x81} : raw[i];
    }
  }
}

/// The values of one row of blocks; equal to dequantize_block's bit for bit (multiplying by 2^k
/// in float rounds once, as the reference's double ldexp then float does).
template <class BF>
void dequantize_row_bulk(typename BF::element const* codes, std::size_t blocks, block_scale<BF> const* scales,
                         tensor_scale const& tensor, float* out) {
  using E = typename BF::element;
  using S = typename BF::scale_type;
  using R = typename BF::rule;
  constexpr std::size_t bs = static_cast<std::size_t>(BF::block_size);
  convert_n(codes, blocks * bs, out);
  for (std::size_t b = 0; b < blocks; ++b) {
    float* o = out + b * bs;
    float const s = static_cast<float>(scales[b].scale);
    if (s != s) {
      for (std::size_t i = 0; i < bs; ++i) o[i] = std::numeric_limits<float>::quiet_NaN();
    } else if constexpr (std::is_same<S, float8_e8m0fnu>::value) {
      float const f = pow2f(static_cast<int>(scales[b].scale.bits()) - 127 - mx_element<E>::code_factor_log2);
      for (std::size_t i = 0; i < bs; ++i) o[i] *= f;
    } else if constexpr (std::is_same<R, scale_rule::nvfp4_two_level>::value) {
      for (std::size_t i = 0; i < bs; ++i) o[i] = (o[i] * s) * tensor.decode;
    } else if constexpr (std::is_same<R, scale_rule::absmax>::value) {
      for (std::size_t i = 0; i < bs; ++i) o[i] *= s;
    } else {
      float const z = static_cast<float>(scales[b].zero);
      for (std::size_t i = 0; i < bs; ++i) o[i] = (o[i] - z) * s;
    }
  }
}

}  // namespace arch_detail
SPARQ_ARCH_NAMESPACE_END
