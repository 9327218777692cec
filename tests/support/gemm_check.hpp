// SPDX-License-Identifier: Apache-2.0
// The gemm verdict of the file dumps (gguf_dump, safetensors_dump): sparq::gemm on weights read
// from a file against a double-precision product of their dequantized values, and their prepacked
// form against the view with the same kernels; and how the dumps write values for the scripts.
#pragma once

#include <cfloat>
#include <cmath>
#include <cstddef>
#include <fstream>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include <sparq/sparq.hpp>

namespace sparq_test {

/// v as raw float32 (little-endian on the hosts sparq runs on) for numpy.fromfile.
inline void write_f32(std::string const& path, std::vector<float> const& v) {
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<char const*>(v.data()), static_cast<std::streamsize>(v.size() * sizeof(float)));
}

/// "" when C = A W^T within K * FLT_EPSILON * sum |a w| of the double-precision product.
inline std::string gemm_bound(std::vector<float> const& a, std::vector<float> const& w,
                              std::vector<float> const& c, std::size_t m, std::size_t n, std::size_t k,
                              std::string const& what) {
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      double dot = 0, mag = 0;
      for (std::size_t x = 0; x < k; ++x) {
        dot += double(a[i * k + x]) * w[j * k + x];
        mag += std::fabs(double(a[i * k + x]) * w[j * k + x]);
      }
      if (!(std::fabs(c[i * n + j] - dot) <= double(k) * FLT_EPSILON * mag + 1e-30)) {
        return what + ": C(" + std::to_string(i) + ", " + std::to_string(j) +
               ") = " + std::to_string(c[i * n + j]) + ", expected " + std::to_string(dot);
      }
    }
  }
  return "";
}

/// "ok", or what went wrong: sparq::gemm on W (the default entry) at M = 1 and M = 5 within the
/// bound of its dequantized values `deq`; where `prepack` is a callable (not nullptr), W prepacked
/// within the bound too and equal to W with the same kernels (this program's arch) in exact mode
/// and, where `int8` is set, in int8_activations mode.
template <class W, class Prepack>
std::string check_gemm(W const& w, std::size_t n, std::size_t k, std::vector<float> const& deq,
                       Prepack const& prepack, bool int8) {
  std::mt19937 rng(5);
  for (std::size_t m : {std::size_t{1}, std::size_t{5}}) {
    std::vector<float> a(m * k), c(m * n);
    for (auto& x : a) x = std::uniform_real_distribution<float>(-1.0f, 1.0f)(rng);
    sparq::matrix_view<float const> const av(a.data(), m, k);
    std::string const at = "M = " + std::to_string(m);
    sparq::gemm(av, w, sparq::matrix_view<float>(c.data(), m, n));
    std::string e = gemm_bound(a, deq, c, m, n, k, at);
    if (!e.empty()) return e;
    if constexpr (!std::is_same<Prepack, std::nullptr_t>::value) {
      auto const p = prepack(w);
      sparq::gemm(av, p, sparq::matrix_view<float>(c.data(), m, n));
      e = gemm_bound(a, deq, c, m, n, k, at + ", prepacked");
      if (!e.empty()) return e;
      for (auto mode : {sparq::compute_mode::exact, sparq::compute_mode::int8_activations}) {
        if (mode == sparq::compute_mode::int8_activations && !int8) continue;
        sparq::gemm_options o;
        o.mode = mode;
        std::vector<float> cv(m * n), cp(m * n);
        sparq::gemm<sparq::default_arch>(av, w, sparq::matrix_view<float>(cv.data(), m, n), o);
        sparq::gemm<sparq::default_arch>(av, p, sparq::matrix_view<float>(cp.data(), m, n), o);
        if (cv != cp) return at + ": the prepacked weights give other results with the same kernels";
      }
    }
  }
  return "ok";
}

}  // namespace sparq_test
