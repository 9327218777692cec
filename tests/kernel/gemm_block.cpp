// SPDX-License-Identifier: Apache-2.0
// sparq::gemm, exact mode, block formats: M x N x K grid with tails and bfloat16/float16
// activations (own translation unit: the kernels' instantiations build in parallel).
#include "gemm_check.hpp"

using namespace sparq;
using namespace gemm_test;

TEMPLATE_LIST_TEST_CASE("gemm (block formats) matches the reference on M x N x K with tails", "[kernel][gemm]",
                        block_formats) {
  grid<TestType>();
}

TEMPLATE_LIST_TEST_CASE("gemm with bfloat16 and float16 activations, block formats", "[kernel][gemm]", block_formats) {
  gemm_options o;
  o.beta = 1.0f;
  check_shape<TestType, bfloat16>(2, 64, 200, o, 7);
  check_shape<TestType, float16>(16, 67, 96, o, 8);
}
