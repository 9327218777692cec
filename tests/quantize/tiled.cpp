// SPDX-License-Identifier: Apache-2.0
// 2-D tiled scales (FP8 E4M3 codes, one float scale per 128 x 128 tile, DeepSeek-V3's layout):
// the quantizer against the rule computed here with the independent codec reference, dequantize,
// sparq::gemm on the view and its prepacked form against a double product, on shapes with tails
// in both directions, and bad scales named by tile.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include <sparq/kernel/gemm.hpp>
#include <sparq/kernel/source/layouts.hpp>
#include <sparq/quantize/tiled.hpp>

#include "../support/gemm_check.hpp"
#include "../support/reference.hpp"

using namespace sparq;

namespace {

std::vector<float> weights(std::size_t n, std::size_t k, unsigned seed) {
  std::vector<float> w(n * k);
  std::mt19937 g(seed);
  std::normal_distribution<float> d(0.0f, 0.05f);
  for (auto& v : w) v = d(g);
  for (std::size_t i = 0; i < w.size(); i += 211) w[i] *= 300.0f;  // outliers
  return w;
}

/// The rule, one tile at a time: s = amax / 448, code = e4m3(x / s) (nearest even, saturated).
void check_against_rule(tiled_matrix<fp8_group<128>, 128> const& q, std::vector<float> const& w) {
  std::size_t const n = q.rows(), k = q.cols();
  auto const v = q.view();
  for (std::size_t ti = 0; ti < q.row_tiles(); ++ti) {
    for (std::size_t tj = 0; tj < q.col_tiles(); ++tj) {
      float amax = 0.0f;
      bool special = false;
      for (std::size_t r = ti * 128; r < std::min(n, ti * 128 + 128); ++r) {
        for (std::size_t c = tj * 128; c < std::min(k, tj * 128 + 128); ++c) {
          special = special || !std::isfinite(w[r * k + c]);
          amax = std::max(amax, std::fabs(w[r * k + c]));
        }
      }
      float const s = v.scales()[ti * q.col_tiles() + tj];
      INFO("tile " << ti << ", " << tj);
      if (special) {
        REQUIRE(std::isnan(s));
      } else {
        REQUIRE(s == amax / 448.0f);
      }
      for (std::size_t r = ti * 128; r < std::min(n, ti * 128 + 128); ++r) {
        for (std::size_t c = tj * 128; c < std::min(k, tj * 128 + 128); ++c) {
          std::uint32_t const want = s > 0.0f ? test::ref_encode<float8_e4m3fn>(
                                                    w[r * k + c] / s, test::ref_round::nearest_even, false, 0)
                                              : 0u;
          REQUIRE(v.code_row(r)[c] == want);
        }
      }
    }
  }
}

}  // namespace

TEST_CASE("quantize_tiled: one amax / 448 scale per 128 x 128 tile, codes by the E4M3 reference",
          "[quantize][tiled]") {
  for (auto shape :
       {std::pair<std::size_t, std::size_t>{1, 1}, {130, 300}, {128, 128}, {257, 129}, {3, 520}}) {
    std::size_t const n = shape.first, k = shape.second;
    std::vector<float> w = weights(n, k, static_cast<unsigned>(n * 7 + k));
    if (n > 128 && k > 128) {
      w[0] = std::numeric_limits<float>::quiet_NaN();  // tile (0, 0): NaN scale, zero codes
      for (std::size_t r = 128; r < std::min<std::size_t>(n, 256); ++r) {
        for (std::size_t c = 128; c < std::min<std::size_t>(k, 256); ++c)
          w[r * k + c] = 0.0f;  // tile (1, 1): zeros
      }
    }
    INFO(n << " x " << k);
    auto const q = quantize_tiled<fp8_group<128>, 128>(matrix_view<float const>(w.data(), n, k));
    auto const q2 =
        quantize_tiled<fp8_group<128>, 128>(matrix_view<float const>(w.data(), n, k), thread_executor{2});
    REQUIRE(q.row_tiles() == (n + 127) / 128);
    REQUIRE(q.col_tiles() == (k + 127) / 128);
    check_against_rule(q, w);
    REQUIRE(std::memcmp(q.view().codes(), q2.view().codes(), n * k) == 0);
    std::vector<float> d(n * k);
    dequantize(q, matrix_view<float>(d.data(), n, k));
    for (std::size_t r = 0; r < n; ++r) {
      for (std::size_t c = 0; c < k; ++c) {
        float const want = static_cast<float>(test::ref_value<float8_e4m3fn>(q.view().code_row(r)[c])) *
                           q.view().scale_row(r)[c / 128];
        REQUIRE(std::memcmp(&d[r * k + c], &want, 4) == 0);
      }
    }
  }
}

TEST_CASE("gemm on 128 x 128 FP8 tiles and their prepacked form matches the double product",
          "[kernel][tiled]") {
  for (auto shape : {std::pair<std::size_t, std::size_t>{130, 300}, {257, 129}, {5, 40}, {128, 256}}) {
    std::size_t const n = shape.first, k = shape.second;
    std::vector<float> const w = weights(n, k, 3);
    auto const q = quantize_tiled<fp8_group<128>, 128>(matrix_view<float const>(w.data(), n, k));
    std::vector<float> d(n * k);
    dequantize(q, matrix_view<float>(d.data(), n, k));
    auto const p = prepack(q);
    std::mt19937 g(9);
    for (std::size_t m : {std::size_t{1}, std::size_t{3}, std::size_t{17}}) {
      std::vector<float> a(m * k), cv(m * n), cp(m * n), ca(m * n);
      for (auto& x : a) x = std::uniform_real_distribution<float>(-1.0f, 1.0f)(g);
      matrix_view<float const> const av(a.data(), m, k);
      gemm<default_arch>(av, q, matrix_view<float>(cv.data(), m, n));
      gemm<default_arch>(av, p, matrix_view<float>(cp.data(), m, n));
      gemm(av, q.view(), matrix_view<float>(ca.data(), m, n));  // the default entry
      INFO(n << " x " << k << ", M = " << m);
      CHECK(cv == cp);
      REQUIRE(sparq_test::gemm_bound(a, d, cv, m, n, k, "view") == "");
      REQUIRE(sparq_test::gemm_bound(a, d, ca, m, n, k, "default entry") == "");
    }
  }
}

TEST_CASE("tiled_matrix_view: bad scales and buffers are named", "[tiled][hostile]") {
  std::vector<std::uint8_t> codes(200 * 300, 0x38);
  std::vector<float> scales(2 * 3, 0.5f);
  CHECK_NOTHROW(fp8_block128_view(codes.data(), scales.data(), 200, 300));
  scales[4] = std::numeric_limits<float>::quiet_NaN();
  CHECK_THROWS_WITH(fp8_block128_view(codes.data(), scales.data(), 200, 300),
                    Catch::Contains("tile (1, 1) is nan"));
  scales[4] = -1.0f;
  CHECK_THROWS_WITH(fp8_block128_view(codes.data(), scales.data(), 200, 300),
                    Catch::Contains("tile (1, 1) is -1"));
  CHECK_THROWS_AS(fp8_block128_view(nullptr, scales.data(), 200, 300), invalid_argument);
  auto const* odd = reinterpret_cast<float const*>(reinterpret_cast<std::uint8_t const*>(scales.data()) + 1);
  CHECK_THROWS_WITH(fp8_block128_view(trusted_scales, codes.data(), odd, 200, 300),
                    Catch::Contains("'scales'"));
  std::vector<float> out(10);
  auto const q = quantize_tiled<fp8_group<128>, 128>(matrix_view<float const>(out.data(), 2, 5));
  CHECK_THROWS_WITH(dequantize(q, matrix_view<float>(out.data(), 5, 2)),
                    Catch::Contains("argument 'out' is 5 x 2"));
  std::vector<float> a(5), c(2);
  gemm_options o;
  o.mode = compute_mode::int8_activations;
  CHECK_THROWS_AS(gemm(matrix_view<float const>(a.data(), 1, 5), q, matrix_view<float>(c.data(), 1, 2), o),
                  unsupported);
}
