// SPDX-License-Identifier: Apache-2.0
// sparq::gemm: C = alpha * A * W^T + beta * C + bias with W in any block or element format, a
// prepacked matrix, or plain float / bfloat16 / float16 weights. Exact mode decodes weights to
// float (GEMV kernel for M <= 4, panel GEMM above); int8_activations mode quantizes A per 32
// values and multiplies integers (kernel/gemm/int8.hpp).
#pragma once

#include <cstddef>
#include <string>
#include <type_traits>
#include <vector>

#include <sparq/core/config.hpp>
#include <sparq/core/error.hpp>
#include <sparq/core/executor.hpp>
#include <sparq/kernel/gemm/driver.hpp>
#include <sparq/kernel/gemm/int8.hpp>
#include <sparq/kernel/gemm/options.hpp>
#include <sparq/kernel/gemm/weights.hpp>
#include <sparq/kernel/gemm/workspace.hpp>
#include <sparq/kernel/prepack.hpp>
#include <sparq/kernel/reference/gemm.hpp>
#include <sparq/kernel/simd.hpp>
#include <sparq/layout/matrix_view.hpp>
#include <sparq/layout/quantized_matrix.hpp>
#include <sparq/quantize/quantize.hpp>

SPARQ_NAMESPACE_BEGIN

namespace detail {

template <class TA>
inline constexpr bool is_activation_v =
    std::is_same<TA, float>::value || std::is_same<TA, bfloat16>::value || std::is_same<TA, float16>::value;

/// Quantized weights in either layout through one path: exact or int8 mode.
template <class Arch, class Format, class W, class TA, class Executor>
void gemm_quantized(W const& w, matrix_view<TA const> const& a, matrix_view<float> const& c, gemm_options const& o,
                    Executor const& executor) {
  if (o.mode == compute_mode::int8_activations) {
    if constexpr (int8_mode_supported<Format>::value) {
      gemm_int8<Arch, Format>(w, a, c, o, executor);
    } else {
      SPARQ_THROW(unsupported, std::string("sparq::gemm: compute_mode::int8_activations needs weight codes with an "
                                           "int8 image; argument 'W' is ") +
                                   format_label<Format>() + ", use compute_mode::exact");
    }
  } else {
    gemm_exact<Arch>(w, a, c, o, executor);
  }
}

}  // namespace detail

/// C[M x N] = alpha * A[M x K] * W[N x K]^T + beta * C + bias[N].
///
/// Exact mode (default): the weights decoded to float exactly, products summed with float FMAs;
/// within K * FLT_EPSILON * sum|alpha a w| (plus one rounding per alpha/beta/bias term) of
/// kernel::reference::gemm, which sums in double. int8_activations: see compute_mode and
/// kernel::reference::gemm_int8. Results are the same under every executor and for prepacked W.
///
/// @pre A is M x K (float, bfloat16 or float16), W is N x K, C is M x N; otherwise
///      sparq::invalid_argument names the argument and C is untouched. A mode the format cannot
///      run throws sparq::unsupported, C untouched.
///
///   auto q = sparq::quantize<sparq::mxfp4>(weights);            // N x K
///   sparq::gemm(activations, q, out);                            // out = activations * W^T
///   sparq::gemm(activations, sparq::prepack(q), out, {}, pool);  // the same, faster layout
template <class Arch = default_arch, class TA, class Format, class Executor = serial_executor>
void gemm(matrix_view<TA const> const& a, quantized_matrix_view<Format> const& w, matrix_view<float> const& c,
          gemm_options const& o = {}, Executor const& executor = {}) {
  static_assert(detail::is_activation_v<TA>, "sparq::gemm: A must hold float, bfloat16 or float16");
  detail::check_gemm_shapes(a.rows(), a.cols(), w.rows(), w.cols(), c.rows(), c.cols(), "sparq::gemm");
  if constexpr (detail::gemm_unit<Format>::fused) {
    detail::gemm_quantized<Arch, Format>(detail::quantized_weights<Format>(w), a, c, o, executor);
  } else {
    // Block sizes the chunked kernels do not cover: dequantize, then the float path.
    if (o.mode == compute_mode::int8_activations) {
      SPARQ_THROW(unsupported, std::string("sparq::gemm: compute_mode::int8_activations is not available for ") +
                                   detail::format_label<Format>() + " (block size not 16 or a multiple of 32)");
    }
    std::vector<float> values(w.rows() * w.cols());
    matrix_view<float> const v(values.data(), w.rows(), w.cols());
    dequantize(w, v);
    detail::gemm_exact<Arch>(detail::dense_weights<float>(matrix_view<float const>(v)), a, c, o, executor);
  }
}

template <class Arch = default_arch, class TA, class Format, class Executor = serial_executor>
void gemm(matrix_view<TA const> const& a, quantized_matrix<Format> const& w, matrix_view<float> const& c,
          gemm_options const& o = {}, Executor const& executor = {}) {
  gemm<Arch>(a, w.view(), c, o, executor);
}

/// The same with prepacked weights (sparq::prepack): identical results, faster streams.
template <class Arch = default_arch, class TA, class Format, class Executor = serial_executor>
void gemm(matrix_view<TA const> const& a, prepacked<Format> const& w, matrix_view<float> const& c,
          gemm_options const& o = {}, Executor const& executor = {}) {
  static_assert(detail::is_activation_v<TA>, "sparq::gemm: A must hold float, bfloat16 or float16");
  detail::check_gemm_shapes(a.rows(), a.cols(), w.rows(), w.cols(), c.rows(), c.cols(), "sparq::gemm");
  detail::gemm_quantized<Arch, Format>(w.weights(), a, c, o, executor);
}

/// The same with plain weights W[N x K] of float, bfloat16 or float16 (exact mode only).
template <class Arch = default_arch, class TA, class TW, class Executor = serial_executor>
void gemm(matrix_view<TA const> const& a, matrix_view<TW const> const& w, matrix_view<float> const& c,
          gemm_options const& o = {}, Executor const& executor = {}) {
  static_assert(detail::is_activation_v<TA>, "sparq::gemm: A must hold float, bfloat16 or float16");
  static_assert(detail::is_activation_v<TW>, "sparq::gemm: plain W must hold float, bfloat16 or float16");
  detail::check_gemm_shapes(a.rows(), a.cols(), w.rows(), w.cols(), c.rows(), c.cols(), "sparq::gemm");
  if (o.mode != compute_mode::exact) {
    SPARQ_THROW(unsupported, "sparq::gemm: plain weights run in compute_mode::exact only; quantize W for "
                             "compute_mode::int8_activations");
  }
  detail::gemm_exact<Arch>(detail::dense_weights<TW>(w), a, c, o, executor);
}

SPARQ_NAMESPACE_END
