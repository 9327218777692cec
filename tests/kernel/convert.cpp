// SPDX-License-Identifier: Apache-2.0
// Bulk conversion (sparq::convert_n, the compiled arch's SIMD path) equals the scalar conversion
// bit for bit: every format and policy, float / bfloat16 / float16 inputs, lengths that exercise
// tails and misaligned pointers; bad arguments are rejected and leave the output untouched.
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>
#include <vector>

#include <sparq/format/all.hpp>
#include <sparq/format/convert.hpp>
#include <sparq/convert/convert.hpp>

#include "../support/inputs.hpp"

using namespace sparq;

namespace {

/// Mismatches between convert_n and per-element convert (plus a guard element past the end).
/// With rbits, stochastic rounding is added to the policies p.
template <class F, class... P>
std::size_t count_bulk_mismatches(float const* x, std::size_t n, std::uint32_t const* rbits, P const&... p) {
  if (n > (std::size_t{1} << 30)) return n;  // bounds n for GCC 12's -Wstringop-overflow
  std::vector<F> got(n + 1, F::from_bits(0x1)), want(n);
  if constexpr (sizeof...(P) < 2) {
    if (rbits) {
      for (std::size_t i = 0; i < n; ++i) want[i] = convert<F>(x[i], p..., rounding::stochastic{rbits[i]});
      convert_n(x, n, got.data(), p..., rounding::stochastic_stream{rbits, n});
    }
  }
  if (!rbits) {
    for (std::size_t i = 0; i < n; ++i) want[i] = convert<F>(x[i], p...);
    convert_n(x, n, got.data(), p...);
  }
  std::size_t bad = 0;
  for (std::size_t i = 0; i < n; ++i) bad += got[i].bits() != want[i].bits();
  bad += got[n].bits() != 0x1;  // nothing written past the end
  return bad;
}

template <class F>
std::vector<std::uint32_t> random_words(std::size_t n) {
  std::vector<std::uint32_t> r(n);
  for (std::size_t i = 0; i < n; ++i) r[i] = static_cast<std::uint32_t>(test::splitmix(i + 99));
  return r;
}

}  // namespace

TEMPLATE_LIST_TEST_CASE("bulk encode equals scalar encode bit for bit", "[kernel][exhaustive]", element_formats) {
  using F = TestType;
  std::vector<float> x = test::all_half_and_bfloat16_inputs();
  std::vector<float> const f = test::focused_inputs<F>(20000, 7);
  x.insert(x.end(), f.begin(), f.end());
  std::vector<std::uint32_t> const r = random_words<F>(x.size());
  CHECK(count_bulk_mismatches<F>(x.data(), x.size(), nullptr) == 0);
  CHECK(count_bulk_mismatches<F>(x.data(), x.size(), nullptr, overflow::ieee) == 0);
  CHECK(count_bulk_mismatches<F>(x.data(), x.size(), nullptr, rounding::toward_zero, overflow::saturate) == 0);
  CHECK(count_bulk_mismatches<F>(x.data(), x.size(), nullptr, rounding::toward_zero, overflow::ieee) == 0);
  CHECK(count_bulk_mismatches<F>(x.data(), x.size(), r.data()) == 0);
  CHECK(count_bulk_mismatches<F>(x.data(), x.size(), r.data(), overflow::ieee) == 0);
}

TEMPLATE_LIST_TEST_CASE("bulk encode handles every length and offset around the vector width", "[kernel]",
                        element_formats) {
  using F = TestType;
  std::vector<float> const x = test::focused_inputs<F>(300, 3);
  std::vector<std::uint32_t> const r = random_words<F>(x.size());
  auto const n = GENERATE(0, 1, 3, 7, 8, 9, 15, 16, 17, 31, 33, 64, 65, 131);
  auto const offset = GENERATE(0, 1, 3);
  REQUIRE(static_cast<std::size_t>(n + offset) <= x.size());
  CHECK(count_bulk_mismatches<F>(x.data() + offset, n, nullptr) == 0);
  CHECK(count_bulk_mismatches<F>(x.data() + offset, n, r.data() + offset, overflow::ieee) == 0);
}

TEMPLATE_LIST_TEST_CASE("bulk decode equals scalar decode on every code", "[kernel][exhaustive]", element_formats) {
  using F = TestType;
  std::size_t const codes = std::size_t{1} << bits_of_v<F>;
  std::vector<F> in(codes + 37);
  for (std::size_t i = 0; i < in.size(); ++i) in[i] = F::from_bits(static_cast<std::uint32_t>(i * 2654435761u));
  for (std::size_t i = 0; i < codes; ++i) in[i] = F::from_bits(static_cast<std::uint32_t>(i));
  for (std::size_t offset : {0u, 1u, 5u}) {
    std::size_t const n = in.size() - offset;
    std::vector<float> out(n);
    convert_n(in.data() + offset, n, out.data());
    std::size_t bad = 0;
    for (std::size_t i = 0; i < n; ++i) {
      bad += test::bits_of_float(out[i]) != test::bits_of_float(static_cast<float>(in[offset + i]));
    }
    CHECK(bad == 0);
  }
}

TEMPLATE_LIST_TEST_CASE("bulk conversion from bfloat16 and float16 equals converting their floats", "[kernel]",
                        element_formats) {
  using F = TestType;
  std::vector<bfloat16> b(1u << 16);
  std::vector<float16> h(1u << 16);
  for (std::uint32_t i = 0; i < (1u << 16); ++i) {
    b[i] = bfloat16::from_bits(i);
    h[i] = float16::from_bits(i);
  }
  std::vector<F> got_b(b.size()), got_h(h.size());
  convert_n(b.data(), b.size(), got_b.data());
  convert_n(h.data(), h.size(), got_h.data(), overflow::ieee);
  std::size_t bad = 0;
  for (std::uint32_t i = 0; i < (1u << 16); ++i) {
    bad += got_b[i].bits() != F(static_cast<float>(b[i])).bits();
    bad += got_h[i].bits() != convert<F>(static_cast<float>(h[i]), overflow::ieee).bits();
  }
  CHECK(bad == 0);
}

TEMPLATE_LIST_TEST_CASE("bulk conversion from a format to bfloat16 and float16 equals the scalar path", "[kernel]",
                        quantized_formats) {
  using F = TestType;
  std::size_t const codes = std::size_t{1} << bits_of_v<F>;
  std::vector<F> in(codes + 11);
  for (std::size_t i = 0; i < in.size(); ++i) in[i] = F::from_bits(static_cast<std::uint32_t>(i % codes));
  std::vector<bfloat16> b(in.size());
  std::vector<float16> h(in.size());
  convert_n(in.data(), in.size(), b.data());
  convert_n(in.data(), in.size(), h.data(), overflow::saturate);
  std::size_t bad = 0;
  for (std::size_t i = 0; i < in.size(); ++i) {
    bad += b[i].bits() != convert<bfloat16>(in[i]).bits();
    bad += h[i].bits() != convert<float16>(in[i], overflow::saturate).bits();
  }
  CHECK(bad == 0);
}

TEST_CASE("bulk conversion rejects bad arguments and leaves the output untouched", "[kernel]") {
  std::vector<float> x(10, 1.0f);
  std::vector<float8_e4m3fn> out(10, float8_e4m3fn::from_bits(0x11));
  std::vector<std::uint32_t> r(9);
  CHECK_THROWS_WITH(convert_n(x.data(), 10, out.data(), rounding::stochastic_stream{r.data(), r.size()}),
                    Catch::Contains("stochastic_stream has 9 random words") && Catch::Contains("(10)"));
  CHECK_THROWS_AS(convert_n(static_cast<float const*>(nullptr), 10, out.data()), sparq::invalid_argument);
  CHECK_THROWS_WITH(convert_n(x.data(), 10, static_cast<float8_e4m3fn*>(nullptr)), Catch::Contains("'out' is null"));
  CHECK_THROWS_WITH(convert(span<float const>(x), span<float8_e4m3fn>(out.data(), 9)),
                    Catch::Contains("'out' has 9 elements, expected in.size() = 10"));
  for (auto const& o : out) CHECK(o.bits() == 0x11);
  convert_n(static_cast<float const*>(nullptr), 0, static_cast<float8_e4m3fn*>(nullptr));  // n == 0: no-op
  convert(span<float const>(x), span<float8_e4m3fn>(out));
  CHECK(out[0].bits() == 0x38);  // 1.0
}
