// SPDX-License-Identifier: Apache-2.0
// Every code of every format: decodes to the value its bit fields state (computed independently
// in double), the decode table agrees, and decode-then-encode is the identity on non-NaN codes.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>

#include <sparq/format/all.hpp>
#include <sparq/format/convert.hpp>

#include "../support/reference.hpp"

using namespace sparq;

TEMPLATE_LIST_TEST_CASE("every code decodes to the value of its bit fields", "[format][exhaustive]",
                        element_formats) {
  using F = TestType;
  std::uint32_t mismatches = 0;
  for (std::uint32_t code = 0; code < (1u << bits_of_v<F>); ++code) {
    double const want = test::ref_value<F>(code);
    float const got = static_cast<float>(F::from_bits(code));
    bool const ok = std::isnan(want) ? std::isnan(got)
                                     : (static_cast<double>(got) == want && std::signbit(got) == std::signbit(want));
    if (!ok && ++mismatches < 5) FAIL_CHECK("code " << code << ": got " << got << ", want " << want);
  }
  CHECK(mismatches == 0);
}

TEMPLATE_LIST_TEST_CASE("decode then encode is the identity on every non-NaN code", "[format][exhaustive]",
                        element_formats) {
  using F = TestType;
  std::uint32_t checked = 0;
  for (std::uint32_t code = 0; code < (1u << bits_of_v<F>); ++code) {
    F const x = F::from_bits(code);
    if (isnan(x)) {
      CHECK(isnan(F(static_cast<float>(x))));
      continue;
    }
    float const v = static_cast<float>(x);
    if constexpr (!F::spec::is_integer) {
      if (std::isinf(v)) {
        // Inf codes survive under overflow::ieee; saturation maps them to +-max.
        REQUIRE(convert<F>(v, overflow::ieee).bits() == code);
        REQUIRE(convert<F>(v, overflow::saturate).bits() == ((code & F::spec::sign_mask) | F::spec::max_magnitude));
        continue;
      }
    }
    REQUIRE(F(static_cast<float>(x)).bits() == code);  // includes -0 where the format has it
    REQUIRE(convert<F>(static_cast<float>(x), overflow::ieee).bits() == code);
    REQUIRE(convert<F>(static_cast<float>(x), rounding::toward_zero).bits() == code);
    REQUIRE(convert<F>(static_cast<float>(x), rounding::stochastic{0xFFFFFFFFu}).bits() == code);
    ++checked;
  }
  CHECK(checked > 0);
}

TEMPLATE_LIST_TEST_CASE("the decode table holds the value of every code's bit fields", "[format][exhaustive]",
                        quantized_formats) {
  using F = TestType;
  constexpr auto table = decode_table_v<F>;  // usable in constant expressions
  STATIC_REQUIRE(table.size() == (1u << bits_of_v<F>));
  for (std::uint32_t code = 0; code < table.size(); ++code) {
    double const want = test::ref_value<F>(code);  // computed in double from the fields, not by the codec
    if (std::isnan(want)) {
      CHECK(std::isnan(table[code]));
    } else {
      CHECK(static_cast<double>(table[code]) == want);
      CHECK(std::signbit(table[code]) == std::signbit(want));
    }
  }
}

TEMPLATE_LIST_TEST_CASE("the int8 image table is value x factor for every code", "[format][exhaustive]",
                        quantized_formats) {
  using F = TestType;
  if constexpr (int8_image<F>::exists) {
    double const factor = int8_image<F>::factor;
    for (std::uint32_t code = 0; code < (1u << bits_of_v<F>); ++code) {
      CHECK(static_cast<double>(image_table_v<F>[code]) == test::ref_value<F>(code) * factor);
    }
  } else {
    SUCCEED("no int8 image");
  }
}
