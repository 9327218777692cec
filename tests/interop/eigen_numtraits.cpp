// SPDX-License-Identifier: Apache-2.0
// Eigen's NumTraits works for every format through the generic std::numeric_limits
// specialization (no per-format glue), so formats can sit in Eigen expressions' type plumbing.
#include <catch2/catch.hpp>

#include <Eigen/Core>

#include <sparq/format/all.hpp>

using namespace sparq;

TEMPLATE_LIST_TEST_CASE("Eigen NumTraits reads the limits of every format", "[interop]", element_formats) {
  using F = TestType;
  using T = Eigen::NumTraits<F>;
  CHECK(static_cast<float>(T::highest()) == max_finite_v<F>);
  CHECK(static_cast<float>(T::lowest()) == static_cast<float>(std::numeric_limits<F>::lowest()));
  CHECK(static_cast<float>(T::epsilon()) == static_cast<float>(std::numeric_limits<F>::epsilon()));
  CHECK(T::IsSigned == is_signed_format_v<F>);
}
