// SPDX-License-Identifier: Apache-2.0
// Runtime dispatch, compiled without arch flags as a distribution's engine would be, and with
// SPARQ_RUNTIME_ONLY (sparq::gemm compiles no kernels here: every product runs the library's):
// for each arch of sparq's runtime library, when the library holds it and this CPU runs it
// (otherwise a skip, never a pass), sparq::gemm through the default sparq::auto_arch runs every
// named format in every mode (float, bfloat16 and quantized A; float and bfloat16 C; plain,
// quantized and prepacked W) and every sparse layout the library holds against the reference,
// every format's and layout's entry is registered, and what the arch's code throws is caught as
// sparq::invalid_argument. With the header arch chosen, sparq::gemm says it has no kernels.
// (The header kernels themselves are what every other test runs.)
//
//   sparq_dispatch_tests          the checks
//   sparq_dispatch_tests chosen   prints "chosen: <arch>" (SPARQ_ARCH caps it; a bad value is an error)
#define SPARQ_RUNTIME_ONLY 1
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include <sparq/format/all.hpp>
#include <sparq/kernel/gemm.hpp>
#include <sparq/kernel/reference/gemm.hpp>
#include <sparq/kernel/reference/gemm_int8.hpp>
#include <sparq/kernel/source/layouts.hpp>
#include <sparq/quantize/quantize.hpp>
#include <sparq/quantize/sparse.hpp>
#include <sparq/quantize/tiled.hpp>
#include <sparq/kernel/dispatch.hpp>

#include "../support/random.hpp"

namespace {

using sparq::runtime::arch;
using sparq::test::gaussian;

struct report {
  std::size_t passed = 0;
  std::vector<std::string> failures;
  void check(bool ok, std::string const& what) {
    if (ok) {
      ++passed;
    } else {
      failures.push_back(what);
    }
  }
};

bool near_exact(std::vector<float> const& a, std::vector<float> const& wd, std::vector<float> const& c,
                std::vector<float> const& ref, std::size_t m, std::size_t n, std::size_t k) {
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      double s = 0;
      for (std::size_t p = 0; p < k; ++p) s += std::fabs(double(a[i * k + p]) * wd[j * k + p]);
      if (!(std::fabs(double(c[i * n + j]) - ref[i * n + j]) <= 2.0 * k * FLT_EPSILON * s + 1e-30)) return false;
    }
  }
  return true;
}

bool near_int8(std::vector<float> const& c, std::vector<float> const& ref) {
  for (std::size_t x = 0; x < c.size(); ++x) {
    if (!(std::fabs(double(c[x]) - ref[x]) <= 1e-4 * (1.0 + std::fabs(double(ref[x]))))) return false;
  }
  return true;
}

template <class F>
void check_format(arch a, report& r) {
  std::string const name = std::string(sparq::runtime::arch_name(a)) + " " + sparq::detail::format_label<F>();
  if (a != arch::header) {
    r.check(sparq::runtime::gemm_slots<sparq::quantized_matrix_view<F>>::gemm[int(a)] != nullptr,
            name + ": not registered");
  }
  std::size_t const n = 37, k = 200;
  std::vector<float> const wf = gaussian(n * k, 5);
  auto const q = sparq::quantize<F>(sparq::matrix_view<float const>(wf.data(), n, k));
  auto const packed = sparq::prepack(q);
  std::vector<float> wd(n * k);
  sparq::dequantize(q.view(), sparq::matrix_view<float>(wd.data(), n, k));
  for (std::size_t m : {std::size_t{1}, std::size_t{3}, std::size_t{7}}) {
    std::string const what = name + " M " + std::to_string(m);
    std::vector<float> const a32 = gaussian(m * k, 9);
    sparq::matrix_view<float const> const av(a32.data(), m, k);
    std::vector<float> c(m * n), pre(m * n), ref(m * n);
    sparq::matrix_view<float> const cv(c.data(), m, n), pv(pre.data(), m, n), rv(ref.data(), m, n);
    sparq::kernel::reference::gemm(av, q.view(), rv);
    sparq::gemm(av, q, cv);
    sparq::gemm(av, packed, pv);
    r.check(c == pre && near_exact(a32, wd, c, ref, m, n, k), what + " exact");
    if constexpr (sparq::supports_int8_activations_v<F>) {
      sparq::gemm_options o;
      o.mode = sparq::compute_mode::int8_activations;
      sparq::gemm(av, q, cv, o);
      sparq::kernel::reference::gemm_int8(av, q.view(), rv);
      auto const qa = sparq::quantize_activations(av);
      sparq::gemm(qa, packed, pv, o);
      r.check(near_int8(c, ref) && c == pre, what + " int8_activations");
    }
  }
}

template <class... F>
void check_all(sparq::type_list<F...>, arch a, report& r) {
  (check_format<F>(a, r), ...);
}

/// The dense reading of a sparse layout (densify) or a tiled one (dequantize).
template <class L>
void dense_reading(L const& s, sparq::matrix_view<float> const& out) {
  sparq::densify(s, out);
}
template <class F, std::size_t T>
void dense_reading(sparq::tiled_matrix<F, T> const& s, sparq::matrix_view<float> const& out) {
  sparq::dequantize(s.view(), out);
}

/// A sparse or tiled layout L (owning) through the default entry: registered in the library for
/// a, and equal to the reference on its dense reading at M = 1, 3, 7 (K = 200: tails of the
/// 64-column tiles, of the kept-value chunks and of the 128-column tiles).
template <class L>
void check_sparse(arch a, L const& s, std::string const& label, report& r) {
  using key = typename sparq::runtime::weight_key<L>::type;
  std::string const name = std::string(sparq::runtime::arch_name(a)) + " " + label;
  if (a != arch::header) {
    r.check(sparq::runtime::gemm_slots<key>::gemm[int(a)] != nullptr, name + ": not registered");
  }
  std::size_t const n = s.rows(), k = s.cols();
  std::vector<float> wd(n * k);
  dense_reading(s, sparq::matrix_view<float>(wd.data(), n, k));
  for (std::size_t m : {std::size_t{1}, std::size_t{3}, std::size_t{7}}) {
    std::vector<float> const a32 = gaussian(m * k, 11);
    sparq::matrix_view<float const> const av(a32.data(), m, k);
    std::vector<float> c(m * n), ref(m * n);
    sparq::kernel::reference::gemm(av, sparq::matrix_view<float const>(wd.data(), n, k),
                                   sparq::matrix_view<float>(ref.data(), m, n));
    sparq::gemm(av, s, sparq::matrix_view<float>(c.data(), m, n));
    r.check(near_exact(a32, wd, c, ref, m, n, k), name + " M " + std::to_string(m));
  }
}

template <class... V>
void check_nm24(sparq::type_list<V...>, sparq::nm_sparse_matrix<2, 4, float> const& s, arch a, report& r) {
  (check_sparse(a, sparq::quantize<V>(s), std::string("2:4 ") + sparq::detail::format_label<V>(), r), ...);
}
template <class... V>
void check_bitmap(sparq::type_list<V...>, sparq::bitmap_sparse_matrix<float> const& s, arch a, report& r) {
  (check_sparse(a, sparq::quantize<V>(s), std::string("bitmap ") + sparq::detail::format_label<V>(), r), ...);
}
template <class... F>
void check_outliers(sparq::type_list<F...>, sparq::matrix_view<float const> const& w, arch a, report& r) {
  (check_sparse(a, sparq::split_outliers<F>(w, sparq::keep_rule::density(0.01)),
                std::string("outliers ") + sparq::detail::format_label<F>(), r),
   ...);
}

/// The sparse and tiled layouts the runtime library holds (src/runtime/arch_unit.cpp).
void check_sparse_layouts(arch a, report& r) {
  std::size_t const n = 37, k = 200;
  std::vector<float> const wf = gaussian(n * k, 6);
  sparq::matrix_view<float const> const w(wf.data(), n, k);
  auto const nm = sparq::prune_nm<2, 4>(w);
  check_sparse(a, nm, "2:4 float", r);
  check_nm24(sparq::type_list<sparq::bfloat16, sparq::float16, sparq::int8, sparq::int4_group<32>,
                              sparq::int4_group<128>, sparq::mxfp4, sparq::nvfp4>{},
             nm, a, r);
  for (double d : {0.02, 0.3, 0.7}) {
    auto const b = sparq::prune_bitmap(w, sparq::keep_rule::density(d));
    check_sparse(a, b, "bitmap float density " + std::to_string(d), r);
    check_bitmap(sparq::type_list<sparq::bfloat16, sparq::float16>{}, b, a, r);
  }
  check_outliers(sparq::type_list<sparq::int4_group<32>, sparq::int4_group<128>, sparq::mxfp4, sparq::nvfp4>{}, w, a,
                 r);  check_sparse(a, sparq::quantize_tiled<sparq::fp8_group<128>, 128>(w), "fp8_block128", r);
}

/// bfloat16 A and C, plain weights, and an error thrown by the arch's code.
void check_types(arch a, report& r) {
  std::string const name = sparq::runtime::arch_name(a);
  std::size_t const m = 3, n = 21, k = 70;
  std::vector<float> const af = gaussian(m * k, 3), wf = gaussian(n * k, 4);
  std::vector<sparq::bfloat16> ab(m * k), cb(m * n);
  for (std::size_t x = 0; x < ab.size(); ++x) ab[x] = sparq::bfloat16(af[x]);
  std::vector<float> a32(m * k), c(m * n), ref(m * n);
  for (std::size_t x = 0; x < ab.size(); ++x) a32[x] = float(ab[x]);
  sparq::matrix_view<float const> const w(wf.data(), n, k);
  sparq::kernel::reference::gemm(sparq::matrix_view<float const>(a32.data(), m, k), w,
                                 sparq::matrix_view<float>(ref.data(), m, n));
  sparq::gemm(sparq::matrix_view<sparq::bfloat16 const>(ab.data(), m, k), w,
              sparq::matrix_view<sparq::bfloat16>(cb.data(), m, n));
  bool ok = true;
  for (std::size_t x = 0; x < c.size(); ++x) {
    ok = ok && std::fabs(float(cb[x]) - ref[x]) <= 1e-2f * (1.0f + std::fabs(ref[x]));
  }
  r.check(ok, name + " bfloat16 A and C, plain float W");
  bool caught = false;
  try {
    sparq::gemm(sparq::matrix_view<float const>(a32.data(), m, k), w, sparq::matrix_view<float>(c.data(), m - 1, n));
  } catch (sparq::invalid_argument const& e) {
    caught = std::string(e.what()).find("argument 'C'") != std::string::npos;
  }
  r.check(caught, name + ": its sparq::invalid_argument caught as such");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::string(argv[1]) == "chosen") {
    try {
      std::printf("chosen: %s\n", sparq::runtime::arch_name(sparq::runtime::chosen_arch()));
      return 0;
    } catch (sparq::error const& e) {
      std::printf("error: %s\n", e.what());
      return 1;
    }
  }
  std::printf("cpu: %s\n", sparq::cpu_features().text().c_str());
  int passed = 0, failed = 0, skipped = 0;
  for (arch a : {arch::header, arch::avx2, arch::avx512bw, arch::neon_dotprod}) {
    char const* name = sparq::runtime::arch_name(a);
    if (!sparq::runtime::compiled(a)) {
      std::printf("%-12s SKIPPED: not in this build's runtime library\n", name);
      ++skipped;
      continue;
    }
    if (!sparq::runtime::cpu_runs(a)) {
      std::printf("%-12s SKIPPED: this CPU lacks it\n", name);
      ++skipped;
      continue;
    }
    sparq::runtime::set_arch(a);
    report r;
    if (a == arch::header) {
      std::vector<float> const av(4 * 32, 1.0f), wv(2 * 32, 1.0f);
      std::vector<float> c(4 * 2, 5.0f);
      bool said = false;
      try {
        sparq::gemm(sparq::matrix_view<float const>(av.data(), 4, 32), sparq::matrix_view<float const>(wv.data(), 2, 32),
                    sparq::matrix_view<float>(c.data(), 4, 2));
      } catch (sparq::unsupported const& e) {
        said = std::string(e.what()).find("compiled with SPARQ_RUNTIME_ONLY") != std::string::npos;
      }
      r.check(said && c == std::vector<float>(8, 5.0f), "header: SPARQ_RUNTIME_ONLY's error, C untouched");
      std::printf("%-12s %s: %zu checks (SPARQ_RUNTIME_ONLY)\n", name, r.failures.empty() ? "passed" : "FAILED",
                  r.passed);
      ++(r.failures.empty() ? passed : failed);
      continue;
    }
    check_all(sparq::element_formats{}, a, r);
    check_all(sparq::block_formats{}, a, r);
    check_all(sparq::runtime_extra_formats{}, a, r);
    check_sparse_layouts(a, r);
    check_types(a, r);
    for (auto const& f : r.failures) std::printf("%-12s FAILED: %s\n", name, f.c_str());
    std::printf("%-12s %s: %zu checks\n", name, r.failures.empty() ? "passed" : "FAILED", r.passed);
    ++(r.failures.empty() ? passed : failed);
  }
  std::printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
  return failed == 0 && passed > 0 ? 0 : 1;
}
