// SPDX-License-Identifier: Apache-2.0
// Sub-byte packing: the documented byte layout, round trips for every length, odd tails.
#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

#include <sparq/format/all.hpp>
#include <sparq/convert/pack.hpp>
#include <sparq/layout/packing.hpp>

#include "../support/inputs.hpp"

using namespace sparq;

TEST_CASE("4-bit codes pack two per byte, element 2i in the low nibble", "[layout]") {
  float4_e2m1fn const c[3] = {float4_e2m1fn::from_bits(0x1), float4_e2m1fn::from_bits(0xF),
                              float4_e2m1fn::from_bits(0x7)};
  std::uint8_t out[2] = {0xAA, 0xAA};
  pack(c, 3, out);
  CHECK(out[0] == 0xF1);
  CHECK(out[1] == 0x07);  // unused high nibble zero
}

TEST_CASE("6-bit codes pack four per three bytes as a little-endian bit stream", "[layout]") {
  float6_e2m3fn const c[4] = {float6_e2m3fn::from_bits(0x01), float6_e2m3fn::from_bits(0x3F),
                              float6_e2m3fn::from_bits(0x00), float6_e2m3fn::from_bits(0x2A)};
  std::uint8_t out[3] = {};
  pack(c, 4, out);
  // stream = 0x01 | 0x3F << 6 | 0x00 << 12 | 0x2A << 18 = 0xA80FC1
  CHECK(out[0] == 0xC1);
  CHECK(out[1] == 0x0F);
  CHECK(out[2] == 0xA8);
  std::uint8_t two[2] = {0xFF, 0xFF};
  pack(c, 2, two);  // 12 bits -> 2 bytes
  CHECK(two[0] == 0xC1);
  CHECK(two[1] == 0x0F);
}

TEST_CASE("2-bit codes pack four per byte, lowest first", "[layout]") {
  int2 const c[5] = {int2::from_bits(1), int2::from_bits(2), int2::from_bits(3), int2::from_bits(0),
                     int2::from_bits(3)};
  std::uint8_t out[2] = {};
  pack(c, 5, out);
  CHECK(out[0] == (1 | 2 << 2 | 3 << 4 | 0 << 6));
  CHECK(out[1] == 3);
}

TEMPLATE_LIST_TEST_CASE("pack then unpack is the identity for every length", "[layout]", quantized_formats) {
  using F = TestType;
  for (std::size_t n = 0; n <= 67; ++n) {
    std::vector<F> codes(n), back(n);
    for (std::size_t i = 0; i < n; ++i) codes[i] = F::from_bits(static_cast<std::uint32_t>(test::splitmix(n * 131 + i)));
    std::vector<std::uint8_t> packed(packed_bytes<F>(n) + 1, 0xEE);
    pack(codes.data(), n, packed.data());
    CHECK(packed.back() == 0xEE);  // exactly packed_bytes written
    unpack(packed.data(), n, back.data());
    for (std::size_t i = 0; i < n; ++i) REQUIRE(back[i].bits() == codes[i].bits());
    CHECK(packed_bytes<F>(n) * 8 >= n * bits_of_v<F>);
    CHECK(packed_bytes<F>(n) * 8 < n * bits_of_v<F> + 8);
  }
}

TEST_CASE("packing rejects null buffers", "[layout]") {
  std::vector<float4_e2m1fn> c(4);
  std::uint8_t* volatile null_bytes = nullptr;  // opaque to the optimizer's bounds warnings
  CHECK_THROWS_AS(pack(c.data(), 4, null_bytes), sparq::invalid_argument);
  CHECK_THROWS_WITH(unpack(null_bytes, 4, c.data()), Catch::Contains("float4_e2m1fn"));
}

TEMPLATE_LIST_TEST_CASE("pack_n and unpack_n equal pack and unpack byte for byte", "[layout][kernel]",
                        quantized_formats) {
  using F = TestType;
  for (std::size_t n : {0u, 1u, 15u, 16u, 17u, 31u, 32u, 33u, 64u, 100u, 257u}) {
    std::vector<F> codes(n), back(n), want_back(n);
    for (std::size_t i = 0; i < n; ++i) codes[i] = F::from_bits(static_cast<std::uint32_t>(test::splitmix(n + 7 * i)));
    std::vector<std::uint8_t> a(packed_bytes<F>(n) + 1, 0xEE), b(packed_bytes<F>(n) + 1, 0xEE);
    pack(codes.data(), n, a.data());
    pack_n(codes.data(), n, b.data());
    REQUIRE(a == b);
    unpack_n(b.data(), n, back.data());
    for (std::size_t i = 0; i < n; ++i) REQUIRE(back[i].bits() == codes[i].bits());
  }
}
