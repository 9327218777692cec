// SPDX-License-Identifier: Apache-2.0
// The .npy, .safetensors and GGUF readers over arbitrary bytes: every outcome is a result or a
// sparq::file_error (any other exception, a crash or an out-of-bounds read is a finding); each
// GGUF tensor of a type sparq reads is dequantized (sparq::unsupported for the others), and each
// safetensors weight that looks like a quantized convention (gpt-oss MXFP4, NVFP4, FP8) is read
// as one and dequantized (sparq::invalid_argument for scale values a view refuses).
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include <sparq/core/error.hpp>
#include <sparq/interop/gguf.hpp>
#include <sparq/interop/npy.hpp>
#include <sparq/interop/quantized_safetensors.hpp>
#include <sparq/interop/safetensors.hpp>

#include "fuzz_input.hpp"

namespace {

bool ends_with(std::string const& s, std::string const& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

template <class W>
void dequantize_small(W const& w) {
  if (w.rows() * w.cols() == 0 || w.rows() * w.cols() > (std::size_t{1} << 22)) return;
  std::vector<float> out(w.rows() * w.cols());
  sparq::dequantize(w, sparq::matrix_view<float>(out.data(), w.rows(), w.cols()));
}

/// The quantized conventions over tensor `name`: file_error (a tensor that does not fit) and
/// invalid_argument (a refused scale, an expert index past the end) are outcomes.
void read_conventions(sparq::safetensors_file const& st, std::string const& name) {
  try {
    for (char const* tail : {"_blocks", ".blocks"}) {
      if (!ends_with(name, tail)) continue;
      std::string const prefix = name.substr(0, name.size() - 7);
      std::size_t const n = sparq::mxfp4_blocks_count(st, prefix);
      for (std::size_t i = 0; i < n && i < 4; ++i) dequantize_small(sparq::read_mxfp4_blocks(st, prefix, i));
    }
    for (char const* tail : {".weight", ".weight_packed"}) {
      if (!ends_with(name, tail)) continue;
      std::string const prefix = name.substr(0, name.size() - std::string(tail).size());
      try {
        dequantize_small(sparq::read_nvfp4(st, prefix));
      } catch (sparq::file_error const&) {
      } catch (sparq::invalid_argument const&) {
      }
      dequantize_small(sparq::read_fp8(st, prefix));
    }
  } catch (sparq::file_error const&) {
  } catch (sparq::invalid_argument const&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  static std::string const path = "/tmp/sparq_fuzz_files_" + std::to_string(::getpid());
  if (size == 0) return 0;
  if (data[0] % 4 == 2) {  // GGUF over the bytes in memory
    try {
      auto const g = sparq::gguf_file::over(data + 1, size - 1);
      for (auto const& t : g.tensors()) {
        if (t.rows() * t.cols() == 0) continue;
        std::vector<float> out(t.rows() * t.cols());
        try {
          sparq::dequantize(t, sparq::matrix_view<float>(out.data(), t.rows(), t.cols()));
        } catch (sparq::unsupported const&) {
        } catch (sparq::invalid_argument const&) {  // a misaligned F32 / F16 tensor
        }
      }
    } catch (sparq::file_error const&) {
    } catch (std::exception const&) {
      sparq_fuzz::finding();
    }
    return 0;
  }
  bool const npy = data[0] & 1;
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return 0;
  std::fwrite(data + 1, 1, size - 1, f);
  std::fclose(f);
  try {
    if (npy) {
      auto const m = sparq::read_npy(path);
      if (m.data.size() != m.rows * m.cols) sparq_fuzz::finding();
    } else {
      sparq::safetensors_file const st(path);
      for (auto const& name : st.names()) {
        try {
          auto const m = sparq::read_safetensors(path, name);
          if (m.data.size() != m.rows * m.cols) sparq_fuzz::finding();
        } catch (sparq::file_error const&) {
        }
        read_conventions(st, name);
      }
    }
  } catch (sparq::file_error const&) {
  } catch (std::exception const&) {
    sparq_fuzz::finding();
  }
  return 0;
}
