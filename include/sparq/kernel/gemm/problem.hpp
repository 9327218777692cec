// SPDX-License-Identifier: Apache-2.0
// One problem of sparq::gemm_grouped (kernel/grouped.hpp): its A, W, C and bias.
#pragma once

#include <sparq/core/config.hpp>
#include <sparq/layout/matrix_view.hpp>

SPARQ_NAMESPACE_BEGIN

/// One problem of a grouped GEMM: C = A W^T (+ the shared options' epilogue), with its own bias
/// (null: the options' bias). W is any weight sparq::gemm takes; it is referenced, not copied.
template <class TA, class W, class TC = float>
struct gemm_problem {
  matrix_view<TA> a;
  W const* w = nullptr;
  matrix_view<TC> c;
  float const* bias = nullptr;
};

/// A gemm_problem from its parts (template arguments deduced).
template <class TA, class W, class TC>
gemm_problem<TA, W, TC> make_gemm_problem(matrix_view<TA> const& a, W const& w, matrix_view<TC> const& c,
                                          float const* bias = nullptr) {
  return gemm_problem<TA, W, TC>{a, &w, c, bias};
}

SPARQ_NAMESPACE_END
