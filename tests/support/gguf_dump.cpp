// SPDX-License-Identifier: Apache-2.0
// The GGUF reader and writer seen from outside, for tests/interop/gguf_py.py (gguf-py's files):
//   gguf_dump FILE OUTDIR
//   gguf_dump requantize FILE OUT.gguf OUTDIR
// The first form
// prints JSON: the version, alignment, every metadata value, and per tensor its name, type, dims
// and a "gemm" verdict; writes each tensor's dequantized values to OUTDIR/<index>.f32 (float32
// LE). The verdict: sparq::gemm on the tensor (M = 1 and M = 5, exact mode) within K * FLT_EPSILON
// * sum |a w| of a double-precision product of the dequantized values, and the prepacked tensor
// (where it prepacks) giving the same results in both modes.
// requantize writes OUT.gguf with sparq::gguf_writer: FILE's metadata, and for each F32 tensor
// NAME: NAME.q8_0 / NAME.q4_0 / NAME.mxfp4 (sparq::ggml::quantize, ggml's rounding) and
// NAME.int8_g32 / NAME.int4_g32 / NAME.sparq_mxfp4 (sparq's quantizers of int8_group<32, float16>,
// int4_group<32, float16>, mxfp4, written through sparq::to_ggml), whose values sparq
// dequantizes to OUTDIR/NAME.<suffix>.f32.
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <exception>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include <sparq/interop/gguf.hpp>
#include <sparq/interop/json.hpp>
#include <sparq/sparq.hpp>

#include "gemm_check.hpp"

namespace {

std::string quoted(std::string const& s) { return sparq::detail::json_quote(s); }

std::string json(sparq::gguf_value const& v) {
  using sparq::gguf_type;
  switch (v.type()) {
    case gguf_type::string: return quoted(v.as_string());
    case gguf_type::boolean: return v.as_bool() ? "true" : "false";
    case gguf_type::float32:
    case gguf_type::float64: {
      char buf[40];
      std::snprintf(buf, sizeof buf, "%.17g", v.as_float());
      return buf;
    }
    case gguf_type::array: {
      std::string o = "[";
      for (std::size_t i = 0; i < v.size(); ++i) o += (i ? "," : "") + json(v.at(i));
      return o + "]";
    }
    default: return v.is_signed() ? std::to_string(v.as_int()) : std::to_string(v.as_uint());
  }
}

/// "ok", or what went wrong (tests/support/gemm_check.hpp): the default entry takes the prepacked
/// form from the runtime library where it holds the type.
std::string check_gemm(sparq::gguf_tensor const& t, std::vector<float> const& w) {
  bool const packs = t.type() == sparq::ggml::type::q8_0 || t.type() == sparq::ggml::type::q4_0 ||
                     t.type() == sparq::ggml::type::mxfp4 || t.type() == sparq::ggml::type::nvfp4;
  if (!packs) return sparq_test::check_gemm(t, t.rows(), t.cols(), w, nullptr, false);
  return sparq_test::check_gemm(
      t, t.rows(), t.cols(), w, [](sparq::gguf_tensor const& x) { return sparq::prepack(x); }, true);
}

}  // namespace

template <class F>
void add_sparq(sparq::gguf_writer& w, std::string const& name, sparq::matrix_view<float const> const& m,
               std::string const& outdir) {
  auto const q = sparq::quantize<F>(m);
  std::vector<float> v(m.rows() * m.cols());
  sparq::dequantize(q, sparq::matrix_view<float>(v.data(), m.rows(), m.cols()));
  sparq_test::write_f32(outdir + "/" + name + ".f32", v);
  w.add_tensor(name, q);
}

int requantize(char const* in, char const* out, std::string const& outdir) {
  auto const f = sparq::gguf_file::open(in);
  sparq::gguf_writer w;
  for (auto const& kv : f.metadata()) w.add(kv.first, kv.second);
  for (auto const& t : f.tensors()) {
    if (t.type() != sparq::ggml::type::f32) continue;
    std::vector<float> v(t.rows() * t.cols());
    sparq::dequantize(t, sparq::matrix_view<float>(v.data(), t.rows(), t.cols()));
    sparq::matrix_view<float const> const m(v.data(), t.rows(), t.cols());
    w.add_tensor(t.name() + ".q8_0", sparq::ggml::quantize<sparq::ggml::q8_0>(m));
    w.add_tensor(t.name() + ".q4_0", sparq::ggml::quantize<sparq::ggml::q4_0>(m));
    w.add_tensor(t.name() + ".mxfp4", sparq::ggml::quantize<sparq::ggml::mxfp4>(m));
    add_sparq<sparq::int8_group<32, sparq::float16>>(w, t.name() + ".int8_g32", m, outdir);
    add_sparq<sparq::int4_group<32, sparq::float16>>(w, t.name() + ".int4_g32", m, outdir);
    add_sparq<sparq::mxfp4>(w, t.name() + ".sparq_mxfp4", m, outdir);
  }
  w.write(out);
  return 0;
}

int main(int argc, char** argv) {
  if (argc == 5 && std::string(argv[1]) == "requantize") {
    try {
      return requantize(argv[2], argv[3], argv[4]);
    } catch (std::exception const& e) {
      std::cerr << e.what() << "\n";
      return 1;
    }
  }
  if (argc != 3) {
    std::cerr << "usage: gguf_dump FILE OUTDIR | gguf_dump requantize FILE OUT.gguf OUTDIR\n";
    return 2;
  }
  try {
    auto const f = sparq::gguf_file::open(argv[1]);
    std::cout << "{\"version\": " << f.version() << ", \"alignment\": " << f.alignment() << ",\n \"metadata\": {";
    bool first = true;
    for (auto const& kv : f.metadata()) {
      std::cout << (first ? "\n  " : ",\n  ") << quoted(kv.first) << ": {\"type\": \""
                << sparq::gguf_type_name(kv.second.type()) << "\", \"value\": " << json(kv.second) << "}";
      first = false;
    }
    std::cout << "},\n \"tensors\": [";
    for (std::size_t i = 0; i < f.tensors().size(); ++i) {
      auto const& t = f.tensors()[i];
      std::vector<float> w(t.rows() * t.cols());
      std::string verdict;
      try {
        sparq::dequantize(t, sparq::matrix_view<float>(w.data(), t.rows(), t.cols()));
        sparq_test::write_f32(std::string(argv[2]) + "/" + std::to_string(i) + ".f32", w);
        verdict = check_gemm(t, w);
      } catch (sparq::unsupported const& e) {
        verdict = std::string("unsupported: ") + e.what();
      }
      std::cout << (i ? ",\n  " : "\n  ") << "{\"name\": " << quoted(t.name()) << ", \"type\": \"" << t.type_name()
                << "\", \"dims\": [";
      for (std::size_t d = 0; d < t.dims().size(); ++d) std::cout << (d ? ", " : "") << t.dims()[d];
      std::cout << "], \"gemm\": " << quoted(verdict) << "}";
    }
    std::cout << "]}\n";
  } catch (std::exception const& e) {
    std::cout << "{\"error\": " << quoted(e.what()) << "}\n";
    return 1;
  }
  return 0;
}
