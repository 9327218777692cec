// SPDX-License-Identifier: Apache-2.0
// Shared by the gemm tests: the exact-mode check of one shape against the reference (bound
// derived from K and float epsilon), run under several executors and the prepacked layout.
#pragma once

#include <catch2/catch.hpp>

#include <cfloat>
#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include <sparq/quantize/quantize.hpp>
#include <sparq/kernel/reference/gemm.hpp>
#include <sparq/core/openmp_executor.hpp>
#include <sparq/format/all.hpp>
#include <sparq/kernel/gemm.hpp>

#include "../support/random.hpp"

namespace gemm_test {
using namespace sparq;

using sparq::test::gaussian;

/// max over C of |c - ref| / bound, bound = 2 K eps |alpha| sum|a w| + 4 eps (|ref| + |beta c0| + |bias|).
template <class TA>
double worst_ratio(matrix_view<TA const> const& a, std::vector<float> const& wd, std::size_t n,
                   matrix_view<float const> const& c, matrix_view<float const> const& ref,
                   matrix_view<float const> const& c0, gemm_options const& o) {
  std::size_t const m = a.rows(), k = a.cols();
  double worst = 0;
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      double s = 0;
      for (std::size_t p = 0; p < k; ++p) s += std::fabs(double(float(a(i, p))) * wd[j * k + p]);
      double const bound = 2.0 * double(k) * FLT_EPSILON * std::fabs(o.alpha) * s +
                           4.0 * FLT_EPSILON *
                               (std::fabs(ref(i, j)) + std::fabs(o.beta * c0(i, j)) + (o.bias ? std::fabs(o.bias[j]) : 0.0)) +
                           1e-30;
      worst = std::max(worst, std::fabs(double(c(i, j)) - ref(i, j)) / bound);
    }
  }
  return worst;
}

inline bool same(std::vector<float> const& x, std::vector<float> const& y) {
  return std::memcmp(x.data(), y.data(), x.size() * sizeof(float)) == 0;
}

/// A (offset 3, ld K + 5) and C (offset 2, ld N + 3) inside larger buffers; W rows 1.. of a
/// quantized matrix with one more row (a view that does not start at the container's start).
template <class F, class TA>
void check_shape(std::size_t m, std::size_t n, std::size_t k, gemm_options o, unsigned seed) {
  std::size_t const lda = k + 5, ldc = n + 3;
  std::vector<float> const af = gaussian(m * lda + 3, seed), wf = gaussian((n + 1) * k, seed + 1);
  std::vector<TA> abuf(af.size());
  convert_n(af.data(), af.size(), abuf.data());
  matrix_view<TA const> const av{abuf.data() + 3, m, k, lda};
  auto const q = quantize<F>(matrix_view<float const>{wf.data(), n + 1, k});
  quantized_matrix_view<F> const full = q.view();
  quantized_matrix_view<F> const w(full.code_row(1), full.scale_row(1), full.zeros() ? full.zero_row(1) : nullptr, n, k,
                                   full.tensor_decode());
  std::vector<float> wd(n * k);
  dequantize(w, matrix_view<float>{wd.data(), n, k});
  std::vector<float> const c0 = gaussian(m * ldc + 2, seed + 2);
  std::vector<float> bias = gaussian(n, seed + 3);
  if (o.bias != nullptr) o.bias = bias.data();
  std::vector<float> c = c0, ref = c0, pool = c0, omp = c0, pre = c0;
  auto cv = [&](std::vector<float>& x) { return matrix_view<float>{x.data() + 2, m, n, ldc}; };
  gemm(av, w, cv(c), o);
  gemm(av, w, cv(pool), o, thread_pool{2});
  gemm(av, w, cv(omp), o, openmp_executor{});
  kernel::reference::gemm(av, w, cv(ref), o.alpha, o.beta, o.bias);
  INFO("M " << m << " N " << n << " K " << k);
  CHECK(worst_ratio(av, wd, n, cv(c), cv(ref), matrix_view<float const>{c0.data() + 2, m, n, ldc}, o) <= 1.0);
  CHECK(same(c, pool));
  CHECK(same(c, omp));
  if constexpr (sparq::supports_prepack_v<F>) {
    gemm(av, prepack(w), cv(pre), o, thread_pool{2});
    CHECK(same(c, pre));
  }
  // Outside C's rows: untouched (every computed copy).
  for (auto const* x : {&c, &pool, &omp, &pre}) {
    for (std::size_t i = 0; i < m; ++i) {
      for (std::size_t j = n; j < ldc && 2 + i * ldc + j < x->size(); ++j) {
        CHECK((*x)[2 + i * ldc + j] == c0[2 + i * ldc + j]);
      }
    }
    for (std::size_t x0 = 0; x0 < 2; ++x0) CHECK((*x)[x0] == c0[x0]);
  }
}

template <class F>
void grid() {
  auto const m = GENERATE(1, 2, 3, 7, 16, 33);
  auto const n = GENERATE(1, 5, 64, 67);
  auto const k = GENERATE(32, 96, 4096, 200);
  gemm_options o;
  if ((m + n) % 2 == 1) {  // half the grid with alpha, beta and bias
    o.alpha = -0.75f;
    o.beta = 0.5f;
    o.bias = reinterpret_cast<float const*>(&o);  // replaced by check_shape
  }
  check_shape<F, float>(static_cast<std::size_t>(m), static_cast<std::size_t>(n), static_cast<std::size_t>(k), o, 17);
}

using sparq::block_formats;

}  // namespace gemm_test
