// SPDX-License-Identifier: Apache-2.0
// GEMM edge cases: NaN codes, NaN scales and Inf x 0 in both kernels (GEMV and panel) and both
// layouts; K = 0, M = 0, N = 0; int8_activations with alpha, beta, bias and strided views; the
// formats beyond the named lists (other scale rules, block 16 outside NVFP4, 16-bit group scales).
#include <catch2/catch.hpp>

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include <sparq/kernel/gemm.hpp>
#include <sparq/kernel/reference/gemm.hpp>
#include <sparq/kernel/reference/gemm_int8.hpp>
#include <sparq/quantize/quantize.hpp>

#include "gemm_check.hpp"

using namespace sparq;
using gemm_test::gaussian;

TEST_CASE("NaN codes and NaN scales give NaN, Inf x 0 gives NaN, in the GEMV and the panel kernel",
          "[kernel][gemm]") {
  std::size_t const n = 3, k = 64;
  float const inf = std::numeric_limits<float>::infinity();
  // float8_e4m3fn with one float scale per row: row 0 holds the NaN code 0x7F at column 3, row 1
  // is finite, row 2 is all zero codes.
  std::vector<std::uint8_t> codes(n * k, 0x38);  // 1.0
  codes[3] = 0x7F;
  for (std::size_t p = 0; p < k; ++p) codes[2 * k + p] = 0x00;
  std::vector<float> scales = {1.0f, 0.5f, 1.0f};
  quantized_matrix_view<float8_e4m3fn> const w(codes.data(), scales.data(), nullptr, n, k);
  // MX with a NaN scale in row 0.
  std::vector<float> wf = gaussian(n * k, 3);
  wf[5] = std::numeric_limits<float>::quiet_NaN();
  auto const mx = quantize<mxfp8_e4m3>(matrix_view<float const>{wf.data(), n, k});
  for (std::size_t m : {std::size_t{1}, std::size_t{7}}) {
    std::vector<float> a(m * k, 1.0f), c(m * n), cp(m * n), cm(m * n);
    a[(m - 1) * k + 10] = inf;  // the last row of A meets row 2's zeros at column 10
    matrix_view<float const> const av{a.data(), m, k};
    gemm(av, w, matrix_view<float>{c.data(), m, n});
    gemm(av, prepack(w), matrix_view<float>{cp.data(), m, n});
    gemm(av, mx, matrix_view<float>{cm.data(), m, n});
    INFO("M " << m);
    for (std::size_t i = 0; i < m; ++i) {
      CHECK(std::isnan(c[i * n + 0]));   // NaN code
      CHECK(std::isnan(cp[i * n + 0]));
      CHECK(std::isnan(cm[i * n + 0]));  // NaN scale
      bool const inf_row = i == m - 1;
      CHECK(std::isinf(c[i * n + 1]) == inf_row);  // Inf x 0.5: Inf
      CHECK(std::isnan(c[i * n + 2]) == inf_row);  // Inf x 0: NaN
      CHECK(std::isnan(cp[i * n + 2]) == inf_row);
      if (!inf_row) CHECK(c[i * n + 2] == 0.0f);
    }
  }
}

TEST_CASE("K = 0 gives beta C + bias; M = 0 and N = 0 touch nothing", "[kernel][gemm]") {
  std::vector<float> w(4 * 32, 1.0f), a(3 * 32, 1.0f), bias = {1.0f, 2.0f, 3.0f, 4.0f};
  auto const q0 = quantize<mxfp4>(matrix_view<float const>{w.data(), 4, 0});
  auto const q = quantize<mxfp4>(matrix_view<float const>{w.data(), 4, 32});
  for (auto mode : {compute_mode::exact, compute_mode::int8_activations}) {
    std::vector<float> c(3 * 4, 2.0f);
    auto const o = gemm_options{}.with_beta(0.5f).with_bias(bias.data()).with_mode(mode);
    gemm(matrix_view<float const>{a.data(), 3, 0}, q0, matrix_view<float>{c.data(), 3, 4}, o);
    for (std::size_t i = 0; i < 3; ++i) {
      for (std::size_t j = 0; j < 4; ++j) CHECK(c[i * 4 + j] == 1.0f + bias[j]);
    }
    std::vector<float> untouched(4, -3.0f);
    gemm(matrix_view<float const>{a.data(), 0, 32}, q, matrix_view<float>{untouched.data(), 0, 4}, o);
    gemm(matrix_view<float const>{a.data(), 0, 32}, prepack(q), matrix_view<float>{untouched.data(), 0, 4}, o);
    auto const none = quantize<mxfp4>(matrix_view<float const>{w.data(), 0, 32});
    gemm(matrix_view<float const>{a.data(), 3, 32}, none, matrix_view<float>{untouched.data(), 3, 0}, o);
    for (float v : untouched) CHECK(v == -3.0f);
  }
}

TEST_CASE("int8_activations with alpha, beta, bias and strided A, W and C", "[kernel][int8]") {
  std::size_t const m = 5, n = 67, k = 200, lda = k + 7, ldc = n + 3;
  std::vector<float> const af = gaussian(m * lda + 2, 1), wf = gaussian((n + 1) * k, 2), bias = gaussian(n, 3);
  std::vector<float> const c0 = gaussian(m * ldc + 1, 4);
  matrix_view<float const> const av{af.data() + 2, m, k, lda};
  auto const full = quantize<int4_group<32>>(matrix_view<float const>{wf.data(), n + 1, k});
  quantized_matrix_view<int4_group<32>> const w(full.view().code_row(1), full.view().scale_row(1), nullptr, n, k);
  auto const o = gemm_options{}
                     .with_alpha(-0.75f)
                     .with_beta(0.5f)
                     .with_bias(bias.data())
                     .with_mode(compute_mode::int8_activations);
  std::vector<float> c = c0, cp = c0, ref = c0;
  auto cv = [&](std::vector<float>& x) { return matrix_view<float>{x.data() + 1, m, n, ldc}; };
  gemm(av, w, cv(c), o);
  gemm(av, prepack(w), cv(cp), o, thread_pool{2});
  kernel::reference::gemm_int8(av, w, cv(ref), o.alpha, o.beta, o.bias);
  std::vector<float> wd(n * k);
  dequantize(w, matrix_view<float>{wd.data(), n, k});
  CHECK(gemm_test::same(c, cp));
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      double mag = 0;
      for (std::size_t p = 0; p < k; ++p) mag += (std::fabs(av(i, p)) + 0.01) * std::fabs(wd[j * k + p]);
      double const x = c[1 + i * ldc + j], r = ref[1 + i * ldc + j];
      double const bound = 2.0 * (k / 16.0 + 8.0) * FLT_EPSILON * std::fabs(o.alpha) * mag * 2.0 +
                           4.0 * FLT_EPSILON * (std::fabs(r) + std::fabs(0.5 * c0[1 + i * ldc + j]) + std::fabs(bias[j]));
      CHECK(std::fabs(x - r) <= bound);
    }
    for (std::size_t j = n; j < ldc && 1 + i * ldc + j < c.size(); ++j) CHECK(c[1 + i * ldc + j] == c0[1 + i * ldc + j]);
  }
}

/// Formats beyond the named lists: the other MX scale rules, block 16 outside NVFP4, and 16-bit
/// group scales, in exact mode over the shape grid.
using more_formats = type_list<mx_block<float4_e2m1fn, scale_rule::round_up>, mx_block<float8_e4m3fn, scale_rule::ceil>,
                               block_format<float4_e2m1fn, float8_e8m0fnu, 16, scale_rule::ocp_floor>,
                               int4_group<16>, int4_group<32, bfloat16>, int8_group<64, float16>>;

TEMPLATE_LIST_TEST_CASE("gemm matches the reference for other scale rules, block 16 and 16-bit group scales",
                        "[kernel][gemm]", more_formats) {
  gemm_test::grid<TestType>();
}
