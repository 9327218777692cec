// SPDX-License-Identifier: Apache-2.0
// One block of each block format against examples computed by hand from the specifications
// (OCP MX v1.0, the NVFP4 recipe, AWQ/GPTQ groups), the fixed edge-case choices, and properties
// on random blocks.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include <sparq/quantize/block.hpp>

using namespace sparq;

namespace {

template <class BF>
struct block_run {
  std::vector<typename BF::element> codes;
  block_scale<BF> scale;
  std::vector<float> values;
};

template <class BF>
block_run<BF> run(std::vector<float> x, tensor_scale t = {}) {
  block_run<BF> r;
  r.codes.resize(x.size());
  r.scale = quantize_block<BF>(x.data(), x.size(), r.codes.data(), t);
  r.values.resize(x.size());
  dequantize_block<BF>(r.codes.data(), x.size(), r.scale, t, r.values.data());
  return r;
}

std::vector<float> block_of(std::size_t n, std::initializer_list<float> head) {
  std::vector<float> x(n, 0.0f);
  std::size_t i = 0;
  for (float v : head) x[i++] = v;
  return x;
}

using mxfp4_rceil = mx_block<float4_e2m1fn, scale_rule::round_up>;
using mxfp4_ceil = mx_block<float4_e2m1fn, scale_rule::ceil>;
using mxint8_rceil = mx_block<int8, scale_rule::round_up>;

}  // namespace

TEST_CASE("mxfp4 floor clips a block maximum of 7 to 6; the round-up rule keeps it", "[quantize]") {
  auto const f = run<mxfp4>(block_of(32, {7.0f}));
  CHECK(f.scale.scale.bits() == 0x7F);  // 2^(floor(log2 7) - 2) = 2^0
  CHECK(f.codes[0].bits() == 0x7);      // 6
  CHECK(f.values[0] == 6.0f);
  auto const r = run<mxfp4_rceil>(block_of(32, {7.0f}));
  CHECK(r.scale.scale.bits() == 0x80);  // 7 / 6 rounded up to 2^1
  CHECK(r.codes[0].bits() == 0x6);      // 3.5 -> 4 (ties to even)
  CHECK(r.values[0] == 8.0f);
  auto const c = run<mxfp4_ceil>(block_of(32, {3.0f, -4.0f}));
  CHECK(c.scale.scale.bits() == 0x7F);  // ceil(log2 4) - 2 = 0
  CHECK(c.codes[0].bits() == 0x5);
  CHECK(c.codes[1].bits() == 0xE);
}

TEST_CASE("mxfp8_e4m3 scales by 2^(floor(log2 amax) - 8)", "[quantize]") {
  auto const r = run<mxfp8_e4m3>(block_of(32, {1.0f, 896.0f, -3.3f}));
  CHECK(r.scale.scale.bits() == 127 + 1);  // floor(log2 896) = 9, minus emax 8
  CHECK(r.codes[0].bits() == 0x30);        // 0.5
  CHECK(r.codes[1].bits() == 0x7E);        // 448
  CHECK(r.codes[2].bits() == 0xBD);        // -1.65 -> -1.625
  CHECK(r.values[2] == -3.25f);
}

TEST_CASE("mxint8 codes are k/64 of the scale, symmetric at +-127", "[quantize]") {
  auto const r = run<mxint8>(block_of(32, {1.0f, -0.5f, 3.0f}));
  CHECK(r.scale.scale.bits() == 128);  // floor(log2 3) - 0
  CHECK(static_cast<int>(r.codes[0]) == 32);
  CHECK(static_cast<int>(r.codes[1]) == -16);
  CHECK(static_cast<int>(r.codes[2]) == 96);
  CHECK(r.values[2] == 3.0f);
  auto const clamp = run<mxint8>(block_of(32, {1.999f, -1.999f}));
  CHECK(clamp.scale.scale.bits() == 127);
  CHECK(static_cast<int>(clamp.codes[0]) == 127);
  CHECK(static_cast<int>(clamp.codes[1]) == -127);  // -128 is never produced
  auto const up = run<mxint8_rceil>(block_of(32, {1.99f}));
  CHECK(up.scale.scale.bits() == 128);  // 1.99 > 127/64: one binade up
  CHECK(static_cast<int>(up.codes[0]) == 64);
}

TEST_CASE("MX edge cases: zero block, NaN or Inf in a block, tiny amax", "[quantize]") {
  auto const z = run<mxfp4>(block_of(32, {0.0f, -0.0f}));
  CHECK(z.scale.scale.bits() == 0x00);  // 2^-127, not zero
  CHECK(z.codes[0].bits() == 0x0);
  CHECK(z.codes[1].bits() == 0x8);  // -0 kept
  for (float special : {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity()}) {
    auto const n = run<mxfp8_e5m2>(block_of(32, {1.0f, special, 2.0f}));
    CHECK(n.scale.scale.bits() == 0xFF);
    for (auto const& c : n.codes) CHECK(c.bits() == 0);
    CHECK(std::isnan(n.values[0]));
  }
  auto const tiny = run<mxfp4>(block_of(32, {1e-40f}));
  CHECK(tiny.scale.scale.bits() == 0x00);  // floor(log2 1e-40) - 2 = -135, clamped to -127
  CHECK(tiny.codes[0].bits() == 0x0);      // 1e-40 * 2^127 = 0.017 -> 0
}

TEST_CASE("nvfp4 follows the paper's two-level recipe in FP32 order", "[quantize]") {
  tensor_scale const unit = tensor_scale::nvfp4(2688.0f);
  CHECK(unit.encode == 1.0f);
  CHECK(unit.decode == 1.0f);
  auto const a = run<nvfp4>(block_of(16, {6.0f, 3.0f, -1.5f, 0.2f}), unit);
  CHECK(a.scale.scale.bits() == 0x38);  // e4m3(6 / 6 * 1) = 1.0
  CHECK(a.codes[0].bits() == 0x7);
  CHECK(a.codes[1].bits() == 0x5);
  CHECK(a.codes[2].bits() == 0xB);
  CHECK(a.codes[3].bits() == 0x0);
  tensor_scale const t = tensor_scale::nvfp4(10.0f);  // s_enc = 268.8
  auto const b = run<nvfp4>(block_of(16, {10.0f, -5.0f}), t);
  CHECK(b.scale.scale.bits() == 0x7E);  // e4m3(10 / 6 * 268.8) = 448
  CHECK(b.codes[0].bits() == 0x7);      // 10 * 0.6 = 6
  CHECK(b.codes[1].bits() == 0xD);      // -3
  CHECK(b.values[0] == Approx(10.0f).epsilon(1e-6));
  // A block scale that rounds to zero gives zero elements.
  auto const z = run<nvfp4>(block_of(16, {1e-6f, -1e-6f}), tensor_scale::nvfp4(2.688e6f));
  CHECK(z.scale.scale.bits() == 0x00);
  CHECK(z.codes[0].bits() == 0x0);
  CHECK(z.values[1] == 0.0f);
  auto const n = run<nvfp4>(block_of(16, {1.0f, std::numeric_limits<float>::quiet_NaN()}), unit);
  CHECK(n.scale.scale.bits() == 0x7F);
  CHECK(tensor_scale::nvfp4(0.0f).encode == 1.0f);
}

TEST_CASE("symmetric integer groups: scale amax/qmax, round to nearest even", "[quantize]") {
  auto const r = run<int4_group<32>>(block_of(32, {1.0f, -7.0f, 3.5f, 0.5f, 2.5f}));
  CHECK(static_cast<float>(r.scale.scale) == 1.0f);
  CHECK(static_cast<int>(r.codes[0]) == 1);
  CHECK(static_cast<int>(r.codes[1]) == -7);
  CHECK(static_cast<int>(r.codes[2]) == 4);
  CHECK(static_cast<int>(r.codes[3]) == 0);
  CHECK(static_cast<int>(r.codes[4]) == 2);
  auto const e = run<int8_group<64, bfloat16>>(block_of(64, {63.5f, 1.25f}));
  CHECK(static_cast<float>(e.scale.scale) == 0.5f);
  CHECK(static_cast<int>(e.codes[0]) == 127);
  CHECK(static_cast<int>(e.codes[1]) == 2);  // 2.5 -> 2
  auto const zero = run<int4_group<32>>(block_of(32, {}));
  CHECK(static_cast<float>(zero.scale.scale) == 0.0f);
  CHECK(zero.values[3] == 0.0f);
}

TEST_CASE("asymmetric 4-bit groups: AWQ scale, zero point and codes", "[quantize]") {
  // A short block: the zero padding counts, so min = -1 and max = 2 over the 32 positions.
  auto const r = run<uint4_group_zp<32, float>>({-1.0f, 0.0f, 2.0f});
  CHECK(static_cast<float>(r.scale.scale) == 0.2f);  // (2 - -1) / 15
  CHECK(r.scale.zero == 5);
  CHECK(static_cast<int>(r.codes[0]) == 0);
  CHECK(static_cast<int>(r.codes[1]) == 5);
  CHECK(static_cast<int>(r.codes[2]) == 15);
  CHECK(r.values[0] == Approx(-1.0f));
  CHECK(r.values[2] == Approx(2.0f));
}

TEMPLATE_TEST_CASE("MX blocks: the scale follows the rule and no element exceeds max * scale", "[quantize]",
                   mxfp8_e4m3, mxfp8_e5m2, mxfp6_e2m3, mxfp6_e3m2, mxfp4, mxint8, mxfp4_rceil, mxint8_rceil) {
  using BF = TestType;
  using E = typename BF::element;
  std::mt19937 rng(7);
  std::lognormal_distribution<float> mag(0.0f, 4.0f);
  for (int trial = 0; trial < 2000; ++trial) {
    std::vector<float> x(32);
    for (auto& v : x) v = (rng() & 1 ? -1.0f : 1.0f) * mag(rng) * 1e-3f;
    auto const r = run<BF>(x);
    float amax = 0;
    for (float v : x) amax = std::max(amax, std::fabs(v));
    int const k = static_cast<int>(r.scale.scale.bits()) - 127;
    int const floor_k = arch_detail::floor_log2(amax) - detail::mx_element<E>::emax;
    double const emax_val = arch_detail::element_max<E>();
    if (std::is_same<typename BF::rule, scale_rule::ocp_floor>::value) {
      REQUIRE(k == std::max(floor_k, -127));
    } else {
      REQUIRE((k == floor_k || k == floor_k + 1));
      REQUIRE(static_cast<double>(amax) <= emax_val * std::ldexp(1.0, k));  // never clipped
    }
    for (float v : r.values) REQUIRE(std::fabs(static_cast<double>(v)) <= emax_val * std::ldexp(1.0, k));
  }
}

TEMPLATE_TEST_CASE("MX floor blocks: quantizing the dequantized block gives the same codes", "[quantize]",
                   mxfp8_e4m3, mxfp8_e5m2, mxfp6_e2m3, mxfp6_e3m2, mxfp4, mxint8) {
  using BF = TestType;
  std::mt19937 rng(11);
  std::normal_distribution<float> g(0.0f, 1.0f);
  for (int trial = 0; trial < 2000; ++trial) {
    std::vector<float> x(32);
    float const s = std::ldexp(1.0f, static_cast<int>(rng() % 40) - 20);
    for (auto& v : x) v = g(rng) * s;
    auto const a = run<BF>(x);
    auto const b = run<BF>(a.values);
    REQUIRE(b.scale.scale.bits() == a.scale.scale.bits());
    for (std::size_t i = 0; i < x.size(); ++i) REQUIRE(b.codes[i].bits() == a.codes[i].bits());
  }
}

TEST_CASE("stochastic element rounding is deterministic for the same bits", "[quantize]") {
  std::vector<float> x = block_of(32, {0.75f, 1.25f, -0.75f, 4.0f});
  std::vector<std::uint32_t> bits(32, 0x40000000u);  // 2^30 < floor(0.5 * 2^32): halfway rounds up
  std::vector<float4_e2m1fn> c(32);
  auto const s = quantize_block<mxfp4>(x.data(), 32, c.data(), {}, bits.data(), rounding::stochastic{0});
  CHECK(s.scale.bits() == 0x7F);
  CHECK(c[0].bits() == 0x2);  // 0.75 -> 1.0
  CHECK(c[1].bits() == 0x3);  // 1.25 -> 1.5
  CHECK(c[2].bits() == 0xA);  // -0.75 -> -1.0
  CHECK(c[3].bits() == 0x6);  // 4 is exact
  std::vector<std::uint32_t> high(32, 0xC0000000u);  // above: halfway rounds down
  quantize_block<mxfp4>(x.data(), 32, c.data(), {}, high.data(), rounding::stochastic{0});
  CHECK(c[0].bits() == 0x1);
  CHECK(c[1].bits() == 0x2);
}
