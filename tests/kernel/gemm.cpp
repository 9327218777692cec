// SPDX-License-Identifier: Apache-2.0
// sparq::gemm, exact mode: plain weights, the dequantize path for other block sizes, NaN, shape
// errors, the workspace. The format grids are in gemm_block.cpp and gemm_element.cpp.
#include "gemm_check.hpp"

using namespace sparq;
using namespace gemm_test;
TEST_CASE("gemm with a block size the chunked kernels do not cover (dequantize path)", "[kernel][gemm]") {
  using odd = block_format<int4, float, 48, scale_rule::absmax>;
  check_shape<odd, float>(3, 5, 100, {}, 3);
  check_shape<odd, float>(9, 7, 96, {}, 4);
}

TEST_CASE("gemm with plain float, bfloat16 and float16 weights, strided, beta 0 ignoring NaN in C", "[kernel][gemm]") {
  for (std::size_t m : {1, 3, 9}) {
    std::size_t const n = 4, k = 37;
    std::vector<float> a = gaussian(m * 40, 1), w = gaussian(n * 40, 2);
    std::vector<bfloat16> wb(w.size());
    std::vector<float16> wh(w.size());
    convert_n(w.data(), w.size(), wb.data());
    convert_n(w.data(), w.size(), wh.data());
    std::vector<float> c(m * 8, std::numeric_limits<float>::quiet_NaN()), ref(m * 8, 0.0f);
    matrix_view<float const> const av{a.data(), m, k, 40};
    auto run = [&](auto const& wv) {
      std::fill(c.begin(), c.end(), std::numeric_limits<float>::quiet_NaN());
      gemm(av, wv, matrix_view<float>{c.data(), m, n, 8});
      kernel::reference::gemm(av, wv, matrix_view<float>{ref.data(), m, n, 8});
      for (std::size_t i = 0; i < m; ++i) {
        for (std::size_t j = 0; j < n; ++j) CHECK(c[i * 8 + j] == Approx(ref[i * 8 + j]).epsilon(1e-5).margin(1e-5));
        for (std::size_t j = n; j < 8; ++j) CHECK(std::isnan(c[i * 8 + j]));  // outside C: untouched
      }
    };
    run(matrix_view<float const>{w.data(), n, k, 40});
    run(matrix_view<bfloat16 const>{wb.data(), n, k, 40});
    run(matrix_view<float16 const>{wh.data(), n, k, 40});
  }
}

TEST_CASE("gemm rejects mismatched shapes and leaves C untouched", "[kernel][gemm]") {
  std::vector<float> a(6, 1.0f), w(20, 1.0f), c(8, -1.0f);
  auto const q = quantize<mxfp4>(matrix_view<float const>{w.data(), 4, 5});
  CHECK_THROWS_WITH(gemm(matrix_view<float const>{a.data(), 2, 3}, q.view(), matrix_view<float>{c.data(), 2, 4}),
                    Catch::Contains("sparq::gemm: argument 'W' is 4 x 5"));
  CHECK_THROWS_WITH(gemm(matrix_view<float const>{a.data(), 2, 5}, prepack(q), matrix_view<float>{c.data(), 4, 2}),
                    Catch::Contains("argument 'C' is 4 x 2, expected M x N = 2 x 4"));
  for (float v : c) CHECK(v == -1.0f);
}

TEST_CASE("gemm names the argument whose inline view is invalid, C untouched", "[kernel][gemm]") {
  std::vector<float> a(4 * 200, 1.0f), w(3 * 200, 1.0f), c(4 * 3, -1.0f);
  auto const q = quantize<mxfp4>(matrix_view<float const>{w.data(), 3, 200});
  CHECK_THROWS_WITH(gemm(matrix_view<float const>{a.data(), 4, 200, 100}, q, matrix_view<float>{c.data(), 4, 3}),
                    Catch::Contains("sparq::gemm: argument 'A' (a 4 x 200 view): ld is 100, expected at least cols = 200"));
  CHECK_THROWS_WITH(gemm(matrix_view<float const>{a.data(), 4, 200}, q, matrix_view<float>{c.data(), 4, 3, 2}),
                    Catch::Contains("sparq::gemm: argument 'C' (a 4 x 3 view): ld is 2"));
  CHECK_THROWS_WITH(gemm(matrix_view<float const>{a.data(), 4, 200}, matrix_view<float const>{nullptr, 3, 200},
                         matrix_view<float>{c.data(), 4, 3}),
                    Catch::Contains("argument 'W' (a 3 x 200 view): data is null"));
  CHECK_THROWS_WITH(kernel::reference::gemm(matrix_view<float const>{a.data(), 4, 200, 7}, q.view(),
                                            matrix_view<float>{c.data(), 4, 3}),
                    Catch::Contains("sparq::reference::gemm: argument 'A'"));
  for (float v : c) CHECK(v == -1.0f);
}

TEST_CASE("gemm with a caller workspace allocates it once and gives the same results", "[kernel][gemm]") {
  std::size_t const m = 9, n = 13, k = 96;
  std::vector<float> a = gaussian(m * k, 1), w = gaussian(n * k, 2), c1(m * n), c2(m * n);
  auto const q = quantize<nvfp4>(matrix_view<float const>{w.data(), n, k});
  gemm_workspace ws;
  gemm_options o;
  o.workspace = &ws;
  gemm(matrix_view<float const>{a.data(), m, k}, q, matrix_view<float>{c1.data(), m, n}, o);
  std::size_t const bytes = ws.bytes();
#if SPARQ_SIMD
  CHECK(bytes > 0);  // the scalar path (SPARQ_NO_SIMD) needs no scratch
#endif
  gemm(matrix_view<float const>{a.data(), m, k}, q, matrix_view<float>{c2.data(), m, n}, o);
  CHECK(ws.bytes() == bytes);
  CHECK(same(c1, c2));
}
