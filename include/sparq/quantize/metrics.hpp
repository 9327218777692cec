// SPDX-License-Identifier: Apache-2.0
// Error metrics between a float matrix and its quantized image, accumulated in double.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>

#include <sparq/core/config.hpp>
#include <sparq/core/error.hpp>
#include <sparq/layout/matrix_view.hpp>
#include <sparq/quantize/types.hpp>

SPARQ_ARCH_NAMESPACE_BEGIN

/// The error of y against the reference x (error_metrics, quantize/types.hpp).
inline error_metrics compare(matrix_view<float const> const& x, matrix_view<float const> const& y) {
  detail::check_view(x, "sparq::compare", "x");
  detail::check_view(y, "sparq::compare", "y");
  if (x.rows() != y.rows() || x.cols() != y.cols()) {
    SPARQ_THROW(invalid_argument, "sparq::compare: argument 'y' is " + std::to_string(y.rows()) + " x " +
                                      std::to_string(y.cols()) + ", expected " + std::to_string(x.rows()) + " x " +
                                      std::to_string(x.cols()));
  }
  double sxx = 0, syy = 0, sxy = 0, see = 0, max_abs = 0;
  for (std::size_t r = 0; r < x.rows(); ++r) {
    for (std::size_t c = 0; c < x.cols(); ++c) {
      double const a = static_cast<double>(x(r, c)), b = static_cast<double>(y(r, c)), e = a - b;
      sxx += a * a;
      syy += b * b;
      sxy += a * b;
      see += e * e;
      max_abs = std::max(max_abs, std::fabs(e));
      if (e != e) max_abs = e;
    }
  }
  error_metrics m;
  m.snr_db = see == 0 ? std::numeric_limits<double>::infinity() : 10.0 * std::log10(sxx / see);
  m.relative_frobenius = sxx == 0 ? (see == 0 ? 0.0 : std::numeric_limits<double>::infinity()) : std::sqrt(see / sxx);
  m.max_abs = max_abs;
  m.cosine = (sxx == 0 && syy == 0) ? 1.0 : sxy / std::sqrt(sxx * syy);
  return m;
}

SPARQ_ARCH_NAMESPACE_END
