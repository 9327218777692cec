// SPDX-License-Identifier: Apache-2.0
// sparq::gemm, exact mode, element formats: M x N x K grid with tails and bfloat16/float16
// activations.
#include "gemm_check.hpp"

using namespace sparq;
using namespace gemm_test;

TEMPLATE_LIST_TEST_CASE("gemm (element formats) matches the reference on M x N x K with tails", "[kernel][gemm]",
                        element_formats) {
  grid<TestType>();
}

TEMPLATE_LIST_TEST_CASE("gemm with bfloat16 and float16 activations, every format", "[kernel][gemm]", element_formats) {
  gemm_options o;
  o.alpha = 2.0f;
  check_shape<TestType, bfloat16>(3, 67, 96, o, 5);
  check_shape<TestType, float16>(33, 5, 200, o, 6);
}
