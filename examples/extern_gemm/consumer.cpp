// SPDX-License-Identifier: Apache-2.0
// An engine file that uses five formats: with the extern declarations of kernels.hpp it compiles
// none of the kernels itself (they come from kernels.cpp); checked against the reference.
#include <cmath>
#include <cstdio>
#include <vector>

#include <sparq/kernel/reference/gemm.hpp>

#include "kernels.hpp"

template <class F>
bool run(std::vector<float> const& w, std::vector<float> const& a) {
  std::size_t const n = 64, k = 128, m = 4;
  auto const q = sparq::quantize<F>(sparq::matrix_view<float const>(w.data(), n, k));
  std::vector<float> c(m * n), ref(m * n);
  sparq::gemm(sparq::matrix_view<float const>(a.data(), m, k), q, sparq::matrix_view<float>(c.data(), m, n));
  sparq::kernel::reference::gemm(sparq::matrix_view<float const>(a.data(), m, k), q.view(),
                                 sparq::matrix_view<float>(ref.data(), m, n));
  for (std::size_t i = 0; i < m * n; ++i) {
    if (!(std::fabs(c[i] - ref[i]) <= 1e-4f * (1.0f + std::fabs(ref[i])))) return false;
  }
  return true;
}

int main() {
  std::vector<float> w(64 * 128), a(4 * 128);
  for (std::size_t i = 0; i < w.size(); ++i) w[i] = std::sin(0.37f * static_cast<float>(i));
  for (std::size_t i = 0; i < a.size(); ++i) a[i] = std::cos(0.11f * static_cast<float>(i));
  bool const ok = run<sparq::mxfp4>(w, a) && run<sparq::nvfp4>(w, a) && run<sparq::mxfp8_e4m3>(w, a) &&
                  run<sparq::int4_group<32>>(w, a) && run<sparq::int8_group<32>>(w, a);
  std::printf("extern_gemm: five formats through extern instantiations: %s\n", ok ? "matches" : "FAILED");
  return ok ? 0 : 1;
}
