// SPDX-License-Identifier: Apache-2.0
// sparq::gemm on dense-and-sparse weights (one fused call): every mode and M against the
// reference on the dense reading; split_outliers; corrupted CSR rejected.
#include "sparse_check.hpp"

using namespace sparq;
using namespace sparse_test;

namespace {
template <class F, class O>
void outlier_grid() {
  unsigned seed = 70;
  for (std::size_t n : {std::size_t{1}, std::size_t{13}, std::size_t{64}}) {
    for (std::size_t k : {std::size_t{32}, std::size_t{100}, std::size_t{256}}) {
      std::vector<float> w = gaussian(n * k, ++seed);
      for (std::size_t x = 0; x < w.size(); x += 37) w[x] *= 40.0f;  // outliers
      auto const s = split_outliers<F, O>(matrix_view<float const>{w.data(), n, k}, keep_rule::density(0.01));
      for (std::size_t m : {std::size_t{1}, std::size_t{3}, std::size_t{17}}) check_gemm(s, m, ++seed);
      std::vector<float> bias = gaussian(n, ++seed);
      gemm_options o;
      o.bias = bias.data();
      o.activation = activation::gelu_tanh;
      // The activation applies to the whole dot, outliers included: compare with the dense
      // reading through the same entry point (plain float weights).
      std::vector<float> const wd = dense_of(s.view());
      std::vector<float> a = gaussian(5 * k, ++seed), c(5 * n), d(5 * n);
      gemm(matrix_view<float const>{a.data(), 5, k}, s, matrix_view<float>{c.data(), 5, n}, o);
      gemm(matrix_view<float const>{a.data(), 5, k}, matrix_view<float const>{wd.data(), n, k},
           matrix_view<float>{d.data(), 5, n}, o);
      for (std::size_t i = 0; i < c.size(); ++i) CHECK(std::fabs(c[i] - d[i]) <= 1e-4f * (1.0f + std::fabs(d[i])));
      if constexpr (supports_int8_activations_v<F>) {
        for (std::size_t m : {std::size_t{1}, std::size_t{6}}) check_int8(s, m, ++seed);
      }
    }
  }
}
}  // namespace

TEST_CASE("dense-and-sparse gemm matches the reference in one fused call", "[sparse][outliers]") {
  outlier_grid<mxfp4, float>();
  outlier_grid<int4_group<32>, float16>();
  outlier_grid<nvfp4, float>();
  outlier_grid<uint4_group_zp<128>, float>();
  outlier_grid<mxfp8_e4m3, float16>();
}

TEST_CASE("split_outliers takes the largest magnitudes (ties to the lower index) out of the dense part",
          "[sparse][outliers]") {
  std::vector<float> w = {1, -9, 2, 9, 0.5f, 3};  // 2 x 3
  auto const s = split_outliers<int8>(matrix_view<float const>{w.data(), 2, 3}, keep_rule::density(2.0 / 6.0));
  REQUIRE(s.nnz() == 2);
  CHECK(s.view().columns()[0] == 1);
  CHECK(s.view().columns()[1] == 0);
  CHECK(s.view().row_ptr()[1] == 1);
  CHECK(s.view().values()[0] == -9.0f);
  std::vector<float> d(6);
  densify(s, matrix_view<float>{d.data(), 2, 3});
  CHECK(d[1] == -9.0f);
  CHECK(d[3] == 9.0f);
  auto const t = split_outliers<int8>(matrix_view<float const>{w.data(), 2, 3}, keep_rule::threshold(2.5f));
  CHECK(t.nnz() == 3);
}

TEST_CASE("dense-and-sparse CSR from bytes is checked", "[sparse][outliers]") {
  std::vector<float> w(2 * 32, 1.0f);
  auto const q = quantize<int8>(matrix_view<float const>{w.data(), 2, 32});
  using V = dense_and_sparse_view<int8>;
  std::vector<std::uint64_t> rp = {0, 1, 3};
  std::vector<std::uint32_t> cols = {4, 2, 9};
  std::vector<float> vals = {1, 2, 3};
  CHECK_NOTHROW(V(q.view(), rp.data(), cols.data(), vals.data(), 3));
  CHECK_THROWS_WITH(V(q.view(), rp.data(), cols.data(), vals.data(), 2), Catch::Contains("nnz"));
  std::vector<std::uint32_t> unsorted = {4, 9, 2};
  CHECK_THROWS_WITH(V(q.view(), rp.data(), unsorted.data(), vals.data(), 3),
                    Catch::Contains("row 1") && Catch::Contains("strictly increasing"));
  std::vector<std::uint32_t> past = {4, 2, 32};
  CHECK_THROWS_WITH(V(q.view(), rp.data(), past.data(), vals.data(), 3), Catch::Contains("past K"));
  std::vector<std::uint64_t> down = {0, 2, 1};
  std::vector<std::uint32_t> sorted = {2, 4, 9};
  // row_ptr[1] = 2 lies past nnz = 1 although row_ptr[2] comes back to it: caught before row 0's
  // columns are read (they would be read past the end).
  CHECK_THROWS_WITH(V(q.view(), down.data(), sorted.data(), vals.data(), 1),
                    Catch::Contains("row 0") && Catch::Contains("past nnz = 1"));
  std::vector<float> w3(3 * 32, 1.0f);
  auto const q3 = quantize<int8>(matrix_view<float const>{w3.data(), 3, 32});
  std::vector<std::uint64_t> dips = {0, 2, 1, 2};
  CHECK_THROWS_WITH(V(q3.view(), dips.data(), sorted.data(), vals.data(), 2),
                    Catch::Contains("row 1") && Catch::Contains("decreases"));
}

TEST_CASE("gemm_grouped runs sparse layouts as one task list, bit-identical to one gemm each", "[sparse][grouped]") {
  std::size_t const k = 96, m = 3;
  std::vector<float> w1 = gaussian(300 * k, 1), w2 = gaussian(70 * k, 2), a = gaussian(m * k, 3);
  auto const d1 = split_outliers<mxfp4>(matrix_view<float const>{w1.data(), 300, k}, keep_rule::density(0.01));
  auto const d2 = split_outliers<mxfp4>(matrix_view<float const>{w2.data(), 70, k}, keep_rule::density(0.01));
  std::vector<float> c1(m * 300), c2(m * 70), g1(m * 300), g2(m * 70);
  matrix_view<float const> const av{a.data(), m, k};
  gemm(av, d1, matrix_view<float>{c1.data(), m, 300});
  gemm(av, d2, matrix_view<float>{c2.data(), m, 70});
  std::vector<gemm_problem<float const, dense_and_sparse<mxfp4>>> problems = {
      make_gemm_problem(av, d1, matrix_view<float>{g1.data(), m, 300}),
      make_gemm_problem(av, d2, matrix_view<float>{g2.data(), m, 70})};
  thread_pool pool(2);
  gemm_grouped(problems, {}, pool);
  CHECK(gemm_test::same(c1, g1));
  CHECK(gemm_test::same(c2, g2));

  auto const s1 = quantize<nvfp4>(prune_nm<2, 4>(matrix_view<float const>{w1.data(), 300, k}));
  gemm(av, s1, matrix_view<float>{c1.data(), m, 300});
  std::vector<gemm_problem<float const, nm_sparse_matrix<2, 4, nvfp4>>> nm_problems = {
      make_gemm_problem(av, s1, matrix_view<float>{g1.data(), m, 300})};
  gemm_grouped(nm_problems, {}, pool);
  CHECK(gemm_test::same(c1, g1));
}
