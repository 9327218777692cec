// SPDX-License-Identifier: Apache-2.0
// Compiled once per arch (SPARQ_TARGET_ARCH) by sparq_add_arch_sources: the GEMM for every format
// and mode on that arch, checked against the reference, and a throwing call.
#include "arch_checks.hpp"

#include <cfloat>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include <sparq/quantize/quantize.hpp>
#include <sparq/format/all.hpp>
#include <sparq/kernel/gemm.hpp>
#include <sparq/kernel/reference/gemm.hpp>
#include <sparq/kernel/reference/gemm_int8.hpp>

#include "../support/random.hpp"

namespace {

using Arch = SPARQ_TARGET_ARCH;

using sparq::test::gaussian;

template <class F>
void check_format(arch_report& report) {
  std::size_t const n = 37, k = 200;
  std::vector<float> const wf = gaussian(n * k, 5);
  auto const q = sparq::quantize<F>(sparq::matrix_view<float const>(wf.data(), n, k));
  std::vector<float> wd(n * k);
  sparq::dequantize(q.view(), sparq::matrix_view<float>(wd.data(), n, k));
  for (std::size_t m : {std::size_t{1}, std::size_t{3}, std::size_t{7}}) {
    std::vector<float> const a = gaussian(m * k, 9);
    sparq::matrix_view<float const> const av(a.data(), m, k);
    std::vector<float> c(m * n), pre(m * n), ref(m * n);
    sparq::matrix_view<float> const cv(c.data(), m, n), pv(pre.data(), m, n), rv(ref.data(), m, n);
    sparq::kernel::reference::gemm(av, q.view(), rv);
    sparq::gemm<Arch>(av, q, cv);
    sparq::gemm<Arch>(av, sparq::prepack<Arch>(q), pv);
    bool ok = c == pre;
    for (std::size_t i = 0; i < m && ok; ++i) {
      for (std::size_t j = 0; j < n; ++j) {
        double s = 0;
        for (std::size_t p = 0; p < k; ++p) s += std::fabs(double(a[i * k + p]) * wd[j * k + p]);
        if (!(std::fabs(double(c[i * n + j]) - ref[i * n + j]) <= 2.0 * k * FLT_EPSILON * s + 1e-30)) ok = false;
      }
    }
    if constexpr (sparq::supports_int8_activations_v<F>) {
      sparq::gemm_options o;
      o.mode = sparq::compute_mode::int8_activations;
      sparq::gemm<Arch>(av, q, cv, o);
      sparq::kernel::reference::gemm_int8(av, q.view(), rv);
      for (std::size_t x = 0; x < m * n && ok; ++x) {
        if (!(std::fabs(double(c[x]) - ref[x]) <= 1e-4 * (1.0 + std::fabs(double(ref[x]))))) ok = false;
      }
    }
    if (ok) {
      ++report.passed;
    } else {
      report.failures.push_back(sparq::detail::format_label<F>() + " M " + std::to_string(m));
    }
  }
}

template <class... F>
void check_all(sparq::type_list<F...>, arch_report& report) {
  (check_format<F>(report), ...);
}

}  // namespace

template <class A>
char const* arch_gemm_checks::operator()(A, arch_report& report) const {
  check_all(sparq::element_formats{}, report);
  check_all(sparq::block_formats{}, report);
  return A::name();
}

template <class A>
void arch_bad_call::operator()(A) const {
  std::vector<float> a(2 * 32), w(4 * 32), c(3 * 4);
  sparq::gemm<A>(sparq::matrix_view<float const>(a.data(), 2, 32), sparq::matrix_view<float const>(w.data(), 4, 32),
                 sparq::matrix_view<float>(c.data(), 3, 4));
}

template char const* arch_gemm_checks::operator()<Arch>(Arch, arch_report&) const;
template void arch_bad_call::operator()<Arch>(Arch) const;
