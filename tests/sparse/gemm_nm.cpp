// SPDX-License-Identifier: Apache-2.0
// sparq::gemm on N:M sparse weights: every pattern and value format against the reference on the
// dense reading, shapes with tails (K not a multiple of M, 32, 64 or the block; N odd; M = 1, 3,
// 17), exact and int8_activations, serial == thread_pool.
#include "sparse_check.hpp"

using namespace sparq;
using namespace sparse_test;

namespace {
template <std::size_t N, std::size_t M, class V>
nm_sparse_matrix<N, M, V> make_nm(std::size_t n, std::size_t k, unsigned seed) {
  std::vector<float> w = gaussian(n * k, seed);
  auto s = prune_nm<N, M>(matrix_view<float const>{w.data(), n, k});
  if constexpr (std::is_same<V, float>::value) {
    return s;
  } else {
    return quantize<V>(s);
  }
}

template <std::size_t N, std::size_t M, class V>
void nm_grid() {
  unsigned seed = 10;
  for (std::size_t n : {std::size_t{1}, std::size_t{7}, std::size_t{70}}) {
    for (std::size_t k : {std::size_t{3}, std::size_t{67}, std::size_t{200}, std::size_t{512}}) {
      auto const s = make_nm<N, M, V>(n, k, ++seed);
      for (std::size_t m : {std::size_t{1}, std::size_t{3}, std::size_t{17}}) check_gemm(s, m, ++seed);
      if constexpr (supports_int8_activations_v<V>) {
        for (std::size_t m : {std::size_t{1}, std::size_t{5}}) check_int8(s, m, ++seed);
      }
    }
  }
}
}  // namespace

using nm_value_formats = std::tuple<float, bfloat16, float16, float8_e4m3fn, float8_e5m2, int8, int4, float4_e2m1fn,
                                    mxfp4, mxfp8_e4m3, nvfp4, int4_group<128>, int8_group<32>, uint4_group_zp<32>>;

TEMPLATE_LIST_TEST_CASE("2:4 gemm with every value format matches the reference", "[sparse][nm]", nm_value_formats) {
  nm_grid<2, 4, TestType>();
}

TEST_CASE("N:M patterns 1:2, 1:4, 2:8, 4:8, 3:8, 8:16 and 1:16 match the reference", "[sparse][nm]") {
  nm_grid<1, 2, float>();
  nm_grid<1, 4, mxfp4>();
  nm_grid<2, 8, bfloat16>();
  nm_grid<4, 8, nvfp4>();
  nm_grid<3, 8, int8>();
  nm_grid<8, 16, float>();
  nm_grid<1, 16, int4>();
}

TEST_CASE("2:4 gemm: epilogue options and bfloat16 activations", "[sparse][nm]") {
  auto const s = make_nm<2, 4, mxfp4>(33, 130, 3);
  std::vector<float> bias = gaussian(33, 4);
  gemm_options o;
  o.alpha = 0.5f;
  o.beta = 2.0f;
  o.bias = bias.data();
  for (std::size_t m : {std::size_t{1}, std::size_t{4}, std::size_t{9}}) check_gemm(s, m, 5, o);
  std::vector<float> a = gaussian(2 * 130, 6);
  std::vector<bfloat16> ab(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) ab[i] = bfloat16(a[i]);
  std::vector<float> c(2 * 33), ref(2 * 33);
  gemm(matrix_view<bfloat16 const>{ab.data(), 2, 130}, s, matrix_view<float>{c.data(), 2, 33});
  std::vector<float> const wd = dense_of(s.view());
  kernel::reference::gemm(matrix_view<bfloat16 const>{ab.data(), 2, 130}, matrix_view<float const>{wd.data(), 33, 130},
                          matrix_view<float>{ref.data(), 2, 33});
  for (std::size_t i = 0; i < c.size(); ++i) CHECK(std::fabs(c[i] - ref[i]) <= 1e-4f * (1.0f + std::fabs(ref[i])));
}

TEST_CASE("prune_nm keeps the N largest magnitudes of each group, ties to the lower index", "[sparse][nm]") {
  // Row 0: groups {1, -3, 2, 0.5}, {4, 4, -4, 1}, {0, 0, 0, 0}; K = 10: last group {7, -8} padded.
  std::vector<float> w = {1, -3, 2, 0.5f, 4, 4, -4, 1, 7, -8};
  auto const s = prune_nm<2, 4>(matrix_view<float const>{w.data(), 1, 10});
  std::vector<float> d(10);
  densify(s, matrix_view<float>{d.data(), 1, 10});
  std::vector<float> const want = {0, -3, 2, 0, 4, 4, 0, 0, 7, -8};
  CHECK(d == want);
  CHECK(s.view().index(0, 0) == 1);
  CHECK(s.view().index(0, 1) == 2);
  CHECK(s.view().index(0, 4) == 0);  // the last group keeps both real columns
  CHECK(s.view().index(0, 5) == 1);
  // Wanda-style column weights change the choice.
  std::vector<float> scale = {10, 1, 1, 1, 1, 1, 1, 1, 1, 1};
  nm_prune_options o;
  o.column_scale = scale.data();
  auto const t = prune_nm<2, 4>(matrix_view<float const>{w.data(), 1, 10}, o);
  CHECK(t.view().index(0, 0) == 0);
  CHECK(t.view().index(0, 1) == 1);
}

TEST_CASE("N:M metadata from bytes is checked", "[sparse][nm]") {
  std::vector<float> vals(2 * 4, 1.0f);
  matrix_view<float const> const v{vals.data(), 2, 4};
  // 2:4, K = 8: fields of row 0 = {0, 1, 2, 3}, row 1 = {3, 1, ...} (decreasing).
  std::vector<std::uint8_t> idx = {static_cast<std::uint8_t>(0 | (1 << 2) | (2 << 4) | (3 << 6)),
                                   static_cast<std::uint8_t>(3 | (1 << 2) | (0 << 4) | (3 << 6))};
  matrix_view<float const> const v1{vals.data(), 1, 4};
  using V = nm_sparse_matrix_view<2, 4, float>;
  CHECK_NOTHROW(V(v1, idx.data(), 1, 8));
  CHECK_THROWS_WITH(V(v, idx.data(), 2, 8), Catch::Contains("row 1") && Catch::Contains("strictly increasing"));
  std::vector<std::uint8_t> dup = {static_cast<std::uint8_t>(1 | (1 << 2) | (0 << 4) | (3 << 6))};
  CHECK_THROWS_WITH(V(v1, dup.data(), 1, 8), Catch::Contains("row 0") && Catch::Contains("group 0"));
  CHECK_THROWS_WITH(V(v1, idx.data(), 1, 12), Catch::Contains("'values'"));
  CHECK_THROWS_WITH(V(v1, nullptr, 1, 8), Catch::Contains("'indices'"));
}
