// SPDX-License-Identifier: Apache-2.0
// The engine author's API: views of mutable data deduce, C in bfloat16 / float16, the epilogue
// (activation, residual), activations quantized once and reused, grouped GEMM, named options,
// public format traits, and weight sources an engine writes itself (offset table, a source with
// its own dot).
#include <catch2/catch.hpp>

#include <cfloat>
#include <cmath>
#include <cstring>
#include <vector>

#include <sparq/kernel/gemm.hpp>
#include <sparq/kernel/grouped.hpp>
#include <sparq/kernel/reference/gemm.hpp>
#include <sparq/kernel/source/quantized.hpp>
#include <sparq/quantize/quantize.hpp>

#include "gemm_check.hpp"

using namespace sparq;
using gemm_test::gaussian;
using gemm_test::same;

static_assert(supports_int8_activations_v<mxfp4> && supports_int8_activations_v<uint4_group_zp<128>> &&
                  supports_int8_activations_v<int8> && !supports_int8_activations_v<mxfp8_e4m3> &&
                  !supports_int8_activations_v<mxfp6_e3m2>,
              "int8 image trait");
static_assert(supports_prepack_v<nvfp4> && supports_prepack_v<int4_group<128>> &&
                  !supports_prepack_v<block_format<int4, float, 48, scale_rule::absmax>>,
              "prepack trait");
static_assert(is_weight_source_v<detail::quantized_source<mxfp4, detail::canonical_addressing<mxfp4>>> &&
                  !is_weight_source_v<int> && !is_weight_source_v<quantized_matrix<mxfp4>>,
              "weight-source detection");

TEST_CASE("views of mutable data deduce for A, W and C, and quantize takes them", "[kernel][api]") {
  std::vector<float> w = gaussian(8 * 64, 1), a = gaussian(2 * 64, 2), c1(16), c2(16);
  matrix_view<float> const wv{w.data(), 8, 64}, av{a.data(), 2, 64};
  auto const q = quantize<mxfp4>(wv);
  gemm(av, q, matrix_view<float>{c1.data(), 2, 8});
  gemm(matrix_view<float const>(av), q.view(), matrix_view<float>{c2.data(), 2, 8});
  CHECK(same(c1, c2));
  gemm(av, wv, matrix_view<float>{c1.data(), 2, 8});  // plain mutable W
  kernel::reference::gemm(matrix_view<float const>(av), matrix_view<float const>(wv), matrix_view<float>{c2.data(), 2, 8});
  for (std::size_t i = 0; i < 16; ++i) CHECK(std::fabs(c1[i] - c2[i]) <= 1e-4f * (1.0f + std::fabs(c2[i])));
}

TEMPLATE_TEST_CASE("C in bfloat16 and float16 is the float result rounded once", "[kernel][api]", bfloat16, float16) {
  std::size_t const m = 5, n = 67, k = 96;
  std::vector<float> const w = gaussian(n * k, 1), a = gaussian(m * k, 2), c0f = gaussian(m * n, 3);
  auto const q = quantize<nvfp4>(matrix_view<float const>{w.data(), n, k});
  std::vector<TestType> c(m * n);
  convert_n(c0f.data(), c0f.size(), c.data());
  for (std::size_t mm : {std::size_t{1}, m}) {
    for (auto mode : {compute_mode::exact, compute_mode::int8_activations}) {
      auto const o = gemm_options{}.with_beta(0.25f).with_mode(mode);
      std::vector<TestType> ct = c;
      std::vector<float> cf(m * n);
      convert_n(c.data(), c.size(), cf.data());  // the same starting C, as float
      gemm(matrix_view<float const>{a.data(), mm, k}, q, matrix_view<TestType>{ct.data(), mm, n}, o);
      gemm(matrix_view<float const>{a.data(), mm, k}, q, matrix_view<float>{cf.data(), mm, n}, o);
      std::vector<TestType> want(m * n);
      convert_n(cf.data(), cf.size(), want.data());
      CHECK(std::memcmp(ct.data(), want.data(), want.size() * sizeof(TestType)) == 0);
    }
  }
}

namespace {
double activation_ref(activation f, double v) {
  switch (f) {
    case activation::relu: return v > 0 ? v : 0;
    case activation::silu: return v / (1 + std::exp(-v));
    case activation::gelu_tanh: return 0.5 * v * (1 + std::tanh(std::sqrt(2 / M_PI) * (v + 0.044715 * v * v * v)));
    case activation::gelu_erf: return 0.5 * v * (1 + std::erf(v / std::sqrt(2.0)));
    default: return v;
  }
}
}  // namespace

TEST_CASE("the epilogue applies the activation, then adds the residual, on every kernel", "[kernel][api]") {
  std::size_t const n = 67, k = 128;
  std::vector<float> const w = gaussian(n * k, 4), a = gaussian(9 * k, 5), bias = gaussian(n, 6);
  auto const q = quantize<int4_group<32>>(matrix_view<float const>{w.data(), n, k});
  for (std::size_t m : {std::size_t{1}, std::size_t{3}, std::size_t{9}}) {
    std::vector<float> const res = gaussian(m * n, 7);
    std::vector<float> plain(m * n);
    matrix_view<float const> const av{a.data(), m, k};
    gemm(av, q, matrix_view<float>{plain.data(), m, n}, gemm_options{}.with_bias(bias.data()));
    for (auto f : {activation::relu, activation::silu, activation::gelu_tanh, activation::gelu_erf}) {
      std::vector<float> c(m * n), cr(m * n);
      auto o = gemm_options{}.with_bias(bias.data()).with_activation(f);
      gemm(av, prepack(q), matrix_view<float>{c.data(), m, n}, o);
      o.with_residual(matrix_view<float const>{res.data(), m, n});
      gemm(av, q, matrix_view<float>{cr.data(), m, n}, o, thread_pool{2});
      INFO("M " << m << " activation " << static_cast<int>(f));
      for (std::size_t x = 0; x < m * n; ++x) {
        double const want = activation_ref(f, plain[x]);
        CHECK(std::fabs(c[x] - want) <= 8 * FLT_EPSILON * (std::fabs(want) + std::fabs(plain[x])) + 1e-30);
        CHECK(std::fabs(cr[x] - (double(c[x]) + res[x])) <= FLT_EPSILON * std::fabs(double(c[x]) + res[x]) + 1e-30);
      }
    }
  }
  std::vector<float> c(3 * n), small(2 * n);
  CHECK_THROWS_WITH(gemm(matrix_view<float const>{a.data(), 3, k}, q, matrix_view<float>{c.data(), 3, n},
                         gemm_options{}.with_residual(matrix_view<float const>{small.data(), 2, n})),
                    Catch::Contains("argument 'options.residual' is 2 x 67, expected M x N = 3 x 67"));
}

TEST_CASE("activations quantized once give the same results for every weight that shares them", "[kernel][api]") {
  std::size_t const n = 96, k = 200;
  std::vector<float> const wq = gaussian(n * k, 1), wk = gaussian(n * k, 2), a = gaussian(7 * k, 3);
  auto const q1 = quantize<mxfp4>(matrix_view<float const>{wq.data(), n, k});
  auto const q2 = quantize<uint4_group_zp<128>>(matrix_view<float const>{wk.data(), n, k});
  auto const o = gemm_options{}.with_mode(compute_mode::int8_activations);
  for (std::size_t m : {std::size_t{1}, std::size_t{7}}) {
    matrix_view<float const> const av{a.data(), m, k};
    auto const qa = quantize_activations(av);
    CHECK(qa.rows() == m);
    CHECK(qa.padded_cols() == 224);
    std::vector<float> x1(m * n), y1(m * n), x2(m * n), y2(m * n), x3(m * n);
    gemm(av, q1, matrix_view<float>{x1.data(), m, n}, o);
    gemm(qa, q1, matrix_view<float>{y1.data(), m, n}, o);
    gemm(av, q2, matrix_view<float>{x2.data(), m, n}, o);
    gemm(qa, prepack(q2), matrix_view<float>{y2.data(), m, n}, o, thread_pool{2});
    CHECK(same(x1, y1));
    CHECK(same(x2, y2));
    CHECK_THROWS_AS(gemm(qa, q1, matrix_view<float>{x3.data(), m, n}), unsupported);
    auto const q8 = quantize<mxfp8_e4m3>(matrix_view<float const>{wq.data(), n, k});
    CHECK_THROWS_AS(gemm(qa, q8, matrix_view<float>{x3.data(), m, n}, o), unsupported);
  }
}

TEST_CASE("grouped GEMM equals one gemm per problem, bit for bit, and checks every problem first", "[kernel][api]") {
  using Q = quantized_matrix<mxfp4>;
  std::size_t const k = 128;
  std::vector<std::size_t> const ms = {0, 1, 3, 9, 1}, ns = {40, 300, 600, 257, 1};
  std::vector<Q> ws;
  std::vector<std::vector<float>> as, cs, want, biases;
  for (std::size_t i = 0; i < ms.size(); ++i) {
    std::vector<float> const w = gaussian(ns[i] * k, 10 + static_cast<unsigned>(i));
    ws.push_back(quantize<mxfp4>(matrix_view<float const>{w.data(), ns[i], k}));
    as.push_back(gaussian(ms[i] * k + 1, 20 + static_cast<unsigned>(i)));
    cs.push_back(gaussian(ms[i] * ns[i] + 1, 30 + static_cast<unsigned>(i)));
    biases.push_back(gaussian(ns[i], 40 + static_cast<unsigned>(i)));
  }
  for (auto mode : {compute_mode::exact, compute_mode::int8_activations}) {
    auto const o = gemm_options{}.with_beta(0.5f).with_activation(activation::silu).with_mode(mode);
    std::vector<gemm_problem<float const, Q>> ps;
    auto got = cs;
    want = cs;
    for (std::size_t i = 0; i < ms.size(); ++i) {
      matrix_view<float const> const av{as[i].data(), ms[i], k};
      ps.push_back(make_gemm_problem(av, ws[i], matrix_view<float>{got[i].data(), ms[i], ns[i]},
                                     i % 2 ? biases[i].data() : nullptr));
      auto oi = o;
      if (i % 2) oi.bias = biases[i].data();
      gemm(av, ws[i], matrix_view<float>{want[i].data(), ms[i], ns[i]}, oi);
    }
    gemm_grouped(ps, o, thread_pool{2});
    for (std::size_t i = 0; i < ms.size(); ++i) CHECK(same(got[i], want[i]));
  }
  // A bad problem: nothing is written, and the message names it.
  auto got = cs;
  std::vector<gemm_problem<float const, Q>> ps;
  ps.push_back(make_gemm_problem(matrix_view<float const>{as[1].data(), 1, k}, ws[1], matrix_view<float>{got[1].data(), 1, 300}));
  ps.push_back(make_gemm_problem(matrix_view<float const>{as[2].data(), 3, k}, ws[2], matrix_view<float>{got[2].data(), 3, 599}));
  CHECK_THROWS_WITH(gemm_grouped(ps), Catch::Contains("sparq::gemm_grouped: problem 1: argument 'C' is 3 x 599"));
  CHECK(same(got[1], cs[1]));
}

TEST_CASE("an offset-table source (rows gathered from two matrices) equals gemm on each", "[kernel][api]") {
  using F = uint4_group_zp<64, float>;
  std::size_t const k = 200, n1 = 5, n2 = 9, m = 3;
  std::vector<float> const w1 = gaussian(n1 * k, 1), w2 = gaussian(n2 * k, 2), a = gaussian(m * k, 3);
  auto const q1 = quantize<F>(matrix_view<float const>{w1.data(), n1, k});
  auto const q2 = quantize<F>(matrix_view<float const>{w2.data(), n2, k});
  // One buffer per array (q1's rows, then q2's), and an offset per row into each.
  auto const v1 = q1.view(), v2 = q2.view();
  std::vector<std::uint8_t> codes, zeros;
  std::vector<F::scale_type> scales;
  std::vector<std::size_t> co, so, zo;
  for (auto const* v : {&v1, &v2}) {
    for (std::size_t r = 0; r < v->rows(); ++r) {
      co.push_back(codes.size());
      so.push_back(scales.size());
      zo.push_back(zeros.size());
      codes.insert(codes.end(), v->code_row(r), v->code_row(r) + v->code_row_bytes());
      codes.push_back(0xAB);  // rows of different storage lengths: a byte between rows
      scales.insert(scales.end(), v->scale_row(r), v->scale_row(r) + v->blocks_per_row());
      zeros.insert(zeros.end(), v->zero_row(r), v->zero_row(r) + v->zero_row_bytes());
    }
  }
  detail::offset_addressing<F> const at(codes.data(), co.data(), scales.data(), so.data(), zeros.data(), zo.data(),
                                        v1.code_row_bytes());
  detail::quantized_source<F, detail::offset_addressing<F>> const src(at, n1 + n2, k, 1.0f);
  for (auto mode : {compute_mode::exact, compute_mode::int8_activations}) {
    for (std::size_t mm : {std::size_t{1}, m}) {
      auto const o = gemm_options{}.with_mode(mode);
      matrix_view<float const> const av{a.data(), mm, k};
      std::vector<float> all(mm * (n1 + n2)), c1(mm * n1), c2(mm * n2);
      // A weight source of the engine's own runs the header kernels (the runtime library holds the
      // named layouts only): compared with the header kernels on q1 and q2.
      gemm(av, src, matrix_view<float>{all.data(), mm, n1 + n2}, o);
      gemm<default_arch>(av, q1, matrix_view<float>{c1.data(), mm, n1}, o);
      gemm<default_arch>(av, q2, matrix_view<float>{c2.data(), mm, n2}, o);
      for (std::size_t i = 0; i < mm; ++i) {
        CHECK(std::memcmp(&all[i * (n1 + n2)], &c1[i * n1], n1 * sizeof(float)) == 0);
        CHECK(std::memcmp(&all[i * (n1 + n2) + n1], &c2[i * n2], n2 * sizeof(float)) == 0);
      }
    }
  }
}

namespace {
/// A source with its own dot that skips zero codes (as a sparse layout would): wraps the
/// canonical source, sums only non-zero values, in scalar order, into lane 0.
template <class F>
struct zero_skipping_source : detail::quantized_source<F, detail::canonical_addressing<F>> {
  using base = detail::quantized_source<F, detail::canonical_addressing<F>>;
  using base::base;
  mutable std::size_t skipped = 0;
#if SPARQ_SIMD
  template <class Arch, std::size_t M>
  void dot(std::size_t r, std::size_t c, float const* a, std::size_t lda, kernel::simd::fbatch<Arch>* sums) const {
    alignas(64) float lanes[M][kernel::simd::fbatch<Arch>::size] = {};
    for (std::size_t u = 0; u < base::unit; ++u) {
      float const v = this->value(r, c * base::unit + u);
      if (v == 0.0f) {
        ++skipped;
        continue;
      }
      for (std::size_t i = 0; i < M; ++i) lanes[i][0] += v * a[i * lda + c * base::unit + u];
    }
    for (std::size_t i = 0; i < M; ++i) sums[i] += kernel::simd::fbatch<Arch>::load_aligned(lanes[i]);
  }
#endif
};
}  // namespace

TEST_CASE("a weight source with its own dot (skipping zeros) runs through the GEMV kernel", "[kernel][api]") {
  using F = mxfp4;
  std::size_t const n = 16, k = 96;
  std::vector<float> w = gaussian(n * k, 1), a = gaussian(2 * k, 2);
  for (std::size_t x = 0; x < w.size(); x += 3) w[x] = 0.0f;
  auto const q = quantize<F>(matrix_view<float const>{w.data(), n, k});
  zero_skipping_source<F> const src(detail::canonical_addressing<F>(q.view()), n, k, 1.0f);
  std::vector<float> c(2 * n), ref(2 * n);
  gemm(matrix_view<float const>{a.data(), 2, k}, src, matrix_view<float>{c.data(), 2, n});
  kernel::reference::gemm(matrix_view<float const>{a.data(), 2, k}, q.view(), matrix_view<float>{ref.data(), 2, n});
  std::vector<float> wd(n * k);
  dequantize(q, matrix_view<float>{wd.data(), n, k});
  double const worst = gemm_test::worst_ratio(matrix_view<float const>{a.data(), 2, k}, wd, n,
                                              matrix_view<float const>{c.data(), 2, n},
                                              matrix_view<float const>{ref.data(), 2, n},
                                              matrix_view<float const>{ref.data(), 2, n}, gemm_options{});
  CHECK(worst <= 1.0);
#if SPARQ_SIMD
  CHECK(src.skipped > 0);
#endif
}

TEST_CASE("quantize_options and gemm_options set fields by name", "[kernel][api]") {
  auto const q = quantize_options{}.with_stochastic_rounding(42).with_granularity(element_scale::per_tensor);
  CHECK(q.stochastic);
  CHECK(q.seed == 42);
  CHECK(q.granularity == element_scale::per_tensor);
  float b = 0;
  auto const o = gemm_options{}.with_alpha(2).with_beta(3).with_bias(&b).with_mode(compute_mode::int8_activations);
  CHECK(o.alpha == 2.0f);
  CHECK(o.beta == 3.0f);
  CHECK(o.bias == &b);
  CHECK(o.mode == compute_mode::int8_activations);
}
