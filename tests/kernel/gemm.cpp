// SPDX-License-Identifier: Apache-2.0
// sparq::gemm (exact mode) against the reference GEMM within a bound derived from K and float
// epsilon: formats x shapes with tails, float / bfloat16 / float16 activations, strided views,
// alpha / beta / bias, serial == thread_pool.
#include <catch2/catch.hpp>

#include <cfloat>
#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include <sparq/kernel/gemm.hpp>

using namespace sparq;

namespace {

std::vector<float> gaussian(std::size_t n, unsigned seed) {
  std::vector<float> x(n);
  std::mt19937 g(seed);
  std::normal_distribution<float> d(0.0f, 1.0f);
  for (auto& v : x) v = d(g);
  return x;
}

/// max over C of |c - ref| / bound, bound = 2 K eps |alpha| sum|a w| + 4 eps (|ref| + |beta c0| + |bias|).
template <class TA, class W>
double worst_ratio(matrix_view<TA const> const& a, W const& w, std::vector<float> const& wd, std::size_t n,
                   std::vector<float> const& c, std::vector<float> const& ref, std::vector<float> const& c0,
                   gemm_options const& o) {
  std::size_t const m = a.rows(), k = a.cols();
  (void)w;
  double worst = 0;
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      double s = 0;
      for (std::size_t p = 0; p < k; ++p) s += std::fabs(static_cast<double>(static_cast<float>(a(i, p))) * wd[j * k + p]);
      double const bound = 2.0 * static_cast<double>(k) * FLT_EPSILON * std::fabs(o.alpha) * s +
                           4.0 * FLT_EPSILON *
                               (std::fabs(ref[i * n + j]) + std::fabs(o.beta * c0[i * n + j]) +
                                (o.bias ? std::fabs(o.bias[j]) : 0.0)) +
                           1e-30;
      worst = std::max(worst, std::fabs(static_cast<double>(c[i * n + j]) - ref[i * n + j]) / bound);
    }
  }
  return worst;
}

template <class F, class TA>
void check_shape(std::size_t m, std::size_t n, std::size_t k, gemm_options o, bool with_bias, unsigned seed) {
  std::vector<float> const af = gaussian(m * k, seed), wf = gaussian(n * k, seed + 1);
  std::vector<TA> a(m * k);
  if constexpr (std::is_same<TA, float>::value) {
    a = af;
  } else {
    convert_n(af.data(), af.size(), a.data());
  }
  matrix_view<TA const> const av{a.data(), m, k};
  auto const q = quantize<F>(matrix_view<float const>{wf.data(), n, k});
  std::vector<float> wd(n * k);
  dequantize(q, matrix_view<float>{wd.data(), n, k});
  std::vector<float> const c0 = gaussian(m * n, seed + 2);
  std::vector<float> bias = gaussian(n, seed + 3);
  o.bias = with_bias ? bias.data() : nullptr;
  std::vector<float> c = c0, ref = c0, par = c0;
  gemm(av, q.view(), matrix_view<float>{c.data(), m, n}, o);
  kernel::reference::gemm(av, q.view(), matrix_view<float>{ref.data(), m, n}, o.alpha, o.beta, o.bias);
  gemm(av, q.view(), matrix_view<float>{par.data(), m, n}, o, thread_pool{2});
  INFO("M " << m << " N " << n << " K " << k);
  CHECK(worst_ratio(av, q, wd, n, c, ref, c0, o) <= 1.0);
  CHECK(std::memcmp(c.data(), par.data(), c.size() * sizeof(float)) == 0);
}

}  // namespace

TEMPLATE_TEST_CASE("gemm matches the reference within K * eps on shapes with tails", "[kernel]", mxfp4, nvfp4,
                   mxfp8_e4m3, mxfp6_e2m3, mxint8, int4_group<32>, (uint4_group_zp<64, float>), float8_e4m3fn, int8) {
  auto const m = GENERATE(1, 3, 16, 33);
  auto const n = GENERATE(1, 5, 67);
  auto const k = GENERATE(32, 70, 96);
  check_shape<TestType, float>(static_cast<std::size_t>(m), static_cast<std::size_t>(n), static_cast<std::size_t>(k),
                               {}, false, 17);
}

TEST_CASE("gemm applies alpha, beta and bias; bfloat16 and float16 activations", "[kernel]") {
  gemm_options o;
  o.alpha = -0.5f;
  o.beta = 2.0f;
  check_shape<mxfp4, float>(7, 64, 4096, o, true, 3);
  check_shape<mxfp4, bfloat16>(2, 67, 96, o, true, 5);
  check_shape<int4_group<128>, float16>(3, 5, 256, o, false, 7);
}

TEST_CASE("gemm with float weights, strided views and beta 0 ignoring NaN in C", "[kernel]") {
  std::size_t const m = 3, n = 4, k = 10;
  std::vector<float> a = gaussian(m * 16, 1), w = gaussian(n * 12, 2);
  std::vector<float> c(m * 8, std::numeric_limits<float>::quiet_NaN()), ref(m * 8, 0.0f);
  matrix_view<float const> const av{a.data(), m, k, 16}, wv{w.data(), n, k, 12};
  gemm(av, wv, matrix_view<float>{c.data(), m, n, 8});
  kernel::reference::gemm(av, wv, matrix_view<float>{ref.data(), m, n, 8});
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < n; ++j) CHECK(c[i * 8 + j] == Approx(ref[i * 8 + j]).epsilon(1e-5).margin(1e-6));
    for (std::size_t j = n; j < 8; ++j) CHECK(std::isnan(c[i * 8 + j]));  // outside C: untouched
  }
}

TEST_CASE("gemm rejects mismatched shapes and leaves C untouched", "[kernel]") {
  std::vector<float> a(6, 1.0f), w(20, 1.0f), c(8, -1.0f);
  auto const q = quantize<mxfp4>(matrix_view<float const>{w.data(), 4, 5});
  CHECK_THROWS_WITH(gemm(matrix_view<float const>{a.data(), 2, 3}, q.view(), matrix_view<float>{c.data(), 2, 4}),
                    Catch::Contains("sparq::gemm: argument 'W' is 4 x 5"));
  for (float v : c) CHECK(v == -1.0f);
}
