// SPDX-License-Identifier: Apache-2.0
// Bulk conversion needs one random word per element: a single-word stochastic policy is rejected.
#include <sparq/sparq.hpp>

void f(float const* x, sparq::float8_e4m3fn* out) {
#ifdef SPARQ_SHOULD_FAIL
  sparq::convert_n(x, 4, out, sparq::rounding::stochastic{1u});
#else
  std::uint32_t const bits[4] = {1, 2, 3, 4};
  sparq::convert_n(x, 4, out, sparq::rounding::stochastic_stream{bits, 4});
#endif
}
