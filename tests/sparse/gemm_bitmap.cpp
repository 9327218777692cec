// SPDX-License-Identifier: Apache-2.0
// sparq::gemm on bitmap sparse weights: every value format against the reference on the dense
// reading, densities from empty to dense, empty rows, tails; corrupted metadata rejected.
#include "sparse_check.hpp"

using namespace sparq;
using namespace sparse_test;

namespace {
template <class V>
bitmap_sparse_matrix<V> make_bitmap(std::vector<float> const& w, std::size_t n, std::size_t k, keep_rule rule) {
  auto s = prune_bitmap(matrix_view<float const>{w.data(), n, k}, rule);
  if constexpr (std::is_same<V, float>::value) {
    return s;
  } else {
    return quantize<V>(s);
  }
}

template <class V>
void bitmap_grid() {
  unsigned seed = 40;
  for (std::size_t n : {std::size_t{1}, std::size_t{9}, std::size_t{66}}) {
    for (std::size_t k : {std::size_t{5}, std::size_t{64}, std::size_t{130}, std::size_t{300}}) {
      for (double density : {0.0, 0.05, 0.3, 0.7, 1.0}) {
        std::vector<float> w = gaussian(n * k, ++seed);
        if (n > 2) std::fill(w.begin() + static_cast<std::ptrdiff_t>(k), w.begin() + static_cast<std::ptrdiff_t>(2 * k), 0.0f);
        auto const s = make_bitmap<V>(w, n, k, density == 0.3 ? keep_rule::threshold(1.0f) : keep_rule::density(density));
        for (std::size_t m : {std::size_t{1}, std::size_t{3}, std::size_t{17}}) check_gemm(s, m, ++seed);
        if constexpr (!is_block_format_v<V> && supports_int8_activations_v<V>) check_int8(s, 2, ++seed);
      }
    }
  }
}
}  // namespace

using bitmap_value_formats =
    std::tuple<float, bfloat16, float16, float8_e4m3fn, int8, int4, float4_e2m1fn, mxfp4, nvfp4, uint4_group_zp<32>>;

TEMPLATE_LIST_TEST_CASE("bitmap gemm with every value format matches the reference", "[sparse][bitmap]",
                        bitmap_value_formats) {
  bitmap_grid<TestType>();
}

TEST_CASE("prune_bitmap keeps round(d * K) per row or every |w| > t", "[sparse][bitmap]") {
  std::vector<float> w = {0.5f, -2, 1, 3, 0, -1, 0, 0, 1, 1};  // 2 x 5
  auto const d = prune_bitmap(matrix_view<float const>{w.data(), 2, 5}, keep_rule::density(0.4));
  std::vector<float> out(10);
  densify(d, matrix_view<float>{out.data(), 2, 5});
  CHECK(out == std::vector<float>{0, -2, 0, 3, 0, -1, 0, 0, 1, 0});  // ties: the lower index
  auto const t = prune_bitmap(matrix_view<float const>{w.data(), 2, 5}, keep_rule::threshold(0.9f));
  densify(t, matrix_view<float>{out.data(), 2, 5});
  CHECK(out == std::vector<float>{0, -2, 1, 3, 0, -1, 0, 0, 1, 1});
  CHECK_THROWS_WITH(prune_bitmap(matrix_view<float const>{w.data(), 2, 5}, keep_rule::density(1.5)),
                    Catch::Contains("'rule'"));
}

TEST_CASE("bitmap metadata from bytes is checked", "[sparse][bitmap]") {
  using V = bitmap_sparse_matrix_view<float>;
  std::vector<float> vals = {1, 2, 3};
  std::vector<std::uint64_t> masks = {0x5, 0x1};       // 2 rows, K = 10
  std::vector<std::uint64_t> offsets = {0, 2, 3};
  matrix_view<float const> const v{vals.data(), 1, 3};
  CHECK_NOTHROW(V(v, masks.data(), offsets.data(), 2, 10));
  std::vector<std::uint64_t> past = {0x5, 0x401};  // bit 10 is past K
  CHECK_THROWS_WITH(V(v, past.data(), offsets.data(), 2, 10), Catch::Contains("row 1") && Catch::Contains("past K"));
  std::vector<std::uint64_t> bad = {0, 1, 3};
  CHECK_THROWS_WITH(V(v, masks.data(), bad.data(), 2, 10), Catch::Contains("row 0") && Catch::Contains("offsets"));
  std::vector<std::uint64_t> first = {1, 2, 3};
  CHECK_THROWS_WITH(V(v, masks.data(), first.data(), 2, 10), Catch::Contains("offsets[0]"));
  matrix_view<float const> const shorter{vals.data(), 1, 2};
  CHECK_THROWS_WITH(V(shorter, masks.data(), offsets.data(), 2, 10), Catch::Contains("'values'"));
  CHECK_THROWS_WITH(V(v, nullptr, offsets.data(), 2, 10), Catch::Contains("'masks'"));
}
