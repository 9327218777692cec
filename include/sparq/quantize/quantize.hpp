// SPDX-License-Identifier: Apache-2.0
// Matrix quantization: sparq::quantize<Format>(view, options) -> quantized_matrix<Format>, and
// sparq::dequantize(w, out). Rows are independent tasks for the caller's executor; results do
// not depend on the executor (stochastic bits are a function of the seed and the position).
#pragma once

#include <algorithm>
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
#include <sparq/convert/convert.hpp>
#include <sparq/convert/pack.hpp>
#include <sparq/layout/matrix_view.hpp>
#include <sparq/layout/packing.hpp>
#include <sparq/layout/quantized_matrix.hpp>
#include <sparq/quantize/block.hpp>
#include <sparq/quantize/block_bulk.hpp>
#include <sparq/quantize/types.hpp>

SPARQ_ARCH_NAMESPACE_BEGIN

namespace arch_detail {

/// Rows per executor task: enough work to amortize a task, small enough to balance two cores.
inline constexpr std::size_t rows_per_task = 8;

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

template <class T>
float tensor_amax(matrix_view<T const> const& w) {
  std::vector<float> row(std::is_same<T, float>::value ? 0 : w.cols());
  float amax = 0.0f;
  for (std::size_t r = 0; r < w.rows(); ++r) {
    float const* x = nullptr;
    if constexpr (std::is_same<T, float>::value) {
      x = w.row(r);
    } else {
      load_row(w, r, row.data(), w.cols());
      x = row.data();
    }
    float const a = finite_amax(x, w.cols());
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
    pack_n(codes, n, out);
  } else {
    for (std::size_t i = 0; i < n; ++i) {
      auto const b = codes[i].bits();
      std::memcpy(out + i * sizeof(b), &b, sizeof(b));
    }
  }
}

template <class E>
void load_codes(std::uint8_t const* in, std::size_t n, E* codes) {
  if constexpr (bits_of_v<E> == 8) {
    static_assert(sizeof(E) == 1, "8-bit codes are bytes");
    if (n != 0) std::memcpy(static_cast<void*>(codes), in, n);
  } else if constexpr (bits_of_v<E> < 8) {
    unpack_n(in, n, codes);
  } else {
    for (std::size_t i = 0; i < n; ++i) {
      typename E::storage_type b;
      std::memcpy(&b, in + i * sizeof(b), sizeof(b));
      codes[i] = E::from_bits(b);
    }
  }
}

}  // namespace arch_detail

namespace arch_detail {

/// The random words of row r (stochastic rounding), a function of the seed and the position only.
inline void row_random_words(quantize_options const& options, std::size_t r, std::vector<std::uint32_t>& bits) {
  for (std::size_t c = 0; c < bits.size(); ++c) bits[c] = random_word(options.seed, r * bits.size() + c);
}

/// Rows [r0, r1) of a block format: block scales by the format's rule, then the elements.
template <class Format, bool Bulk, class T>
void quantize_block_rows(matrix_view<T const> const& w, std::size_t r0, std::size_t r1, quantize_options const& options,
                         tensor_scale const& tensor, quantized_matrix<Format>& q) {
  using E = typename Format::element;
  std::size_t const padded = q.padded_cols(), block = q.block(), blocks = q.blocks_per_row();
  std::vector<float> x(padded);
  std::vector<E> codes(padded), zeros(Format::has_zero_point ? blocks : 0);
  std::vector<std::uint32_t> bits(options.stochastic ? padded : 0);
  std::vector<block_scale<Format>> scales(blocks);
  row_scratch<Format> scratch;
  for (std::size_t r = r0; r < r1; ++r) {
    row_random_words(options, r, bits);
    load_row(w, r, x.data(), padded);
    if constexpr (Bulk) {
      if (options.stochastic) {
        quantize_row_bulk<Format, round_mode::stochastic>(x.data(), blocks, codes.data(), scales.data(), tensor,
                                                          bits.data(), scratch);
      } else {
        quantize_row_bulk<Format, round_mode::nearest_even>(x.data(), blocks, codes.data(), scales.data(), tensor,
                                                            nullptr, scratch);
      }
    } else {
      for (std::size_t b = 0; b < blocks; ++b) {
        std::size_t const at = b * block;
        scales[b] = options.stochastic ? quantize_block<Format>(x.data() + at, block, codes.data() + at, tensor,
                                                                bits.data() + at, rounding::stochastic{0})
                                       : quantize_block<Format>(x.data() + at, block, codes.data() + at, tensor);
      }
    }
    for (std::size_t b = 0; b < blocks; ++b) q.scale_row(r)[b] = scales[b].scale;
    if constexpr (Format::has_zero_point) {
      for (std::size_t b = 0; b < blocks; ++b) zeros[b] = E::from_bits(scales[b].zero);
      store_codes(zeros.data(), blocks, q.zero_row(r));
    }
    store_codes(codes.data(), padded, q.code_row(r));
  }
}

/// Rows [r0, r1) of an element format: one float scale per row (or the tensor's), then the codes.
template <class Format, bool Bulk, class T>
void quantize_element_rows(matrix_view<T const> const& w, std::size_t r0, std::size_t r1,
                           quantize_options const& options, float whole_amax, quantized_matrix<Format>& q) {
  std::size_t const padded = q.padded_cols();
  std::vector<float> x(padded);
  std::vector<Format> codes(padded);
  std::vector<std::uint32_t> bits(options.stochastic ? padded : 0);
  if (q.blocks_per_row() == 0) return;  // K = 0: no scale and no codes to write
  for (std::size_t r = r0; r < r1; ++r) {
    row_random_words(options, r, bits);
    load_row(w, r, x.data(), padded);
    float const amax = options.granularity == element_scale::per_tensor ? whole_amax : finite_amax(x.data(), padded);
    float const scale = element_scale_of<Format>(amax);
    q.scale_row(r)[0] = scale;
    if constexpr (Bulk) {
      for (std::size_t c = 0; c < padded; ++c) x[c] = x[c] / scale;
      if (options.stochastic) {
        convert_n(x.data(), padded, codes.data(), overflow::saturate, rounding::stochastic_stream{bits.data(), padded});
      } else {
        convert_n(x.data(), padded, codes.data(), overflow::saturate);
      }
    } else {
      for (std::size_t c = 0; c < padded; ++c) {
        float const v = x[c] / scale;
        codes[c] = options.stochastic ? convert<Format>(v, overflow::saturate, rounding::stochastic{bits[c]})
                                      : convert<Format>(v, overflow::saturate);
      }
    }
    store_codes(codes.data(), padded, q.code_row(r));
  }
}

template <class Format, bool Bulk, class T, class Executor>
quantized_matrix<Format> quantize_impl(matrix_view<T const> const& w, quantize_options const& options,
                                       Executor const& executor) {
  static_assert(is_block_format_v<Format> || is_format_v<Format>,
                "sparq::quantize: Format must be a block format (sparq::mxfp4, ...) or an element format");
  static_assert(std::is_same<T, float>::value || std::is_same<T, bfloat16>::value || std::is_same<T, float16>::value,
                "sparq::quantize: the input must be float, bfloat16 or float16");
  quantized_matrix<Format> q(w.rows(), w.cols());
  tensor_scale tensor;
  float whole_amax = 0.0f;
  if constexpr (is_block_format_v<Format>) {
    if constexpr (Format::has_tensor_scale) {
      tensor = tensor_scale::nvfp4(tensor_amax(w));
      q.set_tensor_decode(tensor.decode);
    }
  } else {
    if (options.granularity == element_scale::per_tensor) whole_amax = tensor_amax(w);
  }
  // Tasks of up to rows_per_task rows share their scratch; the split does not change the result.
  std::size_t const tasks = (w.rows() + rows_per_task - 1) / rows_per_task;
  executor.parallel_for(tasks, [&](std::size_t task) {
    std::size_t const r0 = task * rows_per_task;
    std::size_t const r1 = r0 + rows_per_task < w.rows() ? r0 + rows_per_task : w.rows();
    if constexpr (is_block_format_v<Format>) {
      quantize_block_rows<Format, Bulk>(w, r0, r1, options, tensor, q);
    } else {
      quantize_element_rows<Format, Bulk>(w, r0, r1, options, whole_amax, q);
    }
  });
  return q;
}
}  // namespace arch_detail

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
quantized_matrix<Format> quantize(matrix_view<T> const& w, quantize_options const& options = {},
                                  Executor const& executor = {}) {
  detail::check_view(w, "sparq::quantize", "w");
  return arch_detail::quantize_impl<Format, true>(matrix_view<std::remove_const_t<T> const>(w), options, executor);
}

/// The same result computed element by element with the scalar codec: the semantics quantize()
/// reproduces bit for bit (tests compare the two).
template <class Format, class T, class Executor = serial_executor>
quantized_matrix<Format> quantize_reference(matrix_view<T> const& w, quantize_options const& options = {},
                                            Executor const& executor = {}) {
  detail::check_view(w, "sparq::quantize_reference", "w");
  return arch_detail::quantize_impl<Format, false>(matrix_view<std::remove_const_t<T> const>(w), options, executor);
}

namespace arch_detail {
/// Rows [r0, r1) of a block format into out. The bulk path writes straight into the output row
/// when there is no padding to drop.
template <class Format, bool Bulk>
void dequantize_block_rows(quantized_matrix_view<Format> const& w, std::size_t r0, std::size_t r1,
                           tensor_scale const& tensor, matrix_view<float> const& out) {
  using E = typename Format::element;
  std::size_t const padded = w.padded_cols(), block = w.block(), blocks = w.blocks_per_row();
  std::vector<E> codes(padded), zeros(Format::has_zero_point ? blocks : 0);
  std::vector<float> values(padded);
  std::vector<block_scale<Format>> scales(blocks);
  for (std::size_t r = r0; r < r1; ++r) {
    load_codes(w.code_row(r), padded, codes.data());
    if constexpr (Format::has_zero_point) load_codes(w.zero_row(r), blocks, zeros.data());
    for (std::size_t b = 0; b < blocks; ++b) {
      scales[b].scale = w.scale_row(r)[b];
      if constexpr (Format::has_zero_point) scales[b].zero = static_cast<std::uint8_t>(zeros[b].bits());
    }
    float* const dst = out.row(r);
    float* const target = Bulk && padded == w.cols() ? dst : values.data();
    if constexpr (Bulk) {
      dequantize_row_bulk<Format>(codes.data(), blocks, scales.data(), tensor, target);
    } else {
      for (std::size_t b = 0; b < blocks; ++b) {
        dequantize_block<Format>(codes.data() + b * block, block, scales[b], tensor, values.data() + b * block);
      }
    }
    if (target != dst) std::copy(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(w.cols()), dst);
  }
}

/// Rows [r0, r1) of an element format into out: codes times the row's scale.
template <class Format, bool Bulk>
void dequantize_element_rows(quantized_matrix_view<Format> const& w, std::size_t r0, std::size_t r1,
                             matrix_view<float> const& out) {
  std::size_t const padded = w.padded_cols();
  std::vector<Format> codes(padded);
  std::vector<float> values(padded);
  for (std::size_t r = r0; r < r1; ++r) {
    load_codes(w.code_row(r), padded, codes.data());
    float const scale = w.scale_row(r)[0];
    float* const dst = out.row(r);
    float* const target = Bulk && padded == w.cols() ? dst : values.data();
    if constexpr (Bulk) {
      convert_n(codes.data(), padded, target);
      for (std::size_t c = 0; c < padded; ++c) target[c] *= scale;
    } else {
      for (std::size_t c = 0; c < padded; ++c) values[c] = static_cast<float>(codes[c]) * scale;
    }
    if (target != dst) std::copy(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(w.cols()), dst);
  }
}

template <class Format, bool Bulk, class Executor>
void dequantize_impl(quantized_matrix_view<Format> const& w, matrix_view<float> const& out, Executor const& executor) {
  detail::check_out(out, w.rows(), w.cols(), "sparq::dequantize");
  tensor_scale tensor;
  tensor.decode = w.tensor_decode();
  std::size_t const tasks = (w.rows() + rows_per_task - 1) / rows_per_task;
  executor.parallel_for(tasks, [&](std::size_t task) {
    std::size_t const r0 = task * rows_per_task;
    std::size_t const r1 = r0 + rows_per_task < w.rows() ? r0 + rows_per_task : w.rows();
    if constexpr (is_block_format_v<Format>) {
      dequantize_block_rows<Format, Bulk>(w, r0, r1, tensor, out);
    } else {
      dequantize_element_rows<Format, Bulk>(w, r0, r1, out);
    }
  });
}
}  // namespace arch_detail

/// The float values of a quantized matrix, written to out (N x K, any ld).
/// @pre out.rows() == w.rows() and out.cols() == w.cols(); otherwise sparq::invalid_argument and
///      out is untouched.
template <class Format, class Executor = serial_executor>
void dequantize(quantized_matrix_view<Format> const& w, matrix_view<float> const& out, Executor const& executor = {}) {
  arch_detail::dequantize_impl<Format, true>(w, out, executor);
}

/// dequantize() computed with the scalar codec (the semantics).
template <class Format, class Executor = serial_executor>
void dequantize_reference(quantized_matrix_view<Format> const& w, matrix_view<float> const& out,
                          Executor const& executor = {}) {
  arch_detail::dequantize_impl<Format, false>(w, out, executor);
}



template <class Format, class Executor = serial_executor>
void dequantize(quantized_matrix<Format> const& w, matrix_view<float> const& out, Executor const& executor = {}) {
  dequantize(w.view(), out, executor);
}

SPARQ_ARCH_NAMESPACE_END
