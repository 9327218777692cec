// SPDX-License-Identifier: Apache-2.0
// The shape contract of C[M x N] = A[M x K] * W[N x K]^T, checked by every GEMM entry point (the
// kernels and the reference alike) before anything is read or written.
#pragma once

#include <cstddef>
#include <string>

#include <sparq/core/config.hpp>
#include <sparq/core/error.hpp>

SPARQ_NAMESPACE_BEGIN
namespace detail {

inline std::string shape_text(std::size_t r, std::size_t c) { return std::to_string(r) + " x " + std::to_string(c); }

/// Throws sparq::invalid_argument naming the argument ('W' or 'C'), its shape and the expected one.
inline void check_gemm_shapes(std::size_t a_rows, std::size_t a_cols, std::size_t w_rows, std::size_t w_cols,
                              std::size_t c_rows, std::size_t c_cols, char const* fn) {
  if (w_cols != a_cols) {
    SPARQ_THROW(invalid_argument, std::string(fn) + ": argument 'W' is " + shape_text(w_rows, w_cols) +
                                      ", expected N x K = N x " + std::to_string(a_cols) + " (K from A, " +
                                      shape_text(a_rows, a_cols) + ")");
  }
  if (c_rows != a_rows || c_cols != w_rows) {
    SPARQ_THROW(invalid_argument, std::string(fn) + ": argument 'C' is " + shape_text(c_rows, c_cols) +
                                      ", expected M x N = " + shape_text(a_rows, w_rows));
  }
}

}  // namespace detail
SPARQ_NAMESPACE_END
