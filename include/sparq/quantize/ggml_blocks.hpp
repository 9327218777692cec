// SPDX-License-Identifier: Apache-2.0
// ggml block layouts (layout/ggml_blocks.hpp) to and from float, and from sparq's own formats:
//   sparq::dequantize(view, out)     value = element(code) * scale, one float product per value as
//                                    ggml's and gguf-py's dequantizers compute it: their results
//                                    bit for bit (docs/formats.md: MXFP4's exponent 0xFF differs)
//   sparq::ggml::quantize<Block>(w)  ggml's own reference quantizers (ggml-quants.c), their
//                                    rounding reproduced bit for bit (gguf-py's are the same)
//   sparq::to_ggml(q)                a sparq matrix of int8_group<32, float16>,
//                                    int4_group<32, float16> or mxfp4 as ggml blocks, losslessly
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>

#include <sparq/core/config.hpp>
#include <sparq/core/error.hpp>
#include <sparq/core/executor.hpp>
#include <sparq/format/block.hpp>
#include <sparq/format/float16.hpp>
#include <sparq/format/float8_e8m0fnu.hpp>
#include <sparq/layout/ggml_blocks.hpp>
#include <sparq/layout/ggml_kquants.hpp>
#include <sparq/layout/matrix_view.hpp>
#include <sparq/layout/quantized_matrix.hpp>

SPARQ_NAMESPACE_BEGIN

/// The float values of a ggml block matrix, written to out (N x K, any ld).
/// @pre out is w.rows() x w.cols(); otherwise sparq::invalid_argument and out is untouched.
template <class Block, class Executor = serial_executor>
void dequantize(ggml_matrix_view<Block> const& w, matrix_view<float> const& out, Executor const& executor = {}) {
  detail::check_out(out, w.rows(), w.cols(), "sparq::dequantize");
  executor.parallel_for(w.rows(), [&](std::size_t r) {
    float* const dst = out.row(r);
    for (std::size_t b = 0; b < w.blocks_per_row(); ++b) {
      std::uint8_t const* const block = w.block_at(r, b);
      if constexpr (std::is_void<typename Block::format>::value) {  // Q4_1, K-quants: final values
        for (std::size_t j = 0; j < Block::values / 32; ++j) Block::chunk(block, j, dst + b * Block::values + j * 32);
      } else {
        for (std::size_t s = 0; s < Block::per_block; ++s) {
          float const scale = static_cast<float>(Block::sub_scale(block, s));
          for (std::size_t u = 0; u < Block::chunk_values; ++u) {
            dst[b * Block::values + s * Block::chunk_values + u] =
                static_cast<float>(Block::code(Block::codes(block, s), u)) * scale;
          }
        }
      }
    }
  });
}

template <class Block, class Executor = serial_executor>
void dequantize(ggml_matrix<Block> const& w, matrix_view<float> const& out, Executor const& executor = {}) {
  dequantize(w.view(), out, executor);
}

namespace ggml {
namespace detail {

/// ggml_e8m0_to_fp32_half(e): 2^(e - 128), the float ggml scales its doubled E2M1 values by.
inline float e8m0_half(std::uint8_t e) noexcept {
  std::uint32_t const bits = e < 2 ? 0x00200000u << e : static_cast<std::uint32_t>(e - 1) << 23;
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

inline constexpr std::int8_t kvalues_mxfp4[16] = {0, 1, 2, 3, 4, 6, 8, 12, 0, -1, -2, -3, -4, -6, -8, -12};

/// One block of 32 floats to 32 codes in sparq's packing and the stored scale, as ggml-quants.c's
/// quantize_row_*_ref does.
template <class Block>
typename Block::stored_scale quantize_block(float const* x, std::uint8_t* canonical) noexcept {
  std::uint8_t codes[32];
  typename Block::stored_scale scale{};
  if constexpr (Block::id == type::q8_0) {
    float amax = 0.0f;
    for (std::size_t j = 0; j < 32; ++j) amax = std::fmax(amax, std::fabs(x[j]));
    float const d = amax / 127.0f;
    float const id = d != 0.0f ? 1.0f / d : 0.0f;
    scale = float16(d);
    for (std::size_t j = 0; j < 32; ++j) {
      codes[j] = static_cast<std::uint8_t>(static_cast<std::int8_t>(std::round(fmul(x[j], id))));  // half away
    }
    std::memcpy(canonical, codes, 32);
    return scale;
  } else if constexpr (Block::id == type::q4_0) {
    float amax = 0.0f, max = 0.0f;  // the first value of largest magnitude, with its sign
    for (std::size_t j = 0; j < 32; ++j) {
      if (amax < std::fabs(x[j])) amax = std::fabs(x[j]), max = x[j];
    }
    float const d = max / -8.0f;
    float const id = d != 0.0f ? 1.0f / d : 0.0f;
    scale = float16(d);
    for (std::size_t j = 0; j < 32; ++j) {
      int const q = static_cast<int>(fadd(fmul(x[j], id), 8.5f));  // in [0, 16]: truncation
      codes[j] = static_cast<std::uint8_t>((q < 15 ? q : 15) ^ 8);  // the int4 code of q - 8
    }
  } else {
    float amax = 0.0f;
    for (std::size_t j = 0; j < 32; ++j) amax = std::fmax(amax, std::fabs(x[j]));
    // e = floor(log2f(amax)) - 2 + 127, 0 for amax = 0; below 2^-125 ggml's cast is undefined
    // (gguf-py wraps): sparq takes 0, the smallest scale.
    float const e = amax > 0.0f ? std::floor(std::log2(amax)) - 2.0f + 127.0f : 0.0f;
    std::uint8_t const eb = e > 0.0f ? static_cast<std::uint8_t>(e) : 0;
    float const d = e8m0_half(eb);
    scale = float8_e8m0fnu::from_bits(eb);
    for (std::size_t j = 0; j < 32; ++j) {
      int best = 0;
      float best_err = std::fabs(fadd(fmul(static_cast<float>(kvalues_mxfp4[0]), d), -x[j]));
      for (int i = 1; i < 16; ++i) {
        float const err = std::fabs(fadd(fmul(static_cast<float>(kvalues_mxfp4[i]), d), -x[j]));
        if (err < best_err) best = i, best_err = err;
      }
      codes[j] = static_cast<std::uint8_t>(best);  // kvalues_mxfp4's order is E2M1's code order
    }
  }
  for (std::size_t i = 0; i < 16; ++i) canonical[i] = static_cast<std::uint8_t>(codes[2 * i] | (codes[2 * i + 1] << 4));
  return scale;
}

}  // namespace detail

/// w quantized by ggml's reference quantizer of Block (ggml::q8_0, q4_0, mxfp4), bit for bit.
/// @pre K a multiple of 32 and every value finite; otherwise sparq::invalid_argument names it.
template <class Block, class Executor = serial_executor>
ggml_matrix<Block> quantize(matrix_view<float const> const& w, Executor const& executor = {}) {
  static_assert(Block::id == type::q8_0 || Block::id == type::q4_0 || Block::id == type::mxfp4,
                "sparq::ggml::quantize: ggml's quantizers of Q8_0, Q4_0 and MXFP4 are reproduced");
  std::string const fn = "sparq::ggml::quantize<" + type_name(Block::id) + ">";
  sparq::detail::check_view(w, fn.c_str(), "w");
  ggml_matrix<Block> out(w.rows(), w.cols());
  for (std::size_t r = 0; r < w.rows(); ++r) {
    for (std::size_t k = 0; k < w.cols(); ++k) {
      if (!std::isfinite(w(r, k))) {
        SPARQ_THROW(invalid_argument, fn + ": argument 'w' holds " + std::to_string(w(r, k)) + " at (" +
                                          std::to_string(r) + ", " + std::to_string(k) +
                                          "); ggml's quantizers take finite values only");
      }
    }
  }
  executor.parallel_for(w.rows(), [&](std::size_t r) {
    for (std::size_t b = 0; b < w.cols() / 32; ++b) {
      std::uint8_t canonical[32];
      auto const s = detail::quantize_block<Block>(w.row(r) + b * 32, canonical);
      Block::store(out.block_at(r, b), s, canonical);
    }
  });
  return out;
}

}  // namespace ggml

namespace detail {
/// The ggml block type holding sparq format F's values exactly (void: none).
template <class F>
struct ggml_block_of {
  using type = void;
};
template <>
struct ggml_block_of<int8_group<32, float16>> {
  using type = ggml::q8_0;
};
template <>
struct ggml_block_of<int4_group<32, float16>> {
  using type = ggml::q4_0;
};
template <>
struct ggml_block_of<mxfp4> {
  using type = ggml::mxfp4;
};
}  // namespace detail

/// A sparq matrix as ggml blocks, losslessly: int8_group<32, float16> as Q8_0,
/// int4_group<32, float16> as Q4_0, mxfp4 as MXFP4 (the formats with a ggml equivalent).
/// @pre K a multiple of 32 (sparq::invalid_argument).
template <class F>
auto to_ggml(quantized_matrix_view<F> const& q) {
  using Block = typename detail::ggml_block_of<F>::type;
  static_assert(!std::is_void<Block>::value,
                "sparq::to_ggml: F has no ggml block type (int8_group<32, float16>, int4_group<32, float16>, mxfp4)");
  ggml_matrix<Block> out(q.rows(), q.cols());
  for (std::size_t r = 0; r < q.rows(); ++r) {
    for (std::size_t b = 0; b < q.cols() / 32; ++b) {
      Block::store(out.block_at(r, b), q.scale_row(r)[b], q.code_row(r) + b * 16 * (Block::id == ggml::type::q8_0 ? 2 : 1));
    }
  }
  return out;
}
template <class F>
auto to_ggml(quantized_matrix<F> const& q) {
  return to_ggml(q.view());
}

SPARQ_NAMESPACE_END
