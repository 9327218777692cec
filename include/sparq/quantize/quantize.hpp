// SPDX-License-Identifier: Apache-2.0
// Matrix quantization: sparq::quantize<Format>(view, options) -> quantized_matrix<Format>, and
// sparq::dequantize(w, out). Rows are independent tasks for the caller's executor; results do
// not depend on the executor (stochastic bits are a function of the seed and the position).
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include <sparq/core/config.hpp>
#include <sparq/core/error.hpp>
#include <sparq/core/executor.hpp>
#include <sparq/format/block.hpp>
#include <sparq/format/convert.hpp>
#include <sparq/kernel/convert.hpp>
#include <sparq/layout/matrix_view.hpp>
#include <sparq/layout/packing.hpp>
#include <sparq/layout/quantized_matrix.hpp>
#include <sparq/quantize/block.hpp>

SPARQ_NAMESPACE_BEGIN

/// Scale granularity of element formats (block formats carry their own).
enum class element_scale { per_row, per_tensor };

struct quantize_options {
  /// Elements round to nearest even unless stochastic; the random word of element (r, c) is a hash
  /// of (seed, r * padded_cols + c), so results are reproducible under any executor.
  bool stochastic = false;
  std::uint64_t seed = 0;
  /// Element formats: one float scale per row (default) or one for the tensor, amax / max_finite;
  /// bfloat16 and float16 are stored unscaled (scale 1).
  element_scale granularity = element_scale::per_row;
};

namespace detail {

inline std::uint32_t random_word(std::uint64_t seed, std::uint64_t index) noexcept {
  std::uint64_t x = seed ^ (index * 0x9E3779B97F4A7C15ull);
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return static_cast<std::uint32_t>((x ^ (x >> 31)) >> 16);
}

/// Row r of the input as float32, zero padded to `padded` columns.
template <class T>
void load_row(matrix_view<T const> const& w, std::size_t r, float* out, std::size_t padded) {
  if constexpr (std::is_same<T, float>::value) {
    for (std::size_t c = 0; c < w.cols(); ++c) out[c] = w(r, c);
  } else {
    convert_n(w.row(r), w.cols(), out);
  }
  for (std::size_t c = w.cols(); c < padded; ++c) out[c] = 0.0f;
}

/// Largest finite magnitude of a row.
inline float finite_amax(float const* x, std::size_t n) noexcept {
  float amax = 0.0f;
  for (std::size_t i = 0; i < n; ++i) {
    float const a = std::fabs(x[i]);
    if (a <= std::numeric_limits<float>::max() && a > amax) amax = a;
  }
  return amax;
}

template <class T>
float tensor_amax(matrix_view<T const> const& w) {
  std::vector<float> row(w.cols());
  float amax = 0.0f;
  for (std::size_t r = 0; r < w.rows(); ++r) {
    load_row(w, r, row.data(), w.cols());
    float const a = finite_amax(row.data(), w.cols());
    amax = a > amax ? a : amax;
  }
  return amax;
}

template <class F>
inline constexpr bool unscaled_element_v = std::is_same<F, bfloat16>::value || std::is_same<F, float16>::value;

template <class F>
float element_scale_of(float amax) noexcept {
  if constexpr (unscaled_element_v<F>) {
    (void)amax;
    return 1.0f;
  } else {
    return amax > 0.0f ? amax / max_finite_v<F> : 1.0f;
  }
}

template <class E>
void store_codes(E const* codes, std::size_t n, std::uint8_t* out) {
  if constexpr (bits_of_v<E> <= 8) {
    pack(codes, n, out);
  } else {
    for (std::size_t i = 0; i < n; ++i) {
      auto const b = codes[i].bits();
      std::memcpy(out + i * sizeof(b), &b, sizeof(b));
    }
  }
}

template <class E>
void load_codes(std::uint8_t const* in, std::size_t n, E* codes) {
  if constexpr (bits_of_v<E> <= 8) {
    unpack(in, n, codes);
  } else {
    for (std::size_t i = 0; i < n; ++i) {
      typename E::storage_type b;
      std::memcpy(&b, in + i * sizeof(b), sizeof(b));
      codes[i] = E::from_bits(b);
    }
  }
}

}  // namespace detail

/// Quantizes the N x K matrix w (float, bfloat16 or float16) to Format: a block format (MX,
/// NVFP4, integer groups; scales computed by the format's rule) or an element format (scaled per
/// row or per tensor). Bit-identical for every executor.
///
/// @post the result is fully written; on a bad argument nothing is allocated and an exception
///       names the argument.
///
///   std::vector<float> w(4096 * 4096);  ...
///   auto q = sparq::quantize<sparq::mxfp4>(sparq::matrix_view<float const>{w.data(), 4096, 4096});
///   q.code_bytes() == 4096 * 2048,  q.scale_bytes() == 4096 * 128
template <class Format, class T, class Executor = serial_executor>
quantized_matrix<Format> quantize(matrix_view<T const> const& w, quantize_options const& options = {},
                                  Executor const& executor = {}) {
  static_assert(is_block_format_v<Format> || is_format_v<Format>,
                "sparq::quantize: Format must be a block format (sparq::mxfp4, ...) or an element format");
  static_assert(std::is_same<T, float>::value || std::is_same<T, bfloat16>::value || std::is_same<T, float16>::value,
                "sparq::quantize: the input must be float, bfloat16 or float16");
  using E = typename quantized_matrix<Format>::element;
  quantized_matrix<Format> q(w.rows(), w.cols());
  std::size_t const padded = q.padded_cols(), block = q.block(), blocks = q.blocks_per_row();
  tensor_scale tensor;
  float tensor_amax = 0.0f;
  if constexpr (is_block_format_v<Format>) {
    if constexpr (Format::has_tensor_scale) {
      tensor = tensor_scale::nvfp4(detail::tensor_amax(w));
      q.set_tensor_decode(tensor.decode);
    }
  } else {
    if (options.granularity == element_scale::per_tensor) tensor_amax = detail::tensor_amax(w);
  }
  executor.parallel_for(w.rows(), [&](std::size_t r) {
    std::vector<float> x(padded);
    std::vector<E> codes(padded);
    std::vector<std::uint32_t> bits(options.stochastic ? padded : 0);
    for (std::size_t c = 0; c < bits.size(); ++c) bits[c] = detail::random_word(options.seed, r * padded + c);
    detail::load_row(w, r, x.data(), padded);
    if constexpr (is_block_format_v<Format>) {
      std::vector<E> zeros(Format::has_zero_point ? blocks : 0);
      for (std::size_t b = 0; b < blocks; ++b) {
        std::size_t const at = b * block;
        block_scale<Format> const s =
            options.stochastic
                ? quantize_block<Format>(x.data() + at, block, codes.data() + at, tensor, bits.data() + at,
                                         rounding::stochastic{0})
                : quantize_block<Format>(x.data() + at, block, codes.data() + at, tensor);
        q.scale_row(r)[b] = s.scale;
        if constexpr (Format::has_zero_point) zeros[b] = E::from_bits(s.zero);
      }
      if constexpr (Format::has_zero_point) detail::store_codes(zeros.data(), blocks, q.zero_row(r));
    } else {
      float const amax =
          options.granularity == element_scale::per_tensor ? tensor_amax : detail::finite_amax(x.data(), padded);
      float const scale = detail::element_scale_of<Format>(amax);
      q.scale_row(r)[0] = scale;
      for (std::size_t c = 0; c < padded; ++c) {
        float const v = x[c] / scale;
        codes[c] = options.stochastic ? convert<E>(v, overflow::saturate, rounding::stochastic{bits[c]})
                                      : convert<E>(v, overflow::saturate);
      }
    }
    detail::store_codes(codes.data(), padded, q.code_row(r));
  });
  return q;
}

/// The float values of a quantized matrix, written to out (N x K, any ld).
/// @pre out.rows() == w.rows() and out.cols() == w.cols(); otherwise sparq::invalid_argument and
///      out is untouched.
template <class Format, class Executor = serial_executor>
void dequantize(quantized_matrix_view<Format> const& w, matrix_view<float> const& out, Executor const& executor = {}) {
  if (out.rows() != w.rows() || out.cols() != w.cols()) {
    SPARQ_THROW(invalid_argument, "sparq::dequantize: argument 'out' is " + std::to_string(out.rows()) + " x " +
                                      std::to_string(out.cols()) + ", expected " + std::to_string(w.rows()) + " x " +
                                      std::to_string(w.cols()));
  }
  using E = typename quantized_matrix_view<Format>::element;
  std::size_t const padded = w.padded_cols(), block = w.block(), blocks = w.blocks_per_row();
  tensor_scale tensor;
  tensor.decode = w.tensor_decode();
  executor.parallel_for(w.rows(), [&](std::size_t r) {
    std::vector<E> codes(padded);
    std::vector<float> values(padded);
    detail::load_codes(w.code_row(r), padded, codes.data());
    if constexpr (is_block_format_v<Format>) {
      std::vector<E> zeros(Format::has_zero_point ? blocks : 0);
      if constexpr (Format::has_zero_point) detail::load_codes(w.zero_row(r), blocks, zeros.data());
      for (std::size_t b = 0; b < blocks; ++b) {
        block_scale<Format> s;
        s.scale = w.scale_row(r)[b];
        if constexpr (Format::has_zero_point) s.zero = static_cast<std::uint8_t>(zeros[b].bits());
        dequantize_block<Format>(codes.data() + b * block, block, s, tensor, values.data() + b * block);
      }
    } else {
      float const scale = w.scale_row(r)[0];
      for (std::size_t c = 0; c < padded; ++c) values[c] = static_cast<float>(codes[c]) * scale;
    }
    for (std::size_t c = 0; c < w.cols(); ++c) out(r, c) = values[c];
  });
}

template <class Format, class Executor = serial_executor>
void dequantize(quantized_matrix<Format> const& w, matrix_view<float> const& out, Executor const& executor = {}) {
  dequantize(w.view(), out, executor);
}

SPARQ_NAMESPACE_END
