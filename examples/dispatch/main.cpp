// SPDX-License-Identifier: Apache-2.0
// Runtime dispatch: this file is compiled without arch flags; xsimd::dispatch runs the best
// gemv_kernel instantiation the CPU supports (AVX2 on the development machines, SSE2 elsewhere)
// and the result is checked against sparq's reference GEMM.
//
//   sparq_add_arch_sources(dispatch_example ARCHS avx2 sse2 SOURCES dispatch/gemv_kernel.cpp)
#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include <sparq/kernel/reference/gemm.hpp>
#include <sparq/quantize/quantize.hpp>

#include "gemv_kernel.hpp"

template <class List>
struct last;
template <class A>
struct last<xsimd::arch_list<A>> {
  using type = A;
};
template <class A, class B, class... Rest>
struct last<xsimd::arch_list<A, B, Rest...>> : last<xsimd::arch_list<B, Rest...>> {};
template <class List>
using last_arch = typename last<List>::type;

int main(int argc, char** argv) {
  // `dispatch_example baseline` runs the last (baseline) arch of the list instead of the best.
  bool const baseline = argc > 1 && std::string(argv[1]) == "baseline";
  std::size_t const n = 256, k = 1024;
  std::vector<float> w(n * k), x(k), y(n), ref(n);
  std::mt19937 g(7);
  std::normal_distribution<float> d(0.0f, 1.0f);
  for (auto& v : w) v = d(g);
  for (auto& v : x) v = d(g);
  auto const q = sparq::quantize<sparq::mxfp4>(sparq::matrix_view<float const>(w.data(), n, k));
  auto gemv = xsimd::dispatch<sparq_dispatch_archs>(mxfp4_gemv{});
  auto const v = q.view();
  auto const* codes = v.codes();
  auto const* scales = reinterpret_cast<std::uint8_t const*>(v.scales());
  char const* arch = baseline ? mxfp4_gemv{}(last_arch<sparq_dispatch_archs>{}, codes, scales, x.data(), y.data(), n, k)
                              : gemv(codes, scales, x.data(), y.data(), n, k);
  sparq::kernel::reference::gemm(sparq::matrix_view<float const>(x.data(), 1, k), q.view(),
                                 sparq::matrix_view<float>(ref.data(), 1, n));
  double worst = 0;
  for (std::size_t i = 0; i < n; ++i) worst = std::max(worst, std::fabs(double(y[i]) - ref[i]) / (1e-3 + std::fabs(ref[i])));
  std::printf("dispatched to %s: mxfp4 GEMV %zu x %zu, worst relative difference to the reference %.2e\n", arch, n, k,
              worst);
  if (worst > 1e-4) {
    std::printf("FAILED\n");
    return 1;
  }
  std::printf("matches\n");
  return 0;
}
