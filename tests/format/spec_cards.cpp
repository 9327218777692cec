// SPDX-License-Identifier: Apache-2.0
// Each named format against its specification: limits pinned to literal decimals taken from the
// specs (OCP OFP8, OCP MX v1.0, IEEE 754, ml_dtypes), and the spec card's value table.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>

#include <sparq/format/all.hpp>

using namespace sparq;

namespace {

template <class F>
float value(std::uint32_t code) {
  return static_cast<float>(F::from_bits(code));
}

template <class F>
void check_limits(double max, double min_normal, double min_subnormal) {
  using L = std::numeric_limits<F>;
  CHECK(static_cast<float>(L::max()) == static_cast<float>(max));
  CHECK(max_finite_v<F> == static_cast<float>(max));
  CHECK(static_cast<float>(L::min()) == static_cast<float>(min_normal));
  CHECK(static_cast<float>(L::denorm_min()) == static_cast<float>(min_subnormal));
  if (L::is_signed) CHECK(static_cast<float>(L::lowest()) == static_cast<float>(-max));
}

}  // namespace

TEST_CASE("float8_e4m3fn matches its spec card", "[format]") {
  check_limits<float8_e4m3fn>(448.0, 0.015625, 0.001953125);
  CHECK(value<float8_e4m3fn>(0b0'1111'110) == 448.0f);
  CHECK(value<float8_e4m3fn>(0b0'0001'000) == 0.015625f);
  CHECK(value<float8_e4m3fn>(0b0'0000'001) == 0.001953125f);
  CHECK(std::isnan(value<float8_e4m3fn>(0x7F)));
  CHECK(std::isnan(value<float8_e4m3fn>(0xFF)));
  CHECK(std::signbit(value<float8_e4m3fn>(0x80)));
  CHECK_FALSE(std::numeric_limits<float8_e4m3fn>::has_infinity);
  CHECK(bits_of_v<float8_e4m3fn> == 8);
}

TEST_CASE("float8_e5m2 matches its spec card", "[format]") {
  check_limits<float8_e5m2>(57344.0, 0.00006103515625, 0.0000152587890625);
  CHECK(value<float8_e5m2>(0b0'11110'11) == 57344.0f);
  CHECK(value<float8_e5m2>(0b0'00001'00) == 0.00006103515625f);
  CHECK(value<float8_e5m2>(0b0'00000'01) == 0.0000152587890625f);
  CHECK(value<float8_e5m2>(0x7C) == std::numeric_limits<float>::infinity());
  CHECK(value<float8_e5m2>(0xFC) == -std::numeric_limits<float>::infinity());
  for (std::uint32_t c : {0x7Du, 0x7Eu, 0x7Fu, 0xFDu, 0xFEu, 0xFFu}) CHECK(std::isnan(value<float8_e5m2>(c)));
}

TEST_CASE("float8_e4m3fnuz matches its spec card", "[format]") {
  check_limits<float8_e4m3fnuz>(240.0, 0.0078125, 0.0009765625);
  CHECK(value<float8_e4m3fnuz>(0b0'1111'111) == 240.0f);
  CHECK(std::isnan(value<float8_e4m3fnuz>(0x80)));
  CHECK(value<float8_e4m3fnuz>(0xFF) == -240.0f);
  CHECK_FALSE(std::isnan(value<float8_e4m3fnuz>(0x7F)));
}

TEST_CASE("float8_e5m2fnuz matches its spec card", "[format]") {
  check_limits<float8_e5m2fnuz>(57344.0, 0.000030517578125, 0.00000762939453125);
  CHECK(value<float8_e5m2fnuz>(0b0'11111'11) == 57344.0f);
  CHECK(std::isnan(value<float8_e5m2fnuz>(0x80)));
}

TEST_CASE("float6_e2m3fn matches its spec card", "[format]") {
  check_limits<float6_e2m3fn>(7.5, 1.0, 0.125);
  CHECK(value<float6_e2m3fn>(0b0'11'111) == 7.5f);
  CHECK(value<float6_e2m3fn>(0b0'01'000) == 1.0f);
  CHECK(value<float6_e2m3fn>(0b0'00'001) == 0.125f);
  CHECK(value<float6_e2m3fn>(0b1'11'111) == -7.5f);
  CHECK(bits_of_v<float6_e2m3fn> == 6);
}

TEST_CASE("float6_e3m2fn matches its spec card", "[format]") {
  check_limits<float6_e3m2fn>(28.0, 0.25, 0.0625);
  CHECK(value<float6_e3m2fn>(0b0'111'11) == 28.0f);
  CHECK(value<float6_e3m2fn>(0b0'001'00) == 0.25f);
  CHECK(value<float6_e3m2fn>(0b0'000'01) == 0.0625f);
}

TEST_CASE("float4_e2m1fn matches its spec card", "[format]") {
  check_limits<float4_e2m1fn>(6.0, 1.0, 0.5);
  float const table[8] = {0.0f, 0.5f, 1.0f, 1.5f, 2.0f, 3.0f, 4.0f, 6.0f};
  for (std::uint32_t c = 0; c < 8; ++c) {
    CHECK(value<float4_e2m1fn>(c) == table[c]);
    CHECK(value<float4_e2m1fn>(c | 0x8u) == -table[c]);
  }
  CHECK(std::signbit(value<float4_e2m1fn>(0x8)));
}

TEST_CASE("float8_e8m0fnu matches its spec card", "[format]") {
  CHECK(static_cast<float>(std::numeric_limits<float8_e8m0fnu>::max()) == 1.7014118346046923e38f);
  CHECK(value<float8_e8m0fnu>(0b11111110) == 1.7014118346046923e38f);
  CHECK(value<float8_e8m0fnu>(0b01111111) == 1.0f);
  CHECK(value<float8_e8m0fnu>(0b10000000) == 2.0f);
  CHECK(value<float8_e8m0fnu>(0b00000000) == 5.877471754111438e-39f);  // 2^-127, not zero
  CHECK(std::isnan(value<float8_e8m0fnu>(0xFF)));
  CHECK_FALSE(std::numeric_limits<float8_e8m0fnu>::is_signed);
}

TEST_CASE("bfloat16 and float16 match IEEE limits", "[format]") {
  check_limits<bfloat16>(3.3895313892515355e38, 1.1754943508222875e-38, 9.183549615799121e-41);
  check_limits<float16>(65504.0, 0.00006103515625, 0.000000059604644775390625);
  CHECK(value<bfloat16>(0x3F80) == 1.0f);
  CHECK(value<float16>(0x3C00) == 1.0f);
  CHECK(value<float16>(0x7C00) == std::numeric_limits<float>::infinity());
  CHECK(std::isnan(value<bfloat16>(0x7FC0)));
}

TEST_CASE("integer formats hold their two's-complement ranges", "[format]") {
  CHECK(static_cast<int>(std::numeric_limits<int4>::min()) == -8);
  CHECK(static_cast<int>(std::numeric_limits<int4>::max()) == 7);
  CHECK(static_cast<int>(std::numeric_limits<uint4>::max()) == 15);
  CHECK(static_cast<int>(std::numeric_limits<int2>::min()) == -2);
  CHECK(static_cast<int>(std::numeric_limits<int2>::max()) == 1);
  CHECK(static_cast<int>(std::numeric_limits<uint2>::max()) == 3);
  CHECK(static_cast<int>(std::numeric_limits<int8>::min()) == -128);
  CHECK(static_cast<int>(std::numeric_limits<uint8>::max()) == 255);
  CHECK(value<int4>(0x8) == -8.0f);
  CHECK(value<int4>(0xF) == -1.0f);
  CHECK(value<int2>(0x2) == -2.0f);
}

TEST_CASE("traits give the int8 image of the integer-dot formats", "[format]") {
  STATIC_REQUIRE(int8_image<float4_e2m1fn>::exists);
  STATIC_REQUIRE(int8_image<float4_e2m1fn>::factor == 2);
  STATIC_REQUIRE(int8_image<float6_e2m3fn>::exists);
  STATIC_REQUIRE(int8_image<float6_e2m3fn>::factor == 8);
  STATIC_REQUIRE(int8_image<int8>::exists);
  STATIC_REQUIRE(int8_image<int4>::exists);
  STATIC_REQUIRE(int8_image<int4>::factor == 1);
  STATIC_REQUIRE_FALSE(int8_image<float6_e3m2fn>::exists);
  STATIC_REQUIRE_FALSE(int8_image<float8_e4m3fn>::exists);
  STATIC_REQUIRE_FALSE(int8_image<uint8>::exists);
  STATIC_REQUIRE_FALSE(int8_image<bfloat16>::exists);
  // Every FP4 code times 2 is an integer in int8.
  for (std::uint32_t c = 0; c < 16; ++c) {
    float const v = value<float4_e2m1fn>(c) * int8_image<float4_e2m1fn>::factor;
    CHECK(v == std::nearbyint(v));
    CHECK(std::fabs(v) <= 127.0f);
  }
}
