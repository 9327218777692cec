// SPDX-License-Identifier: Apache-2.0
// sparq::gemm: C = alpha * A * W^T + beta * C + bias, the one public entry of the CPU GEMM and the
// only place that chooses: W (any block or element format, a prepacked matrix, plain float /
// bfloat16 / float16 weights, or any weight source) becomes a weight source
// (kernel/source/concept.hpp), the compute mode picks the driver (exact: kernel/gemm/driver.hpp,
// int8_activations: kernel/gemm/int8.hpp), and Arch picks the kernels: by default (auto_arch) the
// runtime library's best arch for this CPU where it holds W (kernel/dispatch.hpp), else the
// header kernels of the calling code's flags; an explicit xsimd tag compiles that arch's kernels.
#pragma once

// SPARQ_RUNTIME_ONLY (defined before including sparq): sparq::gemm with the default auto_arch
// compiles no kernels in the calling code; a weight type the runtime library does not hold, or a
// CPU below its archs, gives sparq::unsupported. For engines that link the library and want short
// builds; an explicit arch (sparq::gemm<xsimd::avx2>) still compiles that arch's kernels.
#if defined(SPARQ_RUNTIME_ONLY) && !defined(SPARQ_RUNTIME_DISPATCH)
#error "SPARQ_RUNTIME_ONLY needs sparq's runtime library (SPARQ_RUNTIME_DISPATCH, from the sparq::sparq target)"
#endif

#include <cstddef>
#include <string>
#include <type_traits>
#include <vector>

#include <sparq/core/config.hpp>
#include <sparq/core/error.hpp>
#include <sparq/convert/convert.hpp>
#include <sparq/core/executor.hpp>
#include <sparq/format/block.hpp>
#include <sparq/kernel/gemm/driver.hpp>
#include <sparq/kernel/gemm/int8.hpp>
#include <sparq/kernel/gemm/options.hpp>
#include <sparq/kernel/gemm/workspace.hpp>
#include <sparq/kernel/prepack.hpp>
#include <sparq/kernel/source/concept.hpp>
#include <sparq/kernel/source/layouts.hpp>
#include <sparq/kernel/source/plain.hpp>
#include <sparq/kernel/source/quantized.hpp>
#include <sparq/layout/gemm_shapes.hpp>
#include <sparq/layout/matrix_view.hpp>
#include <sparq/layout/quantized_activations.hpp>
#include <sparq/layout/quantized_matrix.hpp>
#include <sparq/quantize/quantize.hpp>
#include <sparq/kernel/dispatch.hpp>
#include <sparq/simd/arch.hpp>

SPARQ_ARCH_NAMESPACE_BEGIN

namespace arch_detail {

template <class TA>
inline constexpr bool is_activation_v =
    std::is_same<TA, float>::value || std::is_same<TA, bfloat16>::value || std::is_same<TA, float16>::value;

template <class T>
struct is_matrix_view : std::false_type {};
template <class T>
struct is_matrix_view<matrix_view<T>> : std::true_type {};

/// A name for W in error messages.
template <class S, class = void>
struct source_label {
  static std::string get() { return "this weight source"; }
};
template <class S>
struct source_label<S, void_t<typename S::format>> {
  static std::string get() { return format_label<typename S::format>(); }
};

/// SPARQ_RUNTIME_ONLY: the runtime library holds no kernels for W on the chosen arch, and this
/// translation unit compiles none of its own.
template <class W>
[[noreturn]] void runtime_only_miss(std::string const& fn, char const* arg) {
  SPARQ_THROW(unsupported, fn + ": the runtime library runs no kernels for argument '" + arg + "' (" +
                               source_label<W>::get() + ") on arch '" + runtime::arch_name(runtime::chosen_arch()) +
                               "', and this code is compiled with SPARQ_RUNTIME_ONLY (no kernels of its own)");
}

/// The one error for int8_activations on a source without an int8 image.
template <class S>
[[noreturn]] void no_int8_image(std::string const& fn, char const* arg) {
  SPARQ_THROW(unsupported, fn + ": compute_mode::int8_activations needs weight codes with an int8 image; argument '" +
                               arg + "' is " + source_label<S>::get() + ", use compute_mode::exact");
}

/// Any weight source through the driver of the requested mode.
template <class Arch, class S, class TA, class Executor>
void gemm_source(S const& w, matrix_view<TA const> const& a, matrix_view<float> const& c, gemm_options const& o,
                 Executor const& executor) {
  static_assert(check_weight_source<S>(), "");
  if (o.mode == compute_mode::int8_activations) {
    if constexpr (S::has_image) {
      gemm_int8<Arch>(w, a, c, o, executor);
    } else {
      no_int8_image<S>("sparq::gemm", "W");
    }
  } else {
    gemm_exact<Arch>(w, a, c, o, executor);
  }
}

/// W as a weight source: the call f(source) for each kind of W the entry takes.
template <class Arch, class F, class Fn>
void with_source(quantized_matrix_view<F> const& w, gemm_options const& o, Fn&& f) {
  if constexpr (chunk_policy<F>::fused) {
    f(canonical_source(w));
  } else {
    // Block sizes the chunked kernels do not cover (not 16 or a multiple of 32): dequantize,
    // then plain weights.
    if (o.mode == compute_mode::int8_activations) {
      SPARQ_THROW(unsupported, "sparq::gemm: compute_mode::int8_activations is not available for argument 'W' of " +
                                   format_label<F>() + " (block size not 16 or a multiple of 32)");
    }
    std::vector<float> values(w.rows() * w.cols());
    matrix_view<float> const v(values.data(), w.rows(), w.cols());
    dequantize(w, v);
    f(plain_source<float>(matrix_view<float const>(v)));
  }
}
template <class Arch, class F, class Fn>
void with_source(quantized_matrix<F> const& w, gemm_options const& o, Fn&& f) {
  with_source<Arch>(w.view(), o, f);
}
template <class Arch, class F, std::size_t G, class Fn>
void with_source(prepacked<F, G> const& w, gemm_options const&, Fn&& f) {
  f(w.source());
}
template <class Arch, class T, class Fn>
void with_source(matrix_view<T> const& w, gemm_options const& o, Fn&& f) {
  using value = std::remove_const_t<T>;
  static_assert(is_activation_v<value>, "sparq::gemm: plain W must hold float, bfloat16 or float16");
  if (o.mode != compute_mode::exact) {
    SPARQ_THROW(unsupported, "sparq::gemm: plain weights (argument 'W') run in compute_mode::exact only; quantize W "
                             "for compute_mode::int8_activations");
  }
  f(plain_source<value>(matrix_view<value const>(w)));
}
template <class Arch, class S, class Fn, std::enable_if_t<is_weight_source_v<S>, int> = 0>
void with_source(S const& w, gemm_options const&, Fn&& f) {
  f(w);
}
/// Layouts registered in kernel/source/layouts.hpp (sparse N:M, bitmap, dense-and-sparse).
template <class Arch, class L, class Fn, class = decltype(make_weight_source(std::declval<L const&>()))>
void with_source(L const& w, gemm_options const&, Fn&& f) {
  f(make_weight_source(w));
}

}  // namespace arch_detail

namespace arch_detail {

/// W given as a plain matrix_view is checked like A and C (and must not overlap C); other weights
/// carry their own checks.
template <class W, class TC>
void check_plain_weights(W const& w, matrix_view<TC> const& c, char const* fn, char const* w_arg = "W",
                         char const* c_arg = "C") {
  if constexpr (is_matrix_view<W>::value) {
    detail::check_view(w, fn, w_arg);
    detail::check_disjoint(c, w, fn, c_arg, w_arg);
  } else {
    (void)w, (void)c, (void)fn, (void)w_arg, (void)c_arg;
  }
}

template <class TC>
void check_output(std::size_t m, std::size_t n, gemm_options const& o, char const* fn) {
  static_assert(is_activation_v<TC>, "sparq::gemm: C must hold float, bfloat16 or float16");
  detail::check_view(o.residual, fn, "options.residual");
  if (o.residual.data() != nullptr && (o.residual.rows() != m || o.residual.cols() != n)) {
    SPARQ_THROW(invalid_argument, std::string(fn) + ": argument 'options.residual' is " +
                                      shape_text(o.residual.rows(), o.residual.cols()) + ", expected M x N = " +
                                      shape_text(m, n));
  }
}

/// Runs body(float C view): C itself when it holds float; otherwise the results go through a float
/// M x N buffer (C read into it first when beta != 0) and are rounded into C once, after every
/// check has passed (C is untouched on error).
template <class TC, class Body>
void with_float_output(matrix_view<TC> const& c, gemm_options const& o, Body&& body) {
  if constexpr (std::is_same<TC, float>::value) {
    body(c);
  } else {
    std::size_t const m = c.rows(), n = c.cols();
    std::vector<float> tmp(m * n);
    matrix_view<float> const f(tmp.data(), m, n);
    if (o.beta != 0.0f) {
      for (std::size_t i = 0; i < m; ++i) convert_n(c.row(i), n, f.row(i));
    }
    body(f);
    for (std::size_t i = 0; i < m; ++i) convert_n(f.row(i), n, c.row(i));
  }
}

}  // namespace arch_detail

namespace arch_detail {

/// A as float: bfloat16 / float16 rows widened (exactly) into buf, for the runtime library's
/// float-A entries.
template <class T>
matrix_view<float const> widened(matrix_view<T> const& a, std::vector<float>& buf) {
  std::size_t const m = a.rows(), k = a.cols();
  buf.resize(m * k);
  for (std::size_t i = 0; i < m; ++i) convert_n(a.row(i), k, buf.data() + i * k);
  return matrix_view<float const>(buf.data(), m, k);
}

/// The runtime dispatch (kernel/dispatch.hpp): runs the call on the runtime library's kernels of
/// the chosen arch when that library holds W's type, and returns whether it did. The arguments are
/// checked already; A of bfloat16 / float16 is widened to float (exactly) and a 16-bit C goes
/// through float, as in the header path.
template <class TA, class W, class TC, class Executor>
bool gemm_runtime(TA const& a, W const& w, matrix_view<TC> const& c, gemm_options const& o, Executor const& executor) {
#if defined(SPARQ_RUNTIME_DISPATCH) && SPARQ_SIMD
  using key = runtime::weight_key<W>;
  if constexpr (key::exists) {
    using K = typename key::type;
    executor_ref const ex(executor);
    if constexpr (std::is_same<TA, quantized_activations>::value) {
      auto const fq = runtime::chosen_entry(runtime::gemm_slots<K>::gemm_quantized);
      if (fq == nullptr) return false;
      with_float_output(c, o, [&](matrix_view<float> const& cf) { fq(a, key::of(w), cf, o, ex); });
    } else {
      auto const fn = runtime::chosen_entry(runtime::gemm_slots<K>::gemm);
      if (fn == nullptr) return false;
      with_float_output(c, o, [&](matrix_view<float> const& cf) {
        if constexpr (std::is_same<TA, matrix_view<float const>>::value) {
          fn(a, key::of(w), cf, o, ex);
        } else {
          std::vector<float> af;
          fn(widened(a, af), key::of(w), cf, o, ex);
        }
      });
    }
    return true;
  }
#endif
  (void)a, (void)w, (void)c, (void)o, (void)executor;
  return false;
}

}  // namespace arch_detail

/// The kernels sparq::gemm(a, w, c) runs for weights of type W (default arch): the runtime
/// library's arch ("avx512bw", "avx2") where it holds W, else the header kernels of this
/// translation unit's flags (xsimd's name: "fma3+avx2", "sse2", ...; "scalar" without SIMD).
template <class W>
std::string gemm_arch() {
#if defined(SPARQ_RUNTIME_DISPATCH) && SPARQ_SIMD
  using key = runtime::weight_key<W>;
  if constexpr (key::exists) {
    if (runtime::chosen_entry(runtime::gemm_slots<typename key::type>::gemm) != nullptr) {
      return runtime::arch_name(runtime::chosen_arch());
    }
  }
#endif
#if SPARQ_SIMD
  return default_arch::name();
#else
  return "scalar";
#endif
}

/// C[M x N] = activation(alpha * A[M x K] * W[N x K]^T + beta * C + bias[N]) + residual.
///
/// A: matrix_view of float, bfloat16 or float16 (const or not, any row stride), or
/// sparq::quantized_activations (compute_mode::int8_activations). W: a quantized_matrix or
/// quantized_matrix_view of any format, a prepacked matrix (sparq::prepack), a matrix_view of
/// plain float / bfloat16 / float16 weights, a sparse layout (nm_sparse_matrix, bitmap_sparse_matrix,
/// dense_and_sparse, owning or view, with any value format), or any type modelling the
/// weight-source concept (kernel/source/concept.hpp). C: matrix_view of float, bfloat16 or float16, any row stride (16-bit
/// C: results rounded to nearest even once, from float). Options: gemm_options.
///
/// Exact mode (default): the weights decoded to float exactly, products summed with float FMAs;
/// within K * FLT_EPSILON * sum|alpha a w| (plus one rounding per alpha/beta/bias term) of
/// kernel::reference::gemm, which sums in double. int8_activations: see compute_mode and
/// kernel::reference::gemm_int8. Results are the same under every executor and for prepacked W.
///
/// Arch: sparq::auto_arch (default) dispatches at run time (kernel/dispatch.hpp; sparq::gemm_arch
/// tells which kernels run); an xsimd arch tag (sparq::gemm<xsimd::avx2>(...)) compiles and runs
/// that arch's kernels in the calling translation unit, which must be built for it.
///
/// @pre A is M x K, W is N x K, C is M x N, a residual M x N; otherwise sparq::invalid_argument
///      names the argument and C is untouched. A mode W cannot run throws sparq::unsupported, C
///      untouched.
///
///   auto q = sparq::quantize<sparq::mxfp4>(weights);            // N x K
///   sparq::gemm(activations, q, out);                            // out = activations * W^T
///   sparq::gemm(activations, sparq::prepack(q), out, {}, pool);  // the same, faster layout
template <class Arch = auto_arch, class TA, class W, class TC, class Executor = serial_executor>
void gemm(matrix_view<TA> const& a, W const& w, matrix_view<TC> const& c, gemm_options const& o = {},
          Executor const& executor = {}) {
  using value = std::remove_const_t<TA>;
  static_assert(arch_detail::is_activation_v<value>, "sparq::gemm: A must hold float, bfloat16 or float16");
  static_assert(!std::is_const<TC>::value, "sparq::gemm: C must be a view of mutable data");
  matrix_view<value const> const av(a);
  detail::check_view(a, "sparq::gemm", "A");
  detail::check_view(c, "sparq::gemm", "C");
  arch_detail::check_plain_weights(w, c, "sparq::gemm");
  detail::check_disjoint(c, a, "sparq::gemm", "C", "A");
  detail::check_gemm_shapes(a.rows(), a.cols(), w.rows(), w.cols(), c.rows(), c.cols(), "sparq::gemm");
  arch_detail::check_output<TC>(c.rows(), c.cols(), o, "sparq::gemm");
  if constexpr (std::is_same<Arch, auto_arch>::value) {
    if (!arch_detail::gemm_runtime(av, w, c, o, executor)) {
#if defined(SPARQ_RUNTIME_ONLY)
      arch_detail::runtime_only_miss<W>("sparq::gemm", "W");
#else
      gemm<default_arch>(a, w, c, o, executor);
#endif
    }
  } else {
    arch_detail::with_source<Arch>(w, o, [&](auto const& source) {
      arch_detail::with_float_output(c, o, [&](matrix_view<float> const& cf) {
        arch_detail::gemm_source<Arch>(source, av, cf, o, executor);
      });
    });
  }
}

/// The same with A quantized once by sparq::quantize_activations (int8_activations mode; W must
/// have an int8 image): identical results to passing the float A, without quantizing it again.
template <class Arch = auto_arch, class W, class TC, class Executor = serial_executor>
void gemm(quantized_activations const& a, W const& w, matrix_view<TC> const& c, gemm_options const& o = {},
          Executor const& executor = {}) {
  detail::check_view(c, "sparq::gemm", "C");
  arch_detail::check_plain_weights(w, c, "sparq::gemm");
  detail::check_gemm_shapes(a.rows(), a.cols(), w.rows(), w.cols(), c.rows(), c.cols(), "sparq::gemm");
  arch_detail::check_output<TC>(c.rows(), c.cols(), o, "sparq::gemm");
  if (o.mode != compute_mode::int8_activations) {
    SPARQ_THROW(unsupported, "sparq::gemm: argument 'A' is quantized_activations, which needs "
                             "compute_mode::int8_activations");
  }
  if constexpr (std::is_same<Arch, auto_arch>::value) {
    if (!arch_detail::gemm_runtime(a, w, c, o, executor)) {
#if defined(SPARQ_RUNTIME_ONLY)
      arch_detail::runtime_only_miss<W>("sparq::gemm", "W");
#else
      gemm<default_arch>(a, w, c, o, executor);
#endif
    }
  } else {
    arch_detail::with_source<Arch>(w, o, [&](auto const& source) {
      using S = std::decay_t<decltype(source)>;
      if constexpr (S::has_image) {
        arch_detail::with_float_output(c, o, [&](matrix_view<float> const& cf) {
          arch_detail::gemm_int8_rows<Arch>(source, arch_detail::rows_of(a), cf, o, executor);
        });
      } else {
        arch_detail::no_int8_image<S>("sparq::gemm", "W");
      }
    });
  }
}

SPARQ_ARCH_NAMESPACE_END
