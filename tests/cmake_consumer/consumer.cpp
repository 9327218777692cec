// SPDX-License-Identifier: Apache-2.0
// A downstream program: include the umbrella header, convert, multiply through the default
// (runtime-dispatched) sparq::gemm, check against the reference, exit 0 on success.
#include <cmath>
#include <cstdio>
#include <vector>

#include <sparq/kernel/reference/gemm.hpp>
#include <sparq/sparq.hpp>

int main() {
  float const x[3] = {1.5f, 500.0f, -0.3f};
  sparq::float8_e4m3fn q[3];
  sparq::convert_n(x, 3, q);
  bool ok = q[0].bits() == 0x3C && q[1].bits() == 0x7E && static_cast<float>(q[2]) == -0.3125f;

  std::size_t const n = 40, k = 96;
  std::vector<float> w(n * k), a(k), c(n), ref(n);
  for (std::size_t i = 0; i < w.size(); ++i) w[i] = std::sin(0.37f * static_cast<float>(i));
  for (std::size_t i = 0; i < k; ++i) a[i] = std::cos(0.11f * static_cast<float>(i));
  auto const wq = sparq::quantize<sparq::mxfp4>(sparq::matrix_view<float const>(w.data(), n, k));
  sparq::matrix_view<float const> const av(a.data(), 1, k);
  sparq::gemm(av, wq, sparq::matrix_view<float>(c.data(), 1, n));
  sparq::kernel::reference::gemm(av, wq.view(), sparq::matrix_view<float>(ref.data(), 1, n));
  for (std::size_t j = 0; j < n; ++j) ok = ok && std::fabs(c[j] - ref[j]) <= 1e-4f * (1.0f + std::fabs(ref[j]));

  std::printf("sparq %d.%d.%d consumer (gemm kernels: %s): %s\n", SPARQ_VERSION_MAJOR, SPARQ_VERSION_MINOR,
              SPARQ_VERSION_PATCH, sparq::gemm_arch<sparq::quantized_matrix<sparq::mxfp4>>().c_str(),
              ok ? "ok" : "FAILED");
  return ok ? 0 : 1;
}
