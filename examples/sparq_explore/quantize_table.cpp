// SPDX-License-Identifier: Apache-2.0
// `sparq-explore [quantize]`: quantize a weight matrix to every format and tabulate size, error
// and speed, so a format can be picked by its error, size and speed.
#include <chrono>
#include <cstdio>
#include <functional>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <sparq/interop/gguf.hpp>
#include <sparq/sparq.hpp>

#include "commands.hpp"
#include "json_text.hpp"
#include "speed.hpp"
#include "svg_plot.hpp"
#include "synthetic.hpp"
#include "table.hpp"

namespace sparq_explore {
namespace {

struct column {
  char const* header;
  char const* json_key;
  std::function<std::string(result const&)> text;
};

std::string fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::string general(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

std::vector<column> const& columns() {
  static std::vector<column> const c = {
      {"format", "format", [](result const& r) { return r.name; }},
      {"bits/w", "bits_per_weight", [](result const& r) { return fixed(r.bits_per_weight, 3); }},
      {"bytes", "bytes", [](result const& r) { return std::to_string(r.bytes); }},
      {"SNR dB", "snr_db", [](result const& r) { return fixed(r.error.snr_db, 2); }},
      {"max err", "max_abs_error", [](result const& r) { return general(r.error.max_abs); }},
      {"cosine", "cosine", [](result const& r) { return fixed(r.error.cosine, 6); }},
      {"quantize ms", "quantize_ms", [](result const& r) { return fixed(r.quantize_ms, 1); }},
      {"GEMV GB/s", "gemv_gbs", [](result const& r) { return fixed(r.perf.gemv_gbs, 2); }},
      {"of read", "gemv_fraction_of_read",
       [](result const& r) { return fixed(r.read_gbs > 0 ? r.perf.gemv_gbs / r.read_gbs : 0.0, 2); }},
      {"int8 GEMV GB/s", "gemv_int8_gbs",
       [](result const& r) { return r.perf.gemv_int8_gbs > 0 ? fixed(r.perf.gemv_int8_gbs, 2) : std::string("-"); }},
      {"GEMM GFLOP/s", "gemm_m128_gflops", [](result const& r) { return fixed(r.perf.gemm_gflops, 1); }},
  };
  return c;
}

template <class F>
result run_format(std::string const& name, sparq::dense_matrix const& m, sparq::thread_pool const& ex) {
  result r;
  r.name = name;
  auto const t0 = std::chrono::steady_clock::now();
  auto const q = sparq::quantize<F>(m.view(), {}, ex);
  auto const t1 = std::chrono::steady_clock::now();
  r.quantize_ms = std::chrono::duration<double, std::milli>(t1 - t0).count();
  std::vector<float> back(m.rows * m.cols);
  sparq::dequantize(q, sparq::matrix_view<float>(back.data(), m.rows, m.cols), ex);
  r.error = sparq::compare(m.view(), sparq::matrix_view<float const>(back.data(), m.rows, m.cols));
  r.bytes = q.code_bytes() + q.scale_bytes() + q.zero_bytes();
  if constexpr (sparq::is_block_format_v<F>) {
    if (F::has_tensor_scale) r.bytes += sizeof(float);
  }
  r.perf = measure_speed(q, ex);
  r.bits_per_weight = m.rows != 0 && m.cols != 0 ? 8.0 * static_cast<double>(r.bytes) / static_cast<double>(m.rows * m.cols) : 0;
  return r;
}

template <class F>
entry make(char const* name) {
  return {name, [name](sparq::dense_matrix const& m, sparq::thread_pool const& ex, sparsity const&) {
            return run_format<F>(name, m, ex);
          }};
}

/// Every format the tool knows, block formats first; element formats use a per-row float scale.
std::vector<entry> const& registry() {
  static std::vector<entry> const r = {
      make<sparq::mxfp8_e4m3>("mxfp8_e4m3"),
      make<sparq::mxfp8_e5m2>("mxfp8_e5m2"),
      make<sparq::mxfp6_e2m3>("mxfp6_e2m3"),
      make<sparq::mxfp6_e3m2>("mxfp6_e3m2"),
      make<sparq::mxfp4>("mxfp4"),
      make<sparq::mx_block<sparq::float4_e2m1fn, sparq::scale_rule::round_up>>("mxfp4_rceil"),
      make<sparq::mxint8>("mxint8"),
      make<sparq::nvfp4>("nvfp4"),
      make<sparq::int8_group<32>>("int8_g32"),
      make<sparq::int8_group<128>>("int8_g128"),
      make<sparq::int4_group<32>>("int4_g32"),
      make<sparq::int4_group<64>>("int4_g64"),
      make<sparq::int4_group<128>>("int4_g128"),
      make<sparq::uint4_group_zp<128>>("awq4_g128"),
      make<sparq::float8_e4m3fn>("float8_e4m3fn"),
      make<sparq::float8_e5m2>("float8_e5m2"),
      make<sparq::float6_e2m3fn>("float6_e2m3fn"),
      make<sparq::float4_e2m1fn>("float4_e2m1fn"),
      make<sparq::int8>("int8"),
      make<sparq::int4>("int4"),
      make<sparq::bfloat16>("bfloat16"),
      make<sparq::float16>("float16"),
  };
  return r;
}

std::vector<std::string> split(std::string const& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

sparsity parse_sparsity(std::string const& v) {
  sparsity s;
  s.text = v;
  auto fraction = [&](std::string const& x) {
    std::size_t used = 0;
    double f = -1;
    try {
      f = std::stod(x, &used);
    } catch (...) {
      used = 0;
    }
    if (used != x.size() || !(f > 0.0 && f < 1.0)) {
      throw sparq::invalid_argument("--sparsity: '" + v + "': expected a fraction in (0, 1) after the ':'");
    }
    return f;
  };
  if (v == "2:4") {
    s.by = sparsity::kind::nm_2_4;
  } else if (v.rfind("bitmap:", 0) == 0) {
    s.by = sparsity::kind::bitmap;
    s.amount = fraction(v.substr(7));
  } else if (v.rfind("outliers:", 0) == 0) {
    s.by = sparsity::kind::outliers;
    s.amount = fraction(v.substr(9));
  } else {
    throw sparq::invalid_argument("--sparsity: '" + v + "' is not 2:4, bitmap:SPARSITY or outliers:FRACTION");
  }
  return s;
}

std::size_t parse_size(std::string const& option, std::string const& v) {
  std::size_t used = 0;
  unsigned long long n = 0;
  try {
    n = std::stoull(v, &used);
  } catch (...) {
    used = 0;
  }
  if (used != v.size() || n == 0 || n > (1ull << 20)) {
    throw sparq::invalid_argument(option + ": '" + v + "' is not a size in 1..1048576");
  }
  return static_cast<std::size_t>(n);
}

/// --gguf FILE without --tensor: the file's tensors.
int list_gguf(std::string const& path, bool json, std::ostream& out) {
  auto const g = sparq::gguf_file::open(path);
  auto const dims = [](sparq::gguf_tensor const& t) {
    std::string d;
    for (std::size_t i = 0; i < t.dims().size(); ++i) d += (i ? " x " : "") + std::to_string(t.dims()[i]);
    return d;
  };
  if (json) {
    out << "{\"gguf\": \"" << json_escape(path) << "\", \"version\": " << g.version() << ", \"tensors\": [";
    for (std::size_t i = 0; i < g.tensors().size(); ++i) {
      auto const& t = g.tensors()[i];
      out << (i ? ",\n  " : "\n  ") << "{\"name\": \"" << json_escape(t.name()) << "\", \"type\": \"" << t.type_name()
          << "\", \"rows\": " << t.rows() << ", \"cols\": " << t.cols() << ", \"bytes\": " << t.bytes() << "}";
    }
    out << "]}\n";
    return 0;
  }
  out << path << ": GGUF v" << g.version() << ", " << g.metadata().size() << " metadata keys, " << g.tensors().size()
      << " tensors (dims fastest first; --tensor NAME runs the table on one)\n";
  for (auto const& t : g.tensors()) {
    out << "  " << t.name() << "  " << t.type_name() << "  " << dims(t) << "  " << t.bytes() << " bytes\n";
  }
  return 0;
}

}  // namespace

std::string quantize_usage() {
  std::string u =
      "  [quantize] [--formats a,b,c] [--npy FILE | --safetensors FILE --tensor NAME |\n"
      "             --gguf FILE [--tensor NAME]]\n"
      "             [--rows N --cols K] [--threads T] [--sparsity S] [--json] [--quiet]\n"
      "             [--svg FILE]\n"
      "                     quantize a weight matrix (default: a synthetic LLM-like 4096 x 4096)\n"
      "                     to every format; print bits/weight, bytes, SNR, max error, cosine,\n"
      "                     quantize time, GEMV GB/s (exact; int8_activations where the format\n"
      "                     has an int8 image) and its fraction of the measured read bandwidth,\n"
      "                     GEMM GFLOP/s at M = 128 (JSON: non-finite numbers, e.g. the SNR of an exact\n"
      "                     round trip, are null). Formats:";
  for (auto const& e : registry()) u += " " + e.name;
  u += "\n"
       "                     --sparsity 2:4 | bitmap:SPARSITY | outliers:FRACTION composes each\n"
       "                     format with a sparse layout (2:4 pruning; unstructured pruning to the\n"
       "                     given fraction of zeros per row; that fraction of float outliers\n"
       "                     beside the quantized dense part): error against the dense input, bytes\n"
       "                     actually read, speed of the sparse kernels. Formats:";
  for (auto const& e : sparse_registry()) u += " " + e.name;
  u += "\n"
       "                     --gguf FILE lists a GGUF file's tensors (name, ggml type, dims, bytes);\n"
       "                     with --tensor NAME it runs the table on that tensor's values (F32, F16,\n"
       "                     BF16, Q8_0, Q4_0, MXFP4, NVFP4, Q4_1, Q4_K, Q5_K, Q6_K tensors, dequantized).\n"
       "                     --svg FILE also draws the table as a self-contained SVG: SNR against\n"
       "                     bits per weight for every format, and GEMV GB/s beside it.";
  return u + "\n";
}

int run_quantize(std::vector<std::string> const& args, std::ostream& out) {
  std::string npy, safetensors, gguf, tensor, formats, svg;
  std::size_t rows = 4096, cols = 4096;
  bool sized = false;  // --rows or --cols given
  unsigned threads = 0;
  bool json = false, quiet = false;
  sparsity sp;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string const& a = args[i];
    auto value = [&]() -> std::string const& {
      if (i + 1 >= args.size()) throw sparq::invalid_argument(a + ": a value is expected");
      return args[++i];
    };
    if (a == "--json") {
      json = true;
    } else if (a == "--quiet") {
      quiet = true;
    } else if (a == "--npy") {
      npy = value();
    } else if (a == "--safetensors") {
      safetensors = value();
    } else if (a == "--gguf") {
      gguf = value();
    } else if (a == "--tensor") {
      tensor = value();
    } else if (a == "--sparsity") {
      sp = parse_sparsity(value());
    } else if (a == "--svg") {
      svg = value();
    } else if (a == "--formats") {
      formats = value();
    } else if (a == "--rows") {
      rows = parse_size(a, value());
      sized = true;
    } else if (a == "--cols") {
      cols = parse_size(a, value());
      sized = true;
    } else if (a == "--threads") {
      threads = static_cast<unsigned>(parse_size(a, value()));
    } else {
      throw sparq::invalid_argument("unknown option '" + a + "'");
    }
  }
  // Options that do not apply are errors, not silently ignored.
  if (!safetensors.empty() && tensor.empty()) throw sparq::invalid_argument("--safetensors needs --tensor NAME");
  if (safetensors.empty() && gguf.empty() && !tensor.empty()) {
    throw sparq::invalid_argument("--tensor applies to --safetensors FILE or --gguf FILE only");
  }
  if (int(!npy.empty()) + int(!safetensors.empty()) + int(!gguf.empty()) > 1) {
    throw sparq::invalid_argument("--npy, --safetensors and --gguf exclude each other");
  }
  if (sized && (!npy.empty() || !safetensors.empty() || !gguf.empty())) {
    throw sparq::invalid_argument(
        "--rows and --cols size the synthetic matrix; a file (--npy, --safetensors, --gguf) has its own shape");
  }
  if (!gguf.empty() && tensor.empty()) return list_gguf(gguf, json, out);

  std::vector<entry> const& known = sp.by == sparsity::kind::none ? registry() : sparse_registry();
  std::vector<entry const*> chosen;
  if (formats.empty()) {
    for (auto const& e : known) chosen.push_back(&e);
  } else {
    for (auto const& name : split(formats)) {
      entry const* found = nullptr;
      for (auto const& e : known) {
        if (e.name == name) found = &e;
      }
      if (!found) throw sparq::invalid_argument("--formats: unknown format '" + name + "'");
      chosen.push_back(found);
    }
  }

  // The SVG is written after the measurements; a path that cannot be written fails now, not then.
  if (!svg.empty()) check_writable(svg);

  std::string source;
  sparq::dense_matrix m;
  if (!npy.empty()) {
    m = sparq::read_npy(npy);
    source = npy;
  } else if (!safetensors.empty()) {
    m = sparq::read_safetensors(safetensors, tensor);
    source = safetensors + ":" + tensor;
  } else if (!gguf.empty()) {
    auto const g = sparq::gguf_file::open(gguf);
    sparq::gguf_tensor const& t = g.tensor(tensor);
    m.rows = t.rows();
    m.cols = t.cols();
    m.dtype = t.type_name();
    m.data.resize(m.rows * m.cols);
    sparq::dequantize(t, sparq::matrix_view<float>(m.data.data(), m.rows, m.cols));
    source = gguf + ":" + tensor;
  } else {
    if (!quiet) std::cerr << "sparq-explore: generating the synthetic " << rows << " x " << cols << " matrix\n";
    m = synthetic_llm_matrix(rows, cols);
    source = "synthetic LLM-like " + std::to_string(rows) + " x " + std::to_string(cols);
  }
  sparq::thread_pool const ex(threads);

  if (!quiet) std::cerr << "sparq-explore: measuring the memory read bandwidth\n";
  double const read_gbs = memory_read_gbs(ex);
  std::vector<result> results;
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    if (!quiet) std::cerr << "sparq-explore: [" << i + 1 << "/" << chosen.size() << "] " << chosen[i]->name << "\n";
    results.push_back(chosen[i]->run(m, ex, sp));
    results.back().read_gbs = read_gbs;
  }

  // The kernels the GEMV columns ran (runtime dispatch, or this program's own flags) and the CPU.
  std::string const kernels = sparq::gemm_arch<sparq::quantized_matrix_view<sparq::mxfp4>>();
  std::string const cpu = sparq::cpu_features().text();
  auto const& cols_ = columns();
  if (!svg.empty()) {
    write_svg(svg, results, source + " (" + std::to_string(m.rows) + " x " + std::to_string(m.cols) + ", " + m.dtype + "), " +
                                std::to_string(ex.threads()) + " threads" +
                                (sp.text.empty() ? std::string() : ", sparsity " + sp.text) + "; kernels " + kernels +
                                "; cpu: " + cpu);
  }
  if (json) {
    out << "{\"matrix\": {\"source\": \"" << json_escape(source) << "\", \"rows\": " << m.rows << ", \"cols\": " << m.cols
        << ", \"dtype\": \"" << m.dtype << "\", \"threads\": " << ex.threads() << ", \"read_gbs\": " << fixed(read_gbs, 2)
        << ", \"kernels\": \"" << json_escape(kernels) << "\", \"cpu\": \"" << json_escape(cpu) << "\""
        << ", \"sparsity\": " << (sp.text.empty() ? std::string("null") : "\"" + json_escape(sp.text) + "\"") << "},\n \"formats\": [\n";
    for (std::size_t i = 0; i < results.size(); ++i) {
      out << "  {";
      for (std::size_t c = 0; c < cols_.size(); ++c) {
        std::string const v = cols_[c].text(results[i]);
        bool const text = c == 0;
        // JSON has no Inf or NaN: a non-finite number (the SNR of an exact round trip) is null.
        // A value that does not apply ("-": no int8 image) is null as well.
        bool const finite =
            text || (v != "-" && v.find("inf") == std::string::npos && v.find("nan") == std::string::npos);
        out << (c ? ", " : "") << "\"" << cols_[c].json_key << "\": " << (text ? "\"" + json_escape(v) + "\"" : finite ? v : "null");
      }
      out << "}" << (i + 1 < results.size() ? "," : "") << "\n";
    }
    out << " ]}\n";
    return 0;
  }
  out << "matrix: " << source << " (" << m.rows << " x " << m.cols << ", " << m.dtype << "), " << ex.threads()
      << " threads; memory read " << fixed(read_gbs, 1) << " GB/s; kernels " << kernels << " (cpu: " << cpu << ")"
      << (sp.text.empty() ? std::string() : "; sparsity " + sp.text + " (error against the dense input)") << "\n";
  std::vector<std::size_t> width(cols_.size());
  for (std::size_t c = 0; c < cols_.size(); ++c) {
    width[c] = std::string(cols_[c].header).size();
    for (auto const& r : results) width[c] = std::max(width[c], cols_[c].text(r).size());
  }
  auto emit = [&](std::size_t c, std::string const& v) {
    std::string pad(width[c] - v.size(), ' ');
    out << (c ? "  " : "") << (c == 0 ? v + pad : pad + v);
  };
  for (std::size_t c = 0; c < cols_.size(); ++c) emit(c, cols_[c].header);
  out << "\n";
  for (auto const& r : results) {
    for (std::size_t c = 0; c < cols_.size(); ++c) emit(c, cols_[c].text(r));
    out << "\n";
  }
  return 0;
}

}  // namespace sparq_explore
