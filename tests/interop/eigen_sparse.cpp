// SPDX-License-Identifier: Apache-2.0
// Eigen sparse interop: sparse layouts to Eigen::SparseMatrix and back, same entries.
#include <Eigen/SparseCore>
#include <catch2/catch.hpp>

#include <sparq/interop/eigen.hpp>
#include <sparq/sparq.hpp>

#include "../support/random.hpp"

using namespace sparq;

TEST_CASE("bitmap and N:M layouts round-trip through Eigen::SparseMatrix", "[interop][sparse]") {
  std::size_t const n = 9, k = 150;
  std::vector<float> w = test::gaussian(n * k, 3);
  auto const b = prune_bitmap(matrix_view<float const>{w.data(), n, k}, keep_rule::density(0.2));
  eigen_csr const e = to_eigen(b);
  std::vector<float> d(n * k), back(n * k);
  densify(b, matrix_view<float>{d.data(), n, k});
  CHECK(static_cast<std::size_t>(e.nonZeros()) == 9 * 30);
  for (std::size_t r = 0; r < n; ++r) {
    for (std::size_t c = 0; c < k; ++c) CHECK(e.coeff(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) == d[r * k + c]);
  }
  auto const b2 = bitmap_from_eigen(e);
  densify(b2, matrix_view<float>{back.data(), n, k});
  CHECK(back == d);

  auto const s = prune_nm<2, 4>(matrix_view<float const>{w.data(), n, k});
  densify(s, matrix_view<float>{d.data(), n, k});
  auto const s2 = nm_from_eigen<2, 4>(to_eigen(s));
  densify(s2, matrix_view<float>{back.data(), n, k});
  CHECK(back == d);
  CHECK_THROWS_WITH((nm_from_eigen<1, 4>(to_eigen(s))), Catch::Contains("more than N = 1"));

  auto const q = quantize<mxfp4>(s);  // formats: values as float
  eigen_csr const eq = to_eigen(q);
  densify(q, matrix_view<float>{d.data(), n, k});
  for (std::size_t r = 0; r < n; ++r) {
    for (std::size_t c = 0; c < k; ++c) CHECK(eq.coeff(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) == d[r * k + c]);
  }
}
