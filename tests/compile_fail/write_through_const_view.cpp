// SPDX-License-Identifier: Apache-2.0
// A view of const data cannot be written through.
#include <sparq/sparq.hpp>

void f(float* buf) {
#ifdef SPARQ_SHOULD_FAIL
  sparq::matrix_view<float const> const v(buf, 2, 2);
#else
  sparq::matrix_view<float> const v(buf, 2, 2);
#endif
  v(1, 1) = 1.0f;
}
