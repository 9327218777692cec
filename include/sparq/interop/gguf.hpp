// SPDX-License-Identifier: Apache-2.0
// GGUF checkpoints in sparq: the reader (interop/gguf_file.hpp), the writer
// (interop/gguf_writer.hpp), and what sparq does with a tensor
// of a ggml type it reads: sparq::dequantize, sparq::prepack and sparq::gemm take a gguf_tensor
// like any quantized matrix, without a copy (the tensor's bytes are the weights, read as
// layout/ggml_blocks.hpp says).
//
//   auto f = sparq::gguf_file::open("model.gguf");          // mmap where the platform has it
//   std::string arch = f.find("general.architecture")->as_string();
//   sparq::gguf_tensor const& w = f.tensor("blk.0.ffn_up.weight");   // N x K, e.g. Q4_0
//   sparq::gemm(activations, w, out);                       // out = activations * W^T
//   auto fast = sparq::prepack(w);                          // sparq's interleaved layout, lossless
//   sparq::gemm(activations, fast, out);                    // the same results, faster
//
// Types: F32, F16 and BF16 (plain weights); Q8_0, Q4_0, MXFP4 and NVFP4 (block layouts of sparq formats:
// both compute modes, prepack); Q4_1, Q4_K, Q5_K and Q6_K (exact mode, read in place); another
// type gives sparq::unsupported naming it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

#include <sparq/core/config.hpp>
#include <sparq/core/error.hpp>
#include <sparq/core/executor.hpp>
#include <sparq/convert/convert.hpp>
#include <sparq/format/bfloat16.hpp>
#include <sparq/format/float16.hpp>
#include <sparq/interop/gguf_file.hpp>
#include <sparq/interop/gguf_writer.hpp>
#include <sparq/kernel/gemm.hpp>
#include <sparq/kernel/prepack.hpp>
#include <sparq/kernel/source/ggml_blocks.hpp>
#include <sparq/layout/ggml_blocks.hpp>
#include <sparq/layout/matrix_view.hpp>
#include <sparq/quantize/ggml_blocks.hpp>

SPARQ_NAMESPACE_BEGIN
namespace detail {

/// The tensor as a matrix_view of T (F32 / F16 / BF16), its alignment checked.
template <class T>
matrix_view<T const> gguf_plain(gguf_tensor const& t, char const* fn) {
  if (reinterpret_cast<std::uintptr_t>(t.data()) % alignof(T) != 0) {
    SPARQ_THROW(invalid_argument, std::string(fn) + ": tensor '" + t.name() + "' (" + t.type_name() +
                                      ") starts at an address not aligned to " + std::to_string(alignof(T)) +
                                      " bytes (the bytes given to gguf_file::over are misaligned)");
  }
  return matrix_view<T const>(reinterpret_cast<T const*>(t.data()), t.rows(), t.cols());
}

template <class W>
struct gguf_prepackable : std::false_type {};
template <class Block>
struct gguf_prepackable<ggml_matrix_view<Block>> : std::bool_constant<ggml_prepackable_v<Block>> {};

/// f(the tensor as a matrix sparq multiplies with): matrix_view<float / float16 / bfloat16 const>
/// or ggml_matrix_view<ggml::q8_0 / q4_0 / mxfp4 / q4_1 / q4_k / q5_k / q6_k>; sparq::unsupported
/// names other types.
template <class Fn>
decltype(auto) with_gguf_matrix(gguf_tensor const& t, char const* fn, Fn&& f) {
  switch (t.type()) {
    case ggml::type::f32: return f(gguf_plain<float>(t, fn));
    case ggml::type::f16: return f(gguf_plain<float16>(t, fn));
    case ggml::type::bf16: return f(gguf_plain<bfloat16>(t, fn));
    case ggml::type::q8_0: return f(ggml_matrix_view<ggml::q8_0>(t.data(), t.rows(), t.cols()));
    case ggml::type::q4_0: return f(ggml_matrix_view<ggml::q4_0>(t.data(), t.rows(), t.cols()));
    case ggml::type::mxfp4: return f(ggml_matrix_view<ggml::mxfp4>(t.data(), t.rows(), t.cols()));
    case ggml::type::nvfp4: return f(ggml_matrix_view<ggml::nvfp4>(t.data(), t.rows(), t.cols()));
    case ggml::type::q4_1: return f(ggml_matrix_view<ggml::q4_1>(t.data(), t.rows(), t.cols()));
    case ggml::type::q4_k: return f(ggml_matrix_view<ggml::q4_k>(t.data(), t.rows(), t.cols()));
    case ggml::type::q5_k: return f(ggml_matrix_view<ggml::q5_k>(t.data(), t.rows(), t.cols()));
    case ggml::type::q6_k: return f(ggml_matrix_view<ggml::q6_k>(t.data(), t.rows(), t.cols()));
    default: break;
  }
  SPARQ_THROW(unsupported, std::string(fn) + ": tensor '" + t.name() + "' is " + t.type_name() +
                               ", which sparq does not read (F32, F16, BF16, Q8_0, Q4_0, MXFP4, NVFP4, Q4_1, Q4_K, "
                               "Q5_K, Q6_K)");
}

}  // namespace detail

/// A gguf_tensor's values as float, written to out (rows() x cols(), any ld): ggml's values bit
/// for bit. @pre out's shape; otherwise sparq::invalid_argument, out untouched. Another type than
/// those sparq reads: sparq::unsupported.
template <class Executor = serial_executor>
void dequantize(gguf_tensor const& t, matrix_view<float> const& out, Executor const& executor = {}) {
  detail::with_gguf_matrix(t, "sparq::dequantize", [&](auto const& w) {
    using W = std::decay_t<decltype(w)>;
    if constexpr (is_ggml_matrix_view<W>::value) {
      dequantize(w, out, executor);
    } else {
      detail::check_out(out, w.rows(), w.cols(), "sparq::dequantize");
      for (std::size_t r = 0; r < w.rows(); ++r) convert_n(w.row(r), w.cols(), out.row(r));
    }
  });
}

/// A gguf_tensor prepacked for one arch (sparq::prepack): the interleaved layout of the sparq
/// format of the same values (Q8_0: int8_group<32, float16>, Q4_0: int4_group<32, float16>, MXFP4: mxfp4,
/// NVFP4: nvfp4 with a tensor scale of 1).
template <std::size_t Group>
class gguf_prepacked {
 public:
  using variant = std::variant<prepacked<int8_group<32, float16>, Group>, prepacked<int4_group<32, float16>, Group>,
                               prepacked<mxfp4, Group>, prepacked<nvfp4, Group>>;
  explicit gguf_prepacked(variant v) : v_(std::move(v)) {}
  std::size_t rows() const noexcept {
    return std::visit([](auto const& p) { return p.rows(); }, v_);
  }
  std::size_t cols() const noexcept {
    return std::visit([](auto const& p) { return p.cols(); }, v_);
  }
  std::size_t bytes() const noexcept {
    return std::visit([](auto const& p) { return p.bytes(); }, v_);
  }
  /// f(the prepacked matrix).
  template <class Fn>
  decltype(auto) visit(Fn&& f) const {
    return std::visit(std::forward<Fn>(f), v_);
  }

 private:
  variant v_;
};

/// The tensor converted (losslessly, once) into sparq's interleaved layout for Arch's kernels.
/// Q8_0, Q4_0 and MXFP4; other types: sparq::unsupported.
template <class Arch = default_arch>
auto prepack(gguf_tensor const& t) {
  using result = gguf_prepacked<kernel::simd::arch_traits<Arch>::prepack_rows>;
  return detail::with_gguf_matrix(t, "sparq::prepack", [&](auto const& w) -> result {
    using W = std::decay_t<decltype(w)>;
    if constexpr (detail::gguf_prepackable<W>::value) {
      return result(typename result::variant(prepack<Arch>(w)));
    } else {
      SPARQ_THROW(unsupported, "sparq::prepack: tensor '" + t.name() + "' is " + t.type_name() +
                                   ", which no sparq layout holds exactly (prepack takes Q8_0, Q4_0, MXFP4 and "
                                   "NVFP4 tensors; multiply the others as they are)");
    }
  });
}

SPARQ_NAMESPACE_END

SPARQ_ARCH_NAMESPACE_BEGIN

/// sparq::gemm with W a GGUF tensor (its type's matrix, read in place) or a prepacked one.
template <class Arch = auto_arch, class TA, class TC, class Executor = serial_executor>
void gemm(matrix_view<TA> const& a, gguf_tensor const& w, matrix_view<TC> const& c, gemm_options const& o = {},
          Executor const& executor = {}) {
  detail::with_gguf_matrix(w, "sparq::gemm", [&](auto const& m) { gemm<Arch>(a, m, c, o, executor); });
}
template <class Arch = auto_arch, class TC, class Executor = serial_executor>
void gemm(quantized_activations const& a, gguf_tensor const& w, matrix_view<TC> const& c, gemm_options const& o = {},
          Executor const& executor = {}) {
  detail::with_gguf_matrix(w, "sparq::gemm", [&](auto const& m) { gemm<Arch>(a, m, c, o, executor); });
}
template <class Arch = auto_arch, class TA, std::size_t G, class TC, class Executor = serial_executor>
void gemm(matrix_view<TA> const& a, gguf_prepacked<G> const& w, matrix_view<TC> const& c, gemm_options const& o = {},
          Executor const& executor = {}) {
  w.visit([&](auto const& m) { gemm<Arch>(a, m, c, o, executor); });
}
template <class Arch = auto_arch, std::size_t G, class TC, class Executor = serial_executor>
void gemm(quantized_activations const& a, gguf_prepacked<G> const& w, matrix_view<TC> const& c,
          gemm_options const& o = {}, Executor const& executor = {}) {
  w.visit([&](auto const& m) { gemm<Arch>(a, m, c, o, executor); });
}

SPARQ_ARCH_NAMESPACE_END
