// SPDX-License-Identifier: Apache-2.0
// The public headers build with -fno-exceptions: errors then print their message and abort
// (SPARQ_THROW). Instantiates the entry points that validate arguments.
#include <sparq/sparq.hpp>

int sparq_no_exceptions_check(float const* x, sparq::float8_e4m3fn* q, std::size_t n) {
  sparq::convert_n(x, n, q);
  auto const m = sparq::quantize<sparq::mxfp4>(sparq::matrix_view<float const>(x, 1, n));
  std::vector<float> back(n);
  sparq::dequantize(m, sparq::matrix_view<float>(back.data(), 1, n));
  return static_cast<int>(back.size());
}
