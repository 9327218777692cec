// SPDX-License-Identifier: Apache-2.0
// compute_mode::int8_activations: against kernel::reference::gemm_int8 within float rounding of
// the per-chunk scaling, against exact mode within A's rounding bound, prepacked == canonical,
// serial == thread_pool bit for bit; formats without an int8 image are refused.
#include <catch2/catch.hpp>

#include <cfloat>
#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include <sparq/format/all.hpp>
#include <sparq/quantize/quantize.hpp>
#include <sparq/kernel/reference/gemm.hpp>
#include <sparq/kernel/gemm.hpp>
#include <sparq/kernel/reference/gemm_int8.hpp>

#include "../support/random.hpp"

using namespace sparq;

namespace {

using sparq::test::gaussian;

template <class F, class TA>
void check_int8(std::size_t m, std::size_t n, std::size_t k, unsigned seed) {
  std::vector<float> const af = gaussian(m * k, seed), wf = gaussian(n * k, seed + 1);
  std::vector<TA> a(m * k);
  convert_n(af.data(), af.size(), a.data());
  matrix_view<TA const> const av{a.data(), m, k};
  auto const q = quantize<F>(matrix_view<float const>{wf.data(), n, k});
  std::vector<float> wd(n * k);
  dequantize(q, matrix_view<float>{wd.data(), n, k});
  gemm_options o;
  o.mode = compute_mode::int8_activations;
  std::vector<float> c(m * n), ref(m * n), exact(m * n), par(m * n), pre(m * n);
  gemm(av, q.view(), matrix_view<float>{c.data(), m, n}, o);
  gemm(av, q.view(), matrix_view<float>{par.data(), m, n}, o, thread_pool{2});
  gemm(av, prepack(q), matrix_view<float>{pre.data(), m, n}, o);
  kernel::reference::gemm_int8(av, q.view(), matrix_view<float>{ref.data(), m, n});
  kernel::reference::gemm(av, q.view(), matrix_view<float>{exact.data(), m, n});
  INFO("M " << m << " N " << n << " K " << k);
  CHECK(std::memcmp(c.data(), par.data(), c.size() * sizeof(float)) == 0);
  CHECK(std::memcmp(c.data(), pre.data(), c.size() * sizeof(float)) == 0);
  double worst_ref = 0, worst_exact = 0;
  for (std::size_t i = 0; i < m; ++i) {
    // A's rounding: |a - q d| <= d / 2 with d = amax(block) / 127.
    std::vector<double> half_step(k);
    for (std::size_t p0 = 0; p0 < k; p0 += 32) {
      double amax = 0;
      for (std::size_t p = p0; p < k && p < p0 + 32; ++p) amax = std::max(amax, std::fabs(double(float(av(i, p)))));
      for (std::size_t p = p0; p < k && p < p0 + 32; ++p) half_step[p] = amax / 127.0 / 2.0;
    }
    for (std::size_t j = 0; j < n; ++j) {
      double mag = 0, round = 0;
      for (std::size_t p = 0; p < k; ++p) {
        double const w = std::fabs(wd[j * k + p]);
        mag += (std::fabs(double(float(av(i, p)))) + half_step[p]) * w;
        round += half_step[p] * w;
      }
      double const fl = 2.0 * (double(k) / 16.0 + 8.0) * FLT_EPSILON * mag + 1e-30;
      worst_ref = std::max(worst_ref, std::fabs(double(c[i * n + j]) - ref[i * n + j]) / fl);
      worst_exact = std::max(worst_exact, std::fabs(double(c[i * n + j]) - exact[i * n + j]) / (round + fl));
    }
  }
  CHECK(worst_ref <= 1.0);
  CHECK(worst_exact <= 1.0);
}

}  // namespace

TEMPLATE_TEST_CASE("int8_activations matches its reference and exact mode within the derived bounds", "[kernel][int8]",
                   mxfp4, nvfp4, mxfp6_e2m3, mxint8, int4_group<32>, (int8_group<64, float>), (uint4_group_zp<128, float16>),
                   int8, int4, uint4, int2, uint2, float4_e2m1fn, float6_e2m3fn, int4_group<16>, (int4_group<32, bfloat16>),
                   (block_format<float4_e2m1fn, float8_e8m0fnu, 16, scale_rule::ocp_floor>),
                   (mx_block<float4_e2m1fn, scale_rule::round_up>)) {
  auto const m = GENERATE(1, 2, 3, 7, 16, 33);
  auto const n = GENERATE(1, 5, 64, 67);
  auto const k = GENERATE(32, 96, 4096, 200);
  check_int8<TestType, float>(static_cast<std::size_t>(m), static_cast<std::size_t>(n), static_cast<std::size_t>(k), 9);
}

TEST_CASE("int8_activations with bfloat16 and float16 activations", "[kernel][int8]") {
  check_int8<mxfp4, bfloat16>(5, 67, 96, 1);
  check_int8<int4_group<32>, float16>(3, 5, 4096, 2);
}

TEST_CASE("int8_activations: NaN in a block of A gives NaN in that row; zero blocks give zeros", "[kernel][int8]") {
  std::size_t const m = 2, n = 3, k = 64;
  std::vector<float> a(m * k, 0.0f), w = gaussian(n * k, 4), c(m * n, 7.0f);
  a[5] = std::numeric_limits<float>::quiet_NaN();  // row 0, block 0; row 1 stays all zero
  auto const q = quantize<mxfp4>(matrix_view<float const>{w.data(), n, k});
  gemm_options o;
  o.mode = compute_mode::int8_activations;
  gemm(matrix_view<float const>{a.data(), m, k}, q.view(), matrix_view<float>{c.data(), m, n}, o);
  for (std::size_t j = 0; j < n; ++j) {
    CHECK(std::isnan(c[j]));
    CHECK(c[n + j] == 0.0f);
  }
}

TEST_CASE("int8_activations is refused for formats without an int8 image, C untouched", "[kernel][int8]") {
  std::vector<float> a(2 * 32, 1.0f), w(3 * 32, 1.0f), c(6, -1.0f);
  gemm_options o;
  o.mode = compute_mode::int8_activations;
  auto const q8 = quantize<mxfp8_e4m3>(matrix_view<float const>{w.data(), 3, 32});
  CHECK_THROWS_AS(gemm(matrix_view<float const>{a.data(), 2, 32}, q8.view(), matrix_view<float>{c.data(), 2, 3}, o),
                  unsupported);
  CHECK_THROWS_WITH(gemm(matrix_view<float const>{a.data(), 2, 32}, matrix_view<float const>{w.data(), 3, 32},
                         matrix_view<float>{c.data(), 2, 3}, o),
                    Catch::Contains("compute_mode::exact only"));
  for (float v : c) CHECK(v == -1.0f);
}
