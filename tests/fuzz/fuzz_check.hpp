// SPDX-License-Identifier: Apache-2.0
// The harnesses' product check: sparq::gemm with a weight against kernel::reference::gemm on its
// dense reading (dequantize / densify), in both compute modes, within the exact-mode bound; a
// non-finite weight only runs the kernels (sanitizers watch the reads). A weight that is a sum of
// parts (dense-and-sparse: quantized + outliers) passes `magnitude`, the per-element sum of the
// parts' absolute values: the kernel adds each part's products, so its rounding error scales with
// them, not with the (possibly cancelled) dense value.
#pragma once

#include <cfloat>
#include <cmath>
#include <cstdio>
#include <cstddef>
#include <vector>

#include <sparq/kernel/gemm.hpp>
#include <sparq/kernel/reference/gemm.hpp>

#include "fuzz_input.hpp"

namespace sparq_fuzz {

template <class W>
void check_product(W const& w, std::vector<float> const& dense, std::size_t n, std::size_t k, std::size_t m,
                   std::vector<float> const& magnitude = {}) {
  std::vector<float> a(m * k);
  for (std::size_t i = 0; i < a.size(); ++i) a[i] = static_cast<float>(static_cast<int>(i * 7 % 17) - 8) * 0.125f;
  sparq::matrix_view<float const> const av(a.data(), m, k);
  std::vector<float> c(m * n), ref(m * n);
  sparq::gemm(av, w, sparq::matrix_view<float>(c.data(), m, n));
  std::vector<float> ci(m * n);
  try {
    sparq::gemm(av, w, sparq::matrix_view<float>(ci.data(), m, n),
                sparq::gemm_options{}.with_mode(sparq::compute_mode::int8_activations));
  } catch (sparq::unsupported const&) {
  }
  bool finite = true;
  for (float x : dense) finite = finite && std::isfinite(x);
  if (!finite) return;
  sparq::kernel::reference::gemm(av, sparq::matrix_view<float const>(dense.data(), n, k),
                                 sparq::matrix_view<float>(ref.data(), m, n));
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      double s = 0;
      for (std::size_t p = 0; p < k; ++p) s += std::fabs(double(a[i * k + p]) * (magnitude.empty() ? dense : magnitude)[j * k + p]);
      double const bound = 2.0 * double(k) * FLT_EPSILON * s + 4.0 * FLT_EPSILON * std::fabs(double(ref[i * n + j])) + 1e-30;
      // Float accumulation may overflow where the double reference does not: checked below 2^100.
      if (s < 0x1p100 && !(std::fabs(double(c[i * n + j]) - ref[i * n + j]) <= bound)) {
        std::fprintf(stderr, "sparq fuzz: C(%zu, %zu) = %.9g, reference %.9g, bound %.3g (M %zu N %zu K %zu)\n", i, j,
                     double(c[i * n + j]), double(ref[i * n + j]), bound, m, n, k);
        finding();
      }
    }
  }
}

}  // namespace sparq_fuzz
