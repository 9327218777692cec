// SPDX-License-Identifier: Apache-2.0
// Encoding against the independent reference (tests/support/reference.hpp): every FP16 and BF16
// bit pattern and focused float32 values, every format, every rounding x overflow policy.
#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

#include <sparq/format/all.hpp>
#include <sparq/format/convert.hpp>

#include "../support/inputs.hpp"
#include "../support/reference.hpp"

using namespace sparq;

namespace {

template <class F, class Overflow>
void check_policy_set(std::vector<float> const& inputs, Overflow ov, bool ieee) {
  std::size_t bad_nearest = 0, bad_zero = 0, bad_stochastic = 0;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    float const x = inputs[i];
    std::uint32_t const r = static_cast<std::uint32_t>(test::splitmix(i * 7919u + 1));
    std::uint32_t const n = convert<F>(x, ov).bits();
    std::uint32_t const z = convert<F>(x, ov, rounding::toward_zero).bits();
    std::uint32_t const s = convert<F>(x, ov, rounding::stochastic{r}).bits();
    std::uint32_t const wn = test::ref_encode<F>(x, test::ref_round::nearest_even, ieee, 0);
    std::uint32_t const wz = test::ref_encode<F>(x, test::ref_round::toward_zero, ieee, 0);
    std::uint32_t const ws = test::ref_encode<F>(x, test::ref_round::stochastic, ieee, r);
    if (n != wn && ++bad_nearest <= 3) FAIL_CHECK("nearest x=" << x << " got " << n << " want " << wn);
    if (z != wz && ++bad_zero <= 3) FAIL_CHECK("toward_zero x=" << x << " got " << z << " want " << wz);
    if (s != ws && ++bad_stochastic <= 3) FAIL_CHECK("stochastic x=" << x << " r=" << r << " got " << s << " want " << ws);
  }
  CHECK(bad_nearest == 0);
  CHECK(bad_zero == 0);
  CHECK(bad_stochastic == 0);
}

}  // namespace

TEMPLATE_LIST_TEST_CASE("encoding equals the nearest-value search under every policy",
                        "[format][exhaustive]", element_formats) {
  using F = TestType;
  static std::vector<float> const halves = test::all_half_and_bfloat16_inputs();
  std::vector<float> const focused = test::focused_inputs<F>(20000, 0xF0C5EDull);
  SECTION("every float16 and bfloat16 bit pattern, saturate") { check_policy_set<F>(halves, overflow::saturate, false); }
  SECTION("every float16 and bfloat16 bit pattern, ieee") { check_policy_set<F>(halves, overflow::ieee, true); }
  SECTION("ties, boundaries and random float32, saturate") { check_policy_set<F>(focused, overflow::saturate, false); }
  SECTION("ties, boundaries and random float32, ieee") { check_policy_set<F>(focused, overflow::ieee, true); }
}

TEMPLATE_LIST_TEST_CASE("rounding is monotonic and symmetric under negation", "[format]", element_formats) {
  using F = TestType;
  std::vector<float> x;
  for (float v : test::focused_inputs<F>(5000, 42)) {
    if (v == v) x.push_back(v);  // NaN has no place in an ordering
  }
  float prev_v = -INFINITY;
  std::sort(x.begin(), x.end(), [](float a, float b) { return a < b; });
  for (float v : x) {
    float const q = static_cast<float>(F(v));
    if (q != q) continue;  // NaN results (E8M0 below range) are not ordered
    CHECK(q >= prev_v);
    prev_v = q;
    if (is_signed_format_v<F> && !std::is_same<F, int8>::value && !std::is_same<F, int4>::value &&
        !std::is_same<F, int2>::value) {
      float const qn = static_cast<float>(F(-v));
      CHECK((qn == -q || (qn == 0 && q == 0)));
    }
  }
}
