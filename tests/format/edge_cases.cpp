// SPDX-License-Identifier: Apache-2.0
// The facts that are easy to get wrong (docs/formats.md sections 1-2) and sparq's documented choices
// where the reference systems disagree (section 6), one CHECK each.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include <sparq/format/all.hpp>
#include <sparq/format/convert.hpp>

using namespace sparq;

namespace {
float const pinf = std::numeric_limits<float>::infinity();
float const qnan = std::numeric_limits<float>::quiet_NaN();
}  // namespace

TEST_CASE("float8_e4m3fn overflow: 464 is the last value that rounds to 448", "[format]") {
  CHECK(convert<float8_e4m3fn>(464.0f, overflow::ieee).bits() == 0x7E);
  CHECK(convert<float8_e4m3fn>(464.0001f, overflow::ieee).bits() == 0x7F);
  CHECK(convert<float8_e4m3fn>(-464.0001f, overflow::ieee).bits() == 0xFF);
  CHECK(float8_e4m3fn(464.0001f).bits() == 0x7E);  // default: saturate
  CHECK(float8_e4m3fn(pinf).bits() == 0x7E);
  CHECK(float8_e4m3fn(-pinf).bits() == 0xFE);
  CHECK(convert<float8_e4m3fn>(pinf, overflow::ieee).bits() == 0x7F);
  CHECK(float8_e4m3fn(qnan).bits() == 0x7F);
  CHECK(float8_e4m3fn(-qnan).bits() == 0xFF);  // NaN keeps its sign
}

TEST_CASE("float8_e5m2 overflow: 61440 rounds to Inf under ieee", "[format]") {
  CHECK(convert<float8_e5m2>(61439.99f, overflow::ieee).bits() == 0x7B);
  CHECK(convert<float8_e5m2>(61440.0f, overflow::ieee).bits() == 0x7C);
  CHECK(float8_e5m2(61440.0f).bits() == 0x7B);
  CHECK(convert<float8_e5m2>(-pinf, overflow::ieee).bits() == 0xFC);
  CHECK(float8_e5m2(qnan).bits() == 0x7E);
  // Toward zero never overflows a finite value (IEEE 754 section 7.4).
  CHECK(convert<float8_e5m2>(1e9f, overflow::ieee, rounding::toward_zero).bits() == 0x7B);
}

TEST_CASE("fnuz formats: no negative zero, 0x80 is NaN", "[format]") {
  CHECK(convert<float8_e4m3fnuz>(247.99f, overflow::ieee).bits() == 0x7F);
  CHECK(convert<float8_e4m3fnuz>(248.0f, overflow::ieee).bits() == 0x80);
  CHECK(float8_e4m3fnuz(248.0f).bits() == 0x7F);
  CHECK(float8_e4m3fnuz(-0.0f).bits() == 0x00);
  CHECK(float8_e4m3fnuz(-1e-30f).bits() == 0x00);  // rounds to zero: +0, never the NaN code
  CHECK(float8_e5m2fnuz(qnan).bits() == 0x80);
  CHECK(float8_e5m2fnuz(-qnan).bits() == 0x80);
}

TEST_CASE("float4_e2m1fn rounds to nearest even", "[format]") {
  CHECK(static_cast<float>(float4_e2m1fn(0.25f)) == 0.0f);
  CHECK(static_cast<float>(float4_e2m1fn(0.75f)) == 1.0f);
  CHECK(static_cast<float>(float4_e2m1fn(1.25f)) == 1.0f);
  CHECK(static_cast<float>(float4_e2m1fn(1.75f)) == 2.0f);
  CHECK(static_cast<float>(float4_e2m1fn(2.5f)) == 2.0f);
  CHECK(static_cast<float>(float4_e2m1fn(3.5f)) == 4.0f);
  CHECK(static_cast<float>(float4_e2m1fn(5.0f)) == 4.0f);
  CHECK(float4_e2m1fn(-0.0f).bits() == 0x8);
  CHECK(float4_e2m1fn(7.0f).bits() == 0x7);
  CHECK(convert<float4_e2m1fn>(pinf, overflow::ieee).bits() == 0x7);  // no Inf, no NaN: +-max
  CHECK(float4_e2m1fn(qnan).bits() == 0x0);                           // NaN -> +0 by default
  CHECK(float4_e2m1fn(-qnan).bits() == 0x0);
  CHECK(static_cast<float>(convert<float4_e2m1fn>(2.9f, rounding::toward_zero)) == 2.0f);
}

TEST_CASE("float8_e8m0fnu: nearest power of two, ties up", "[format]") {
  CHECK(float8_e8m0fnu(1.5f).bits() == 0x80);
  CHECK(float8_e8m0fnu(3.0f).bits() == 0x81);
  CHECK(float8_e8m0fnu(1.4f).bits() == 0x7F);
  CHECK(float8_e8m0fnu(0.75f).bits() == 0x7F);
  CHECK(float8_e8m0fnu(0.0f).bits() == 0x00);   // saturate: below range -> smallest
  CHECK(float8_e8m0fnu(-1.0f).bits() == 0x00);
  CHECK(float8_e8m0fnu(pinf).bits() == 0xFE);
  CHECK(convert<float8_e8m0fnu>(0.0f, overflow::ieee).bits() == 0xFF);
  CHECK(convert<float8_e8m0fnu>(-1.0f, overflow::ieee).bits() == 0xFF);
  CHECK(convert<float8_e8m0fnu>(pinf, overflow::ieee).bits() == 0xFF);
  CHECK(float8_e8m0fnu(qnan).bits() == 0xFF);
  CHECK(float8_e8m0fnu(std::ldexp(1.5f, 127)).bits() == 0xFE);
  CHECK(convert<float8_e8m0fnu>(std::ldexp(1.5f, 127), overflow::ieee).bits() == 0xFF);
  // Below 2^-126 the nearest power of two is 2^-127 up to the tie at 1.5 * 2^-127 ...
  CHECK(float8_e8m0fnu(std::ldexp(1.01f, -127)).bits() == 0x00);
  CHECK(float8_e8m0fnu(std::ldexp(1.5f, -127)).bits() == 0x01);
  // ... under overflow::ieee too, as ml_dtypes 0.7 (earlier versions rounded anything above 2^-127
  // up to 2^-126, which sparq's ieee policy used to reproduce).
  CHECK(convert<float8_e8m0fnu>(std::ldexp(1.01f, -127), overflow::ieee).bits() == 0x00);
  CHECK(convert<float8_e8m0fnu>(std::ldexp(1.49f, -127), overflow::ieee).bits() == 0x00);
  CHECK(convert<float8_e8m0fnu>(std::ldexp(1.5f, -127), overflow::ieee).bits() == 0x01);
}

TEST_CASE("integers round to nearest even and saturate", "[format]") {
  CHECK(static_cast<int>(int4(2.5f)) == 2);
  CHECK(static_cast<int>(int4(3.5f)) == 4);
  CHECK(static_cast<int>(int4(-2.5f)) == -2);
  CHECK(static_cast<int>(int4(-9.0f)) == -8);
  CHECK(static_cast<int>(int4(100.0f)) == 7);
  CHECK(static_cast<int>(int4(-pinf)) == -8);
  CHECK(static_cast<int>(int4(qnan)) == 0);
  CHECK(static_cast<int>(uint4(-3.0f)) == 0);
  CHECK(static_cast<int>(uint4(15.5f)) == 15);
  CHECK(static_cast<int>(int8(-128.4f)) == -128);
  CHECK(static_cast<int>(int8(1e30f)) == 127);
  CHECK(static_cast<int>(int2(1.6f)) == 1);
  CHECK(static_cast<int>(int4(12)) == 7);  // from an integer: saturates
  CHECK(static_cast<int>(convert<int4>(2.9f, rounding::toward_zero)) == 2);
  CHECK(static_cast<int>(convert<int4>(-2.9f, rounding::toward_zero)) == -2);
}

TEST_CASE("bfloat16 and float16 keep IEEE semantics by default", "[format]") {
  CHECK(bfloat16(3.4028235e38f).bits() == 0x7F80);  // rounds up past max: Inf
  CHECK(float16(65520.0f).bits() == 0x7C00);        // the tie above 65504 goes to Inf
  CHECK(float16(65519.99f).bits() == 0x7BFF);
  CHECK(convert<float16>(1e6f, overflow::saturate).bits() == 0x7BFF);
  CHECK(float16(-pinf).bits() == 0xFC00);
  CHECK(bfloat16(-qnan).bits() == 0xFFC0);
  CHECK(bfloat16(1.00390625f).bits() == 0x3F80);    // tie to even
  CHECK(bfloat16(1.01171875f).bits() == 0x3F82);    // tie to even (up)
}

TEST_CASE("stochastic rounding is deterministic for the same bits and unbiased in the limit", "[format]") {
  // 0.75 in FP4 lies halfway between 0.5 and 1.0: F = 0.5, so up iff bits < 2^31.
  CHECK(static_cast<float>(convert<float4_e2m1fn>(0.75f, rounding::stochastic{0x7FFFFFFFu})) == 1.0f);
  CHECK(static_cast<float>(convert<float4_e2m1fn>(0.75f, rounding::stochastic{0x80000000u})) == 0.5f);
  CHECK(static_cast<float>(convert<float4_e2m1fn>(-0.75f, rounding::stochastic{0u})) == -1.0f);
  // 2.25 lies a quarter of the way from 2 to 3: the mean over uniform bits is 2.25.
  double sum = 0;
  std::uint32_t const n = 1u << 16;
  for (std::uint32_t i = 0; i < n; ++i) {
    sum += static_cast<float>(convert<float4_e2m1fn>(2.25f, rounding::stochastic{i << 16}));
  }
  CHECK(sum / n == Approx(2.25).epsilon(1e-12));
}

TEST_CASE("conversion between formats goes through float exactly", "[format]") {
  float8_e5m2 const a = float8_e5m2::from_bits(0x3D);  // 1.25
  CHECK(static_cast<float>(convert<float8_e4m3fn>(a)) == 1.25f);
  CHECK(convert<float>(float4_e2m1fn::from_bits(0xF)) == -6.0f);
  CHECK(convert<float8_e4m3fn>(float8_e5m2(57344.0f)).bits() == 0x7E);  // saturates at 448
}

TEST_CASE("negation flips the sign exactly and saturates where it must", "[format]") {
  CHECK((-float8_e4m3fn(1.5f)).bits() == 0xBC);
  CHECK((-float8_e4m3fn::from_bits(0x7F)).bits() == 0xFF);    // NaN stays NaN
  CHECK((-float8_e4m3fnuz(0.0f)).bits() == 0x00);             // no -0: 0x80 would be NaN
  CHECK((-float4_e2m1fn::from_bits(0x0)).bits() == 0x8);      // -0 exists in FP4
  CHECK(static_cast<int>(-int4(-8.0f)) == 7);
  CHECK((-float8_e8m0fnu(2.0f)).bits() == 0x00);              // unsigned: -2 saturates to the smallest
}
