// SPDX-License-Identifier: Apache-2.0
// The quantized safetensors conventions seen from outside, for tests/interop/safetensors_py.py
// (files written by numpy + ml_dtypes + safetensors):
//   safetensors_dump read FILE KIND PREFIX INDEX OUT.f32
//     KIND mxfp4 (gpt-oss, matrix INDEX), nvfp4 or fp8: prints JSON (rows, cols, the convention or
//     scaling read, and a "gemm" verdict: tests/support/gemm_check.hpp) and writes the dequantized
//     values to OUT.f32 (float32 LE).
//   safetensors_dump rewrite FILE OUT KIND:PREFIX...
//     reads each weight and writes it back into OUT in its own convention (sparq::add_*).
//   safetensors_dump quantize FILE OUT
//     quantizes FILE's F32 tensor "x" with sparq into every convention: q.experts.up (gpt-oss
//     MXFP4, two matrices: x and x / 4), q.mo / q.ct (NVFP4, ModelOpt / compressed-tensors),
//     q.fpt / q.fpc (FP8 per tensor / per channel) and q.fb (FP8 128 x 128 blocks).
#include <exception>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <sparq/interop/json.hpp>
#include <sparq/interop/quantized_safetensors.hpp>
#include <sparq/sparq.hpp>

#include "gemm_check.hpp"

namespace {

template <class W>
void report(W const& w, std::string const& label, std::string const& out, bool int8) {
  std::vector<float> v(w.rows() * w.cols());
  sparq::dequantize(w, sparq::matrix_view<float>(v.data(), w.rows(), w.cols()));
  sparq_test::write_f32(out, v);
  std::string verdict;
  if constexpr (std::is_same<W, sparq::fp8_checkpoint>::value) {
    verdict = w.visit([&](auto const& x) {
      return sparq_test::check_gemm(
          w, w.rows(), w.cols(), v, [&](W const&) { return sparq::prepack(x); }, int8);
    });
  } else if constexpr (std::is_same<W, sparq::nvfp4_checkpoint>::value) {
    verdict = sparq_test::check_gemm(
        w, w.rows(), w.cols(), v, [](W const& x) { return sparq::prepack(x.view); }, int8);
  } else {
    verdict = sparq_test::check_gemm(
        w, w.rows(), w.cols(), v, [](W const& x) { return sparq::prepack(x); }, int8);
  }
  std::cout << "{\"rows\": " << w.rows() << ", \"cols\": " << w.cols()
            << ", \"read\": " << sparq::detail::json_quote(label)
            << ", \"gemm\": " << sparq::detail::json_quote(verdict) << "}\n";
}

char const* scaling_name(sparq::fp8_scaling s) {
  return s == sparq::fp8_scaling::per_tensor    ? "per_tensor"
         : s == sparq::fp8_scaling::per_channel ? "per_channel"
                                                : "block128";
}

int read(char const* file, std::string const& kind, std::string const& prefix, std::size_t index,
         char const* out) {
  sparq::safetensors_file f(file);
  if (kind == "mxfp4") {
    report(sparq::read_mxfp4_blocks(f, prefix, index),
           "mxfp4 of " + std::to_string(sparq::mxfp4_blocks_count(f, prefix)), out, true);
  } else if (kind == "nvfp4") {
    auto const w = sparq::read_nvfp4(f, prefix);
    report(w, w.convention == sparq::nvfp4_convention::modelopt ? "modelopt" : "compressed_tensors", out,
           true);
  } else if (kind == "fp8") {
    auto const w = sparq::read_fp8(f, prefix);
    report(w, scaling_name(w.scaling()), out, false);
  } else {
    std::cerr << "unknown kind '" << kind << "'\n";
    return 2;
  }
  return 0;
}

int rewrite(char const* file, char const* out, std::vector<std::string> const& weights) {
  sparq::safetensors_file f(file);
  sparq::safetensors_writer w;
  for (std::string const& kp : weights) {
    std::string const kind = kp.substr(0, kp.find(':')), prefix = kp.substr(kp.find(':') + 1);
    if (kind == "mxfp4") {
      std::vector<sparq::quantized_matrix_view<sparq::mxfp4>> experts;
      for (std::size_t i = 0; i < sparq::mxfp4_blocks_count(f, prefix); ++i) {
        experts.push_back(sparq::read_mxfp4_blocks(f, prefix, i));
      }
      bool const hf = f.contains(prefix + "_blocks");
      bool const stacked = f.info(prefix + (hf ? "_blocks" : ".blocks")).shape.size() > 3;
      if (stacked && experts.size() == 1) {
        std::cerr << "rewrite: a stack of one matrix is written unstacked\n";
        return 2;
      }
      sparq::add_mxfp4_blocks(w, prefix, experts,
                              hf ? sparq::mxfp4_names::hugging_face : sparq::mxfp4_names::original);
    } else if (kind == "nvfp4") {
      sparq::add_nvfp4(w, prefix, sparq::read_nvfp4(f, prefix));
    } else {
      sparq::add_fp8(w, prefix, sparq::read_fp8(f, prefix));
    }
  }
  w.write(out);
  return 0;
}

int quantize(char const* file, char const* out) {
  sparq::dense_matrix const x = sparq::safetensors_file(file).read("x");
  sparq::matrix_view<float const> const m(x.data.data(), x.rows, x.cols);
  std::vector<float> quarter(x.data);
  for (float& v : quarter) v /= 4.0f;
  sparq::safetensors_writer w;
  auto const e0 = sparq::quantize<sparq::mxfp4>(m);
  auto const e1 =
      sparq::quantize<sparq::mxfp4>(sparq::matrix_view<float const>(quarter.data(), x.rows, x.cols));
  sparq::add_mxfp4_blocks(w, "q.experts.up", {e0.view(), e1.view()});
  auto const nv = sparq::quantize<sparq::nvfp4>(m);
  sparq::add_nvfp4(w, "q.mo", nv, sparq::nvfp4_convention::modelopt);
  sparq::add_nvfp4(w, "q.ct", nv, sparq::nvfp4_convention::compressed_tensors);
  sparq::quantize_options per_tensor;
  per_tensor.granularity = sparq::element_scale::per_tensor;
  sparq::add_fp8(w, "q.fpt", sparq::quantize<sparq::float8_e4m3fn>(m, per_tensor),
                 sparq::fp8_scaling::per_tensor);
  sparq::add_fp8(w, "q.fpc", sparq::quantize<sparq::float8_e4m3fn>(m), sparq::fp8_scaling::per_channel);
  sparq::add_fp8(w, "q.fb", sparq::quantize_tiled<sparq::fp8_group<128>, 128>(m).view());
  w.add_metadata("format", "pt");
  w.write(out);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string const mode = argc > 1 ? argv[1] : "";
  try {
    if (mode == "read" && argc == 7) return read(argv[2], argv[3], argv[4], std::stoul(argv[5]), argv[6]);
    if (mode == "rewrite" && argc >= 4)
      return rewrite(argv[2], argv[3], std::vector<std::string>(argv + 4, argv + argc));
    if (mode == "quantize" && argc == 4) return quantize(argv[2], argv[3]);
  } catch (std::exception const& e) {
    std::cout << "{\"error\": " << sparq::detail::json_quote(e.what()) << "}\n";
    return 1;
  }
  std::cerr
      << "usage: safetensors_dump read FILE KIND PREFIX INDEX OUT.f32 | rewrite FILE OUT KIND:PREFIX... | "
         "quantize FILE OUT\n";
  return 2;
}
