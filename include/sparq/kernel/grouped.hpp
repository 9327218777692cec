// SPDX-License-Identifier: Apache-2.0
// sparq::gemm_grouped: several independent GEMMs (A_i, W_i, C_i) in one call, the way a
// mixture-of-experts layer runs its experts: every problem is split into slices of weight rows,
// and all slices of all problems are one list of tasks for the executor, so a thread that
// finishes a small expert takes work from a large one.
#pragma once

#include <cstddef>
#include <string>
#include <type_traits>
#include <vector>

#include <sparq/core/config.hpp>
#include <sparq/core/error.hpp>
#include <sparq/core/executor.hpp>
#include <sparq/kernel/dispatch.hpp>
#include <sparq/kernel/gemm.hpp>
#include <sparq/kernel/gemm/problem.hpp>
#include <sparq/kernel/source/row_slice.hpp>

SPARQ_ARCH_NAMESPACE_BEGIN

namespace arch_detail {

/// The runtime dispatch of gemm_grouped (as gemm_runtime in kernel/gemm.hpp): runs the problems
/// on the runtime library's kernels of the chosen arch when it holds W's type, so that each
/// result still equals sparq::gemm on the problem bit for bit; returns whether it did. A of
/// bfloat16 / float16 is widened to float, a 16-bit C goes through float buffers.
template <class TA, class W, class TC, class Executor>
bool gemm_grouped_runtime(span<gemm_problem<TA, W, TC> const> problems, gemm_options const& o,
                          Executor const& executor) {
#if defined(SPARQ_RUNTIME_DISPATCH) && SPARQ_SIMD
  using key = runtime::weight_key<W>;
  if constexpr (key::exists) {
    using K = typename key::type;
    auto const fn = runtime::chosen_entry(runtime::gemm_slots<K>::grouped);
    if (fn == nullptr) return false;
    std::size_t const n = problems.size();
    std::vector<K> keys;  // W's key where it is not W itself (a view of a quantized_matrix)
    keys.reserve(n);
    std::vector<std::vector<float>> abuf(n), cbuf(n);
    std::vector<gemm_problem<float const, K, float>> fp(n);
    for (std::size_t i = 0; i < n; ++i) {
      auto const& p = problems.data()[i];
      std::size_t const m = p.a.rows(), cols = p.c.cols();
      if constexpr (std::is_same<W, K>::value) {
        fp[i].w = p.w;
      } else {
        keys.push_back(key::of(*p.w));
        fp[i].w = &keys.back();
      }
      if constexpr (std::is_same<std::remove_const_t<TA>, float>::value) {
        fp[i].a = matrix_view<float const>(p.a);
      } else {
        fp[i].a = widened(p.a, abuf[i]);
      }
      if constexpr (std::is_same<TC, float>::value) {
        fp[i].c = p.c;
      } else {
        cbuf[i].resize(m * cols);
        if (o.beta != 0.0f) {
          for (std::size_t r = 0; r < m; ++r) convert_n(p.c.row(r), cols, cbuf[i].data() + r * cols);
        }
        fp[i].c = matrix_view<float>(cbuf[i].data(), m, cols);
      }
      fp[i].bias = p.bias;
    }
    fn(span<gemm_problem<float const, K, float> const>(fp.data(), n), o, executor_ref(executor));
    if constexpr (!std::is_same<TC, float>::value) {
      for (std::size_t i = 0; i < n; ++i) {
        auto const& p = problems.data()[i];
        for (std::size_t r = 0; r < p.c.rows(); ++r) convert_n(cbuf[i].data() + r * p.c.cols(), p.c.cols(), p.c.row(r));
      }
    }
    return true;
  }
#endif
  (void)problems, (void)o, (void)executor;
  return false;
}

}  // namespace arch_detail

/// Runs every problem (same A, W and C types; shared options: alpha, beta, activation, mode).
/// Each problem's result equals sparq::gemm on it, bit for bit.
///
/// @pre every problem's shapes agree and its W is not null; otherwise sparq::invalid_argument
///      names the problem and argument, and no C is touched. options.residual must be empty (a
///      residual differs per problem).
///
///   std::vector<sparq::gemm_problem<float const, sparq::quantized_matrix<sparq::mxfp4>>> ps;
///   for (expert e : routed) ps.push_back(sparq::make_gemm_problem(tokens_of(e), experts[e], out_of(e)));
///   sparq::gemm_grouped(ps, {}, pool);
template <class Arch = auto_arch, class TA, class W, class TC, class Executor = serial_executor>
void gemm_grouped(span<gemm_problem<TA, W, TC> const> problems, gemm_options const& o = {},
                  Executor const& executor = {}) {
  if (o.residual.data() != nullptr) {
    SPARQ_THROW(invalid_argument, "sparq::gemm_grouped: argument 'options.residual' must be empty (one residual "
                                  "cannot serve several problems)");
  }
  for (std::size_t i = 0; i < problems.size(); ++i) {
    auto const& p = problems.data()[i];
    std::string const fn = "sparq::gemm_grouped: problem " + std::to_string(i);
    if (p.w == nullptr) SPARQ_THROW(invalid_argument, fn + ": argument 'w' is null");
    detail::check_view(p.a, fn.c_str(), "a");
    detail::check_view(p.c, fn.c_str(), "c");
    arch_detail::check_plain_weights(*p.w, p.c, fn.c_str(), "w", "c");
    detail::check_disjoint(p.c, p.a, fn.c_str(), "c", "a");
    detail::check_gemm_shapes(p.a.rows(), p.a.cols(), p.w->rows(), p.w->cols(), p.c.rows(), p.c.cols(), fn.c_str());
    if (o.mode == compute_mode::int8_activations && p.a.rows() != 0) {
      // Surface an unsupported mode before any C is written.
      arch_detail::with_source<default_arch>(*p.w, o, [&](auto const& source) {
        using S = std::decay_t<decltype(source)>;
        if constexpr (!S::has_image) arch_detail::no_int8_image<S>(fn, "w");
      });
    }
  }
  // Problems run concurrently: no problem's C may overlap another's A or C.
  for (std::size_t i = 0; i < problems.size(); ++i) {
    for (std::size_t j = 0; j < problems.size(); ++j) {
      if (i == j) continue;
      auto const& pi = problems.data()[i];
      auto const& pj = problems.data()[j];
      std::string const fn = "sparq::gemm_grouped: problems " + std::to_string(i) + " and " + std::to_string(j);
      if (detail::overlaps(pi.c, pj.a) || (j > i && detail::overlaps(pi.c, pj.c))) {
        SPARQ_THROW(invalid_argument, fn + ": argument 'c' of problem " + std::to_string(i) + " overlaps argument '" +
                                          (detail::overlaps(pi.c, pj.a) ? "a" : "c") + "' of problem " +
                                          std::to_string(j) + ", expected separate buffers");
      }
    }
  }
  if constexpr (std::is_same<Arch, auto_arch>::value) {
    if (!arch_detail::gemm_grouped_runtime(problems, o, executor)) {
#if defined(SPARQ_RUNTIME_ONLY)
      arch_detail::runtime_only_miss<W>("sparq::gemm_grouped", "w");
#else
      gemm_grouped<default_arch>(problems, o, executor);
#endif
    }
  } else {
    // Tasks: (problem, slice of slice_rows weight rows); each runs the serial driver on its slice.
    constexpr std::size_t slice_rows = 256;
    std::vector<std::size_t> first_task(problems.size() + 1, 0);
    for (std::size_t i = 0; i < problems.size(); ++i) {
      auto const& p = problems.data()[i];
      std::size_t const slices = p.a.rows() == 0 ? 0 : (p.w->rows() + slice_rows - 1) / slice_rows;
      first_task[i + 1] = first_task[i] + slices;
    }
    executor.parallel_for(first_task.back(), [&](std::size_t t) {
      std::size_t i = 0;
      while (first_task[i + 1] <= t) ++i;
      auto const& p = problems.data()[i];
      std::size_t const r0 = (t - first_task[i]) * slice_rows;
      std::size_t const rows = p.w->rows() - r0 < slice_rows ? p.w->rows() - r0 : slice_rows;
      gemm_options po = o;
      po.workspace = nullptr;
      float const* bias = p.bias != nullptr ? p.bias : o.bias;
      po.bias = bias != nullptr ? bias + r0 : nullptr;
      matrix_view<TC> const cs(p.c.data() + r0, p.c.rows(), rows, p.c.ld());
      using value = std::remove_const_t<TA>;
      matrix_view<value const> const av(p.a);
      arch_detail::with_source<Arch>(*p.w, po, [&](auto const& source) {
        detail::row_slice<std::decay_t<decltype(source)>> const slice(source, r0, rows);
        arch_detail::with_float_output(cs, po, [&](matrix_view<float> const& cf) {
          arch_detail::gemm_source<Arch>(slice, av, cf, po, serial_executor{});
        });
      });
    });
  }
}

/// The same over a std::vector of problems.
template <class Arch = auto_arch, class TA, class W, class TC, class Executor = serial_executor>
void gemm_grouped(std::vector<gemm_problem<TA, W, TC>> const& problems, gemm_options const& o = {},
                  Executor const& executor = {}) {
  gemm_grouped<Arch>(span<gemm_problem<TA, W, TC> const>(problems.data(), problems.size()), o, executor);
}

SPARQ_ARCH_NAMESPACE_END
