// SPDX-License-Identifier: Apache-2.0
// Quantized weights as published safetensors checkpoints store them, read in place as sparq
// matrices (the codes are never copied; small scale arrays are) and written back in the same
// conventions (docs/formats.md section 8 has them bit for bit):
//
//   gpt-oss MXFP4       {p}_blocks U8 [..., N, K/32, 16], {p}_scales U8 [..., N, K/32] (E8M0);
//                       the original release names them {p}.blocks / {p}.scales
//                       -> quantized_matrix_view<mxfp4>, one per leading index (expert)
//   NVFP4, ModelOpt     {p}.weight U8 [N, K/2], {p}.weight_scale F8_E4M3 [N, K/16],
//                       {p}.weight_scale_2 F32 (value = fp4 * (scale * scale_2))
//   NVFP4, compressed-  {p}.weight_packed U8 [N, K/2], {p}.weight_scale F8_E4M3 [N, K/16],
//   tensors             {p}.weight_global_scale F32 (value = fp4 * (scale / global_scale))
//                       -> nvfp4_checkpoint: a quantized_matrix_view<nvfp4> and the convention
//   FP8 per tensor /    {p}.weight F8_E4M3 [N, K], {p}.weight_scale F32 [] or [1] / [N] or [N, 1]
//   per channel
//   FP8 128 x 128       {p}.weight F8_E4M3 [N, K], {p}.weight_scale_inv F32 [ceil(N/128),
//   blocks (DeepSeek-V3, ceil(K/128)] (it multiplies, despite the name)
//   Qwen3-FP8)          -> fp8_checkpoint: quantized_matrix_view<float8_e4m3fn> or fp8_block128_view
//
//   sparq::safetensors_file f("model-00001-of-00002.safetensors");
//   auto up = sparq::read_nvfp4(f, "model.layers.0.mlp.up_proj");
//   sparq::gemm(x, up, y);                                  // or sparq::gemm(x, up.view, y)
//   auto e3 = sparq::read_mxfp4_blocks(f, "model.layers.0.mlp.experts.down_proj", 3);
//   auto w = sparq::read_fp8(f, "model.layers.0.self_attn.q_proj");
//
// The file must outlive what is read from it (views into its mapping). A missing tensor, a dtype
// or shape that does not fit the convention gives sparq::file_error naming the tensor and what was
// expected; bad scale values (NaN, negative) give sparq::invalid_argument from the view.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include <sparq/core/config.hpp>
#include <sparq/core/error.hpp>
#include <sparq/core/executor.hpp>
#include <sparq/format/block.hpp>
#include <sparq/format/float8_e4m3fn.hpp>
#include <sparq/interop/safetensors.hpp>
#include <sparq/interop/safetensors_writer.hpp>
#include <sparq/kernel/gemm.hpp>
#include <sparq/kernel/source/addressing.hpp>
#include <sparq/kernel/source/layouts.hpp>
#include <sparq/layout/matrix_view.hpp>
#include <sparq/layout/quantized_matrix.hpp>
#include <sparq/layout/tiled_matrix.hpp>
#include <sparq/quantize/quantize.hpp>
#include <sparq/quantize/tiled.hpp>

SPARQ_NAMESPACE_BEGIN
namespace detail {

/// "a.b" and "a.b." both name module a.b: the prefix with one trailing dot.
inline std::string module_prefix(std::string p) {
  if (!p.empty() && p.back() != '.') p += '.';
  return p;
}

inline std::string shape_text(std::vector<std::size_t> const& s) {
  std::string t = "[";
  for (std::size_t i = 0; i < s.size(); ++i) t += (i ? ", " : "") + std::to_string(s[i]);
  return t + "]";
}

/// Tensor `name` of f, which must have `dtype` and `shape`; file_error names both otherwise.
inline safetensors_file::tensor_info const& expect_tensor(safetensors_file const& f, std::string const& name,
                                                          char const* dtype,
                                                          std::vector<std::size_t> const& shape,
                                                          char const* fn) {
  safetensors_file::tensor_info const& t = f.info(name);
  if (t.dtype != dtype || t.shape != shape) {
    SPARQ_THROW(file_error, std::string(fn) + ": tensor '" + name + "' is " + t.dtype + " " +
                                shape_text(t.shape) + ", expected " + dtype + " " + shape_text(shape));
  }
  return t;
}

/// An F32 tensor's values, copied (scale arrays are small and need not be aligned in the file).
inline std::vector<float> f32_values(safetensors_file const& f, std::string const& name, char const* fn) {
  safetensors_file::tensor_info const& t = f.info(name);
  if (t.dtype != "F32") {
    SPARQ_THROW(file_error, std::string(fn) + ": tensor '" + name + "' is " + t.dtype + ", expected F32");
  }
  std::vector<float> v(t.bytes / 4);
  if (!v.empty()) std::memcpy(v.data(), f.bytes(name).data(), t.bytes);
  return v;
}

/// The one value of an F32 scale stored as [], [1] or [1, 1].
inline float f32_scalar(safetensors_file const& f, std::string const& name, char const* fn) {
  std::vector<float> const v = f32_values(f, name, fn);
  if (v.size() != 1) {
    SPARQ_THROW(file_error, std::string(fn) + ": tensor '" + name + "' holds " + std::to_string(v.size()) +
                                " values, expected one (a per-tensor scale)");
  }
  return v[0];
}

inline std::vector<std::uint8_t> copy_bytes(void const* p, std::size_t n) {
  auto const* b = static_cast<std::uint8_t const*>(p);
  return std::vector<std::uint8_t>(b, b + n);
}

}  // namespace detail

// ---------------------------------------------------------------------------------------------
// gpt-oss MXFP4

/// Names of the two tensors of a gpt-oss MXFP4 weight: Hugging Face's {p}_blocks / {p}_scales, or
/// the original release's {p}.blocks / {p}.scales.
enum class mxfp4_names { hugging_face, original };

namespace detail {
struct mxfp4_pair {
  safetensors_file::tensor_info const* blocks;
  safetensors_file::tensor_info const* scales;
  std::size_t count, rows, groups;
};
inline mxfp4_pair find_mxfp4(safetensors_file const& f, std::string const& prefix, char const* fn) {
  std::string const hf = prefix + "_blocks", orig = prefix + ".blocks";
  bool const is_hf = f.contains(hf);
  if (!is_hf && !f.contains(orig)) {
    SPARQ_THROW(file_error, std::string(fn) + ": the file has neither '" + hf + "' nor '" + orig + "'");
  }
  auto const& b = f.info(is_hf ? hf : orig);
  std::string const scales = prefix + (is_hf ? "_scales" : ".scales");
  if (b.dtype != "U8" || b.shape.size() < 3 || b.shape.back() != 16) {
    SPARQ_THROW(file_error, std::string(fn) + ": tensor '" + b.name + "' is " + b.dtype + " " +
                                shape_text(b.shape) + ", expected U8 [..., N, K/32, 16]");
  }
  std::vector<std::size_t> const want(b.shape.begin(), b.shape.end() - 1);
  auto const& s = expect_tensor(f, scales, "U8", want, fn);
  std::size_t count = 1;
  for (std::size_t i = 0; i + 3 < b.shape.size(); ++i) count *= b.shape[i];
  return mxfp4_pair{&b, &s, count, b.shape[b.shape.size() - 3], b.shape[b.shape.size() - 2]};
}
}  // namespace detail

/// How many matrices a gpt-oss MXFP4 weight holds (the product of its leading dims: experts).
inline std::size_t mxfp4_blocks_count(safetensors_file const& f, std::string const& prefix) {
  return detail::find_mxfp4(f, prefix, "sparq::mxfp4_blocks_count").count;
}

/// Matrix `index` (expert) of a gpt-oss MXFP4 weight as an N x K view (K = 32 x the block count),
/// in place: the codes are sparq's mxfp4 packing (low nibble first) and the scales E8M0 bytes.
/// @throws sparq::invalid_argument for index >= mxfp4_blocks_count or a NaN scale (0xFF).
inline quantized_matrix_view<mxfp4> read_mxfp4_blocks(safetensors_file const& f, std::string const& prefix,
                                                      std::size_t index = 0) {
  char const* fn = "sparq::read_mxfp4_blocks";
  detail::mxfp4_pair const p = detail::find_mxfp4(f, prefix, fn);
  if (index >= p.count) {
    SPARQ_THROW(invalid_argument, std::string(fn) + ": argument 'index' is " + std::to_string(index) +
                                      ", expected below " + std::to_string(p.count) + " (the matrices in '" +
                                      p.blocks->name + "')");
  }
  std::size_t const per = p.rows * p.groups;
  return quantized_matrix_view<mxfp4>(
      f.bytes(p.blocks->name).data() + index * per * 16,
      reinterpret_cast<float8_e8m0fnu const*>(f.bytes(p.scales->name).data() + index * per), nullptr, p.rows,
      p.groups * 32);
}

/// Writes matrices of one shape (experts) as a gpt-oss MXFP4 weight: [E, N, K/32, 16] and
/// [E, N, K/32] (one matrix: [N, K/32, 16] and [N, K/32]). @pre K a multiple of 32.
inline void add_mxfp4_blocks(safetensors_writer& w, std::string const& prefix,
                             std::vector<quantized_matrix_view<mxfp4>> const& experts,
                             mxfp4_names names = mxfp4_names::hugging_face) {
  char const* fn = "sparq::add_mxfp4_blocks";
  if (experts.empty()) SPARQ_THROW(invalid_argument, std::string(fn) + ": argument 'experts' is empty");
  std::size_t const n = experts[0].rows(), k = experts[0].cols();
  if (k % 32 != 0) {
    SPARQ_THROW(invalid_argument,
                std::string(fn) + ": K is " + std::to_string(k) + ", expected a multiple of 32");
  }
  std::vector<std::uint8_t> codes, scales;
  for (auto const& e : experts) {
    if (e.rows() != n || e.cols() != k) {
      SPARQ_THROW(invalid_argument,
                  std::string(fn) + ": argument 'experts' holds matrices of different shapes");
    }
    codes.insert(codes.end(), e.codes(), e.codes() + n * k / 2);
    auto const* s = reinterpret_cast<std::uint8_t const*>(e.scales());
    scales.insert(scales.end(), s, s + n * (k / 32));
  }
  std::vector<std::size_t> shape = {n, k / 32};
  if (experts.size() > 1) shape.insert(shape.begin(), experts.size());
  bool const hf = names == mxfp4_names::hugging_face;
  w.add(prefix + (hf ? "_scales" : ".scales"), "U8", shape, scales.data(), scales.size());
  shape.push_back(16);
  w.add(prefix + (hf ? "_blocks" : ".blocks"), "U8", shape, codes.data(), codes.size());
}
inline void add_mxfp4_blocks(safetensors_writer& w, std::string const& prefix,
                             quantized_matrix_view<mxfp4> const& q,
                             mxfp4_names names = mxfp4_names::hugging_face) {
  add_mxfp4_blocks(w, prefix, std::vector<quantized_matrix_view<mxfp4>>{q}, names);
}

// ---------------------------------------------------------------------------------------------
// NVFP4

/// The two published NVFP4 conventions: NVIDIA ModelOpt (weight_scale_2 multiplies) and
/// compressed-tensors / LLM Compressor (weight_global_scale divides: it is the encode scale
/// 448 x 6 / amax).
enum class nvfp4_convention { modelopt, compressed_tensors };

/// An NVFP4 weight read from a checkpoint. `view` holds the codes and E4M3 scales in place with
/// the per-tensor decode scale folded in as sparq's kernels use it (ModelOpt: scale_2;
/// compressed-tensors: 1 / global_scale, so each block's scale may differ from the convention's
/// scale / global_scale by one float rounding). `global_scale` is the value as stored.
struct nvfp4_checkpoint {
  quantized_matrix_view<nvfp4> view;
  nvfp4_convention convention = nvfp4_convention::modelopt;
  float global_scale = 1.0f;
  std::size_t rows() const noexcept { return view.rows(); }
  std::size_t cols() const noexcept { return view.cols(); }
};

/// The NVFP4 weight of module `prefix` ("model.layers.0.mlp.up_proj"), either convention (found by
/// its tensor names). @pre K (2 x the packed columns) a multiple of 16.
inline nvfp4_checkpoint read_nvfp4(safetensors_file const& f, std::string const& prefix) {
  char const* fn = "sparq::read_nvfp4";
  std::string const p = detail::module_prefix(prefix);
  bool const ct = f.contains(p + "weight_packed");
  if (!ct && !(f.contains(p + "weight") && f.contains(p + "weight_scale_2"))) {
    SPARQ_THROW(file_error, std::string(fn) + ": the file has neither '" + p +
                                "weight_packed' (compressed-tensors) nor '" + p + "weight' with '" + p +
                                "weight_scale_2' (ModelOpt)");
  }
  auto const& codes = f.info(p + (ct ? "weight_packed" : "weight"));
  if (codes.dtype != "U8" || codes.shape.size() != 2 || (codes.shape[1] * 2) % 16 != 0) {
    SPARQ_THROW(file_error, std::string(fn) + ": tensor '" + codes.name + "' is " + codes.dtype + " " +
                                detail::shape_text(codes.shape) +
                                ", expected U8 [N, K/2] with K a multiple of 16");
  }
  std::size_t const n = codes.shape[0], k = codes.shape[1] * 2;
  auto const& scales = detail::expect_tensor(f, p + "weight_scale", "F8_E4M3", {n, k / 16}, fn);
  nvfp4_checkpoint c;
  c.convention = ct ? nvfp4_convention::compressed_tensors : nvfp4_convention::modelopt;
  c.global_scale = detail::f32_scalar(f, p + (ct ? "weight_global_scale" : "weight_scale_2"), fn);
  float const decode = ct ? 1.0f / c.global_scale : c.global_scale;
  c.view = quantized_matrix_view<nvfp4>(f.bytes(codes.name).data(),
                                        reinterpret_cast<float8_e4m3fn const*>(f.bytes(scales.name).data()),
                                        nullptr, n, k, decode);
  return c;
}

/// The convention's values: fp4 * f32(scale * scale_2) (ModelOpt) or fp4 * f32(scale /
/// global_scale) (compressed-tensors), as their own dequantizers compute them.
template <class Executor = serial_executor>
void dequantize(nvfp4_checkpoint const& c, matrix_view<float> const& out, Executor const& executor = {}) {
  detail::check_out(out, c.rows(), c.cols(), "sparq::dequantize");
  quantized_matrix_view<nvfp4> const& v = c.view;
  executor.parallel_for(v.rows(), [&](std::size_t r) {
    std::uint8_t const* codes = v.code_row(r);
    for (std::size_t b = 0; b < v.blocks_per_row(); ++b) {
      float const s = static_cast<float>(v.scale_row(r)[b]);
      float const block =
          c.convention == nvfp4_convention::modelopt ? s * c.global_scale : s / c.global_scale;
      for (std::size_t i = b * 16; i < b * 16 + 16; ++i) {
        out(r, i) = static_cast<float>(detail::unpack_code<float4_e2m1fn>(codes, i)) * block;
      }
    }
  });
}

/// Writes an NVFP4 matrix in a convention: ModelOpt stores scale_2 = the tensor decode scale,
/// compressed-tensors global_scale = 1 / it. @pre K a multiple of 16.
inline void add_nvfp4(safetensors_writer& w, std::string const& prefix, quantized_matrix_view<nvfp4> const& q,
                      nvfp4_convention convention, float global_scale) {
  char const* fn = "sparq::add_nvfp4";
  if (q.cols() % 16 != 0) {
    SPARQ_THROW(invalid_argument,
                std::string(fn) + ": K is " + std::to_string(q.cols()) + ", expected a multiple of 16");
  }
  std::string const p = detail::module_prefix(prefix);
  bool const ct = convention == nvfp4_convention::compressed_tensors;
  std::size_t const n = q.rows(), k = q.cols();
  w.add(p + (ct ? "weight_packed" : "weight"), "U8", {n, k / 2}, q.codes(), n * k / 2);
  w.add(p + "weight_scale", "F8_E4M3", {n, k / 16}, reinterpret_cast<std::uint8_t const*>(q.scales()),
        n * k / 16);
  w.add(p + (ct ? "weight_global_scale" : "weight_scale_2"), "F32",
        ct ? std::vector<std::size_t>{1} : std::vector<std::size_t>{},
        reinterpret_cast<std::uint8_t const*>(&global_scale), 4);
}
/// The same with the stored scale derived from q's tensor decode scale.
inline void add_nvfp4(safetensors_writer& w, std::string const& prefix, quantized_matrix_view<nvfp4> const& q,
                      nvfp4_convention convention = nvfp4_convention::modelopt) {
  add_nvfp4(w, prefix, q, convention,
            convention == nvfp4_convention::modelopt ? q.tensor_decode() : 1.0f / q.tensor_decode());
}
/// A weight read from a checkpoint, written back in its own convention and stored scale.
inline void add_nvfp4(safetensors_writer& w, std::string const& prefix, nvfp4_checkpoint const& c) {
  add_nvfp4(w, prefix, c.view, c.convention, c.global_scale);
}

// ---------------------------------------------------------------------------------------------
// FP8 E4M3 weights

/// How an FP8 checkpoint scales its weight.
enum class fp8_scaling { per_tensor, per_channel, block128 };

/// An FP8 E4M3 weight read from a checkpoint: the codes in place, the float scales copied.
class fp8_checkpoint {
 public:
  /// @throws sparq::invalid_argument for a scale that is not finite and non-negative.
  fp8_checkpoint(std::uint8_t const* codes, std::size_t rows, std::size_t cols, fp8_scaling s,
                 std::vector<float> scales)
      : codes_(codes), rows_(rows), cols_(cols), scaling_(s), scales_(std::move(scales)) {
    if (s == fp8_scaling::block128) {
      fp8_block128_view(codes_, scales_.data(), rows, cols);  // checks the scales once
    } else {
      quantized_matrix_view<float8_e4m3fn>(codes_, scales_.data(), nullptr, rows, cols);
    }
  }

  std::size_t rows() const noexcept { return rows_; }
  std::size_t cols() const noexcept { return cols_; }
  fp8_scaling scaling() const noexcept { return scaling_; }
  /// Per tensor and per channel: codes with one float scale per row (the per-tensor one repeated).
  /// Valid while this object and the file live.
  quantized_matrix_view<float8_e4m3fn> rowed() const {
    if (scaling_ == fp8_scaling::block128) {
      SPARQ_THROW(invalid_argument,
                  "sparq::fp8_checkpoint::rowed: the weight has 128 x 128 block scales (tiled())");
    }
    return quantized_matrix_view<float8_e4m3fn>(trusted_scales, codes_, scales_.data(), nullptr, rows_,
                                                cols_);
  }
  /// 128 x 128 blocks.
  fp8_block128_view tiled() const {
    if (scaling_ != fp8_scaling::block128) {
      SPARQ_THROW(invalid_argument, "sparq::fp8_checkpoint::tiled: the weight has per-row scales (rowed())");
    }
    return fp8_block128_view(trusted_scales, codes_, scales_.data(), rows_, cols_);
  }
  /// f(the view sparq multiplies with).
  template <class Fn>
  decltype(auto) visit(Fn&& f) const {
    if (scaling_ == fp8_scaling::block128) return f(tiled());
    return f(rowed());
  }

 private:
  std::uint8_t const* codes_;
  std::size_t rows_, cols_;
  fp8_scaling scaling_;
  std::vector<float> scales_;  // the views are made from it on each call: copies stay valid
};

/// The FP8 weight of module `prefix`: {p}.weight F8_E4M3 [N, K] with {p}.weight_scale_inv (128 x
/// 128 blocks) or {p}.weight_scale ([] / [1]: per tensor; [N] / [N, 1]: per channel).
inline fp8_checkpoint read_fp8(safetensors_file const& f, std::string const& prefix) {
  char const* fn = "sparq::read_fp8";
  std::string const p = detail::module_prefix(prefix);
  auto const& w = f.info(p + "weight");
  if (w.dtype != "F8_E4M3" || w.shape.size() != 2) {
    SPARQ_THROW(file_error, std::string(fn) + ": tensor '" + w.name + "' is " + w.dtype + " " +
                                detail::shape_text(w.shape) + ", expected F8_E4M3 [N, K]");
  }
  std::size_t const n = w.shape[0], k = w.shape[1];
  std::uint8_t const* codes = f.bytes(w.name).data();
  if (f.contains(p + "weight_scale_inv")) {
    detail::expect_tensor(f, p + "weight_scale_inv", "F32", {(n + 127) / 128, (k + 127) / 128}, fn);
    return fp8_checkpoint(codes, n, k, fp8_scaling::block128,
                          detail::f32_values(f, p + "weight_scale_inv", fn));
  }
  auto const& s = f.info(p + "weight_scale");
  std::vector<float> v = detail::f32_values(f, s.name, fn);
  bool const channel = s.shape == std::vector<std::size_t>{n} || s.shape == std::vector<std::size_t>{n, 1};
  bool const tensor = s.shape.empty() || s.shape == std::vector<std::size_t>{1};
  if (!channel && !tensor) {
    SPARQ_THROW(file_error, std::string(fn) + ": tensor '" + s.name + "' is " + detail::shape_text(s.shape) +
                                ", expected [] or [1] (per tensor) or [" + std::to_string(n) + "] or [" +
                                std::to_string(n) + ", 1] (per channel)");
  }
  if (tensor) v.assign(n, v[0]);
  return fp8_checkpoint(codes, n, k, tensor ? fp8_scaling::per_tensor : fp8_scaling::per_channel,
                        std::move(v));
}

/// code * scale, as the checkpoints' dequantizers compute it (one float product).
template <class Executor = serial_executor>
void dequantize(fp8_checkpoint const& c, matrix_view<float> const& out, Executor const& executor = {}) {
  c.visit([&](auto const& v) { dequantize(v, out, executor); });
}

/// Writes FP8 codes with per-row scales: per_tensor ({p}.weight_scale [], every row's scale equal)
/// or per_channel ({p}.weight_scale [N, 1]).
inline void add_fp8(safetensors_writer& w, std::string const& prefix,
                    quantized_matrix_view<float8_e4m3fn> const& q, fp8_scaling scaling) {
  char const* fn = "sparq::add_fp8";
  std::string const p = detail::module_prefix(prefix);
  std::size_t const n = q.rows(), k = q.cols();
  std::vector<float> s(q.scales(), q.scales() + n);
  if (scaling == fp8_scaling::block128) {
    SPARQ_THROW(invalid_argument, std::string(fn) +
                                      ": argument 'scaling' is block128 for per-row scales (pass the "
                                      "fp8_block128 matrix)");
  }
  if (scaling == fp8_scaling::per_tensor) {
    for (float x : s) {
      if (!(x == s[0])) {
        SPARQ_THROW(invalid_argument, std::string(fn) +
                                          ": argument 'scaling' is per_tensor but the rows' scales differ "
                                          "(quantize with element_scale::per_tensor)");
      }
    }
    if (n != 0) s.resize(1);
  }
  w.add(p + "weight", "F8_E4M3", {n, k}, q.codes(), n * k);
  w.add(p + "weight_scale", "F32",
        scaling == fp8_scaling::per_tensor ? std::vector<std::size_t>{} : std::vector<std::size_t>{n, 1},
        reinterpret_cast<std::uint8_t const*>(s.data()), s.size() * 4);
}
/// Writes 128 x 128 blocks: {p}.weight and {p}.weight_scale_inv.
inline void add_fp8(safetensors_writer& w, std::string const& prefix, fp8_block128_view const& q) {
  std::string const p = detail::module_prefix(prefix);
  w.add(p + "weight", "F8_E4M3", {q.rows(), q.cols()}, q.codes(), q.rows() * q.cols());
  w.add(p + "weight_scale_inv", "F32", {q.row_tiles(), q.col_tiles()},
        reinterpret_cast<std::uint8_t const*>(q.scales()), q.scale_count() * 4);
}
inline void add_fp8(safetensors_writer& w, std::string const& prefix, fp8_checkpoint const& c) {
  if (c.scaling() == fp8_scaling::block128) {
    add_fp8(w, prefix, c.tiled());
  } else {
    add_fp8(w, prefix, c.rowed(), c.scaling());
  }
}

SPARQ_NAMESPACE_END

SPARQ_ARCH_NAMESPACE_BEGIN

/// sparq::gemm with W read from a quantized checkpoint.
template <class Arch = auto_arch, class TA, class TC, class Executor = serial_executor>
void gemm(matrix_view<TA> const& a, nvfp4_checkpoint const& w, matrix_view<TC> const& c,
          gemm_options const& o = {}, Executor const& executor = {}) {
  gemm<Arch>(a, w.view, c, o, executor);
}
template <class Arch = auto_arch, class TA, class TC, class Executor = serial_executor>
void gemm(matrix_view<TA> const& a, fp8_checkpoint const& w, matrix_view<TC> const& c,
          gemm_options const& o = {}, Executor const& executor = {}) {
  w.visit([&](auto const& v) { gemm<Arch>(a, v, c, o, executor); });
}
template <class Arch = auto_arch, class TC, class Executor = serial_executor>
void gemm(quantized_activations const& a, nvfp4_checkpoint const& w, matrix_view<TC> const& c,
          gemm_options const& o = {}, Executor const& executor = {}) {
  gemm<Arch>(a, w.view, c, o, executor);
}

SPARQ_ARCH_NAMESPACE_END
