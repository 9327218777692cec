// SPDX-License-Identifier: Apache-2.0
// The reference GEMM (exact mode) on hand-computed products, its alpha/beta/bias rules, strided
// views, quantized weights equal to their dequantized floats, and shape errors that leave C
// untouched.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include <sparq/quantize/quantize.hpp>
#include <sparq/kernel/reference/gemm.hpp>

using namespace sparq;

TEST_CASE("reference gemm computes alpha * A * W^T + beta * C + bias", "[kernel]") {
  float const a[2 * 3] = {1, 2, 3, 4, 5, 6};           // 2 x 3
  float const w[2 * 3] = {1, 0, -1, 0.5f, 0.5f, 0.5f};  // 2 x 3 (N x K)
  float c[2 * 2] = {10, 20, 30, 40};
  float const bias[2] = {100, 200};
  kernel::reference::gemm(matrix_view<float const>{a, 2, 3}, matrix_view<float const>{w, 2, 3},
                          matrix_view<float>{c, 2, 2}, 2.0f, 0.5f, bias);
  // A W^T = [[-2, 3], [-2, 7.5]]
  CHECK(c[0] == 2 * -2 + 5 + 100);
  CHECK(c[1] == 2 * 3 + 10 + 200);
  CHECK(c[2] == 2 * -2 + 15 + 100);
  CHECK(c[3] == 2 * 7.5f + 20 + 200);
}

TEST_CASE("reference gemm with beta 0 does not read C", "[kernel]") {
  float const a[2] = {1, 2}, w[2] = {3, 4};
  float c[1] = {std::numeric_limits<float>::quiet_NaN()};
  kernel::reference::gemm(matrix_view<float const>{a, 1, 2}, matrix_view<float const>{w, 1, 2}, matrix_view<float>{c, 1, 1});
  CHECK(c[0] == 11.0f);
}

TEST_CASE("reference gemm on quantized weights equals it on their dequantized floats", "[kernel]") {
  std::size_t const m = 3, n = 5, k = 70;  // K off the block size: a padded last block
  std::mt19937 g(4);
  std::normal_distribution<float> d(0.0f, 1.0f);
  std::vector<float> a(m * 80), w(n * k);  // A strided: ld 80
  for (auto& v : a) v = d(g);
  for (auto& v : w) v = d(g);
  auto const q = quantize<mxfp4>(matrix_view<float const>{w.data(), n, k});
  std::vector<float> wd(n * k);
  dequantize(q, matrix_view<float>{wd.data(), n, k});
  std::vector<float> c1(m * n), c2(m * n);
  matrix_view<float const> const av{a.data(), m, k, 80};
  kernel::reference::gemm(av, q.view(), matrix_view<float>{c1.data(), m, n});
  kernel::reference::gemm(av, matrix_view<float const>{wd.data(), n, k}, matrix_view<float>{c2.data(), m, n});
  CHECK(c1 == c2);
  // And the double-accumulated result is the correctly rounded dot product of float inputs.
  double acc = 0;
  for (std::size_t p = 0; p < k; ++p) acc += static_cast<double>(a[80 + p]) * static_cast<double>(wd[2 * k + p]);
  CHECK(c1[1 * n + 2] == static_cast<float>(acc));
}

TEST_CASE("reference gemm rejects mismatched shapes and leaves C untouched", "[kernel]") {
  std::vector<float> a(2 * 3, 1.0f), w(4 * 5, 1.0f), c(2 * 4, -1.0f);
  CHECK_THROWS_WITH(kernel::reference::gemm(matrix_view<float const>{a.data(), 2, 3}, matrix_view<float const>{w.data(), 4, 5},
                                            matrix_view<float>{c.data(), 2, 4}),
                    Catch::Contains("argument 'W' is 4 x 5, expected N x K = N x 3"));
  CHECK_THROWS_WITH(kernel::reference::gemm(matrix_view<float const>{a.data(), 2, 3}, matrix_view<float const>{w.data(), 4, 3},
                                            matrix_view<float>{c.data(), 4, 2}),
                    Catch::Contains("argument 'C' is 4 x 2, expected M x N = 2 x 4"));
  for (float v : c) CHECK(v == -1.0f);
}
