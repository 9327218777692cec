// SPDX-License-Identifier: Apache-2.0
// GEMV / GEMM throughput with every baseline in the same binary:
//   memread/<threads>                          a plain AVX read-and-sum over 512 MiB (bytes/s)
//   sparq/<format>/<mode>/<layout>/<N>x<K>/M<m>/<threads>   sparq::gemm
//   openblas_sgemv|sgemm/<N>x<K>/M<m>/<threads>             float weights (libopenblas)
//   dequant_sgemm/<format>/<N>x<K>/M<m>/<threads>           sparq::dequantize + OpenBLAS sgemm
//   onednn_u8s8/<N>x<K>/M<m>/<threads>                      oneDNN int8 matmul (libdnnl)
// Counters: GFLOPs (2 M N K per call, /s), weight_GBs (bytes of W actually read: codes + scales
// (+ zero points), /s). Weights are rotated over copies totalling at least 96 MiB, so M = 1 reads
// them from memory rather than the 32 MiB L3. Threads: a sparq::thread_pool; OpenBLAS and oneDNN
// get the same count. Default shapes: W = 4096 x 4096, 11008 x 4096, 4096 x 11008; M = 1, 8, 32,
// 128, 512; select with --benchmark_filter.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <sparq/sparq.hpp>

#include "common.hpp"

#if SPARQ_BENCH_OPENBLAS
#include <cblas.h>
extern "C" void openblas_set_num_threads(int);
#endif
#if SPARQ_BENCH_ONEDNN
#include <omp.h>

#include <dnnl.hpp>
#endif

namespace {

using namespace sparq_bench;

enum class layout { canonical, prepacked };

template <class F, layout L>
void sparq_gemm(benchmark::State& state, params const& p, sparq::compute_mode mode) {
  std::size_t const n = p.n, k = p.k, m = p.m;
  sparq::thread_pool const pool(p.threads);
  auto const q = sparq::quantize<F>(sparq::matrix_view<float const>(weights(n, k).data(), n, k), {}, pool);
  std::size_t const wbytes = q.storage_bytes();
  std::size_t const copies = m == 1 ? std::max<std::size_t>(1, (rotate_bytes + wbytes - 1) / wbytes) : 1;
  std::vector<sparq::quantized_matrix<F>> qs(copies, q);
  std::vector<sparq::prepacked<F>> ps;
  if (L == layout::prepacked) {
    for (auto const& x : qs) ps.push_back(sparq::prepack(x));
  }
  std::vector<float> const a = gaussian(m * k, 3, 1.0f);
  std::vector<float> c(m * n);
  sparq::gemm_workspace ws;
  sparq::gemm_options o;
  o.mode = mode;
  o.workspace = &ws;
  sparq::matrix_view<float const> const av(a.data(), m, k);
  sparq::matrix_view<float> const cv(c.data(), m, n);
  std::size_t i = 0;
  for (auto _ : state) {
    if constexpr (L == layout::prepacked) {
      sparq::gemm(av, ps[i], cv, o, pool);
    } else {
      sparq::gemm(av, qs[i], cv, o, pool);
    }
    benchmark::DoNotOptimize(c.data());
    i = (i + 1) % copies;
  }
  set_counters(state, p, wbytes);
  state.SetLabel(L == layout::prepacked ? sparq::gemm_arch<sparq::prepacked<F>>()
                                        : sparq::gemm_arch<sparq::quantized_matrix<F>>());
}

#if SPARQ_BENCH_OPENBLAS
void openblas(benchmark::State& state, params const& p) {
  std::size_t const n = p.n, k = p.k, m = p.m;
  openblas_set_num_threads(static_cast<int>(p.threads));
  std::vector<float> const& w = weights(n, k);
  std::vector<float> const a = gaussian(m * k, 3, 1.0f);
  std::vector<float> c(m * n);
  int const ni = static_cast<int>(n), ki = static_cast<int>(k), mi = static_cast<int>(m);
  for (auto _ : state) {
    if (m == 1) {
      cblas_sgemv(CblasRowMajor, CblasNoTrans, ni, ki, 1.0f, w.data(), ki, a.data(), 1, 0.0f, c.data(), 1);
    } else {
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, mi, ni, ki, 1.0f, a.data(), ki, w.data(), ki, 0.0f,
                  c.data(), ni);
    }
    benchmark::DoNotOptimize(c.data());
  }
  set_counters(state, p, n * k * sizeof(float));
}

template <class F>
void dequant_sgemm(benchmark::State& state, params const& p) {
  std::size_t const n = p.n, k = p.k, m = p.m;
  sparq::thread_pool const pool(p.threads);
  openblas_set_num_threads(static_cast<int>(p.threads));
  auto const q = sparq::quantize<F>(sparq::matrix_view<float const>(weights(n, k).data(), n, k), {}, pool);
  std::vector<float> wd(n * k), c(m * n);
  std::vector<float> const a = gaussian(m * k, 3, 1.0f);
  int const ni = static_cast<int>(n), ki = static_cast<int>(k), mi = static_cast<int>(m);
  for (auto _ : state) {
    sparq::dequantize(q, sparq::matrix_view<float>(wd.data(), n, k), pool);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, mi, ni, ki, 1.0f, a.data(), ki, wd.data(), ki, 0.0f,
                c.data(), ni);
    benchmark::DoNotOptimize(c.data());
  }
  set_counters(state, p, q.storage_bytes());
}
#endif

#if SPARQ_BENCH_ONEDNN
/// oneDNN u8 x s8 -> f32 matmul (A: M x K u8, B: K x N s8), per-tensor scales: its int8 GEMM.
void onednn_u8s8(benchmark::State& state, params const& p) {
  using namespace dnnl;
  std::size_t const n = p.n, k = p.k, m = p.m;
  omp_set_num_threads(static_cast<int>(p.threads));
  engine eng(engine::kind::cpu, 0);
  stream s(eng);
  memory::dims const ad = {static_cast<memory::dim>(m), static_cast<memory::dim>(k)};
  memory::dims const bd = {static_cast<memory::dim>(k), static_cast<memory::dim>(n)};
  memory::dims const cd = {static_cast<memory::dim>(m), static_cast<memory::dim>(n)};
  memory::desc const amd(ad, memory::data_type::u8, memory::format_tag::ab);
  memory::desc const bany(bd, memory::data_type::s8, memory::format_tag::any);
  memory::desc const bplain(bd, memory::data_type::s8, memory::format_tag::ba);  // W stored N x K
  memory::desc const cmd(cd, memory::data_type::f32, memory::format_tag::ab);
  matmul::primitive_desc const pd(matmul::desc(amd, bany, cmd), eng);  // oneDNN 2.x API
  memory am(amd, eng), bsrc(bplain, eng), bm(pd.weights_desc(), eng), cm(cmd, eng);
  std::mt19937 g(1);
  for (std::size_t i = 0; i < m * k; ++i) static_cast<std::uint8_t*>(am.get_data_handle())[i] = static_cast<std::uint8_t>(g());
  for (std::size_t i = 0; i < n * k; ++i) static_cast<std::int8_t*>(bsrc.get_data_handle())[i] = static_cast<std::int8_t>(g());
  reorder(bsrc, bm).execute(s, bsrc, bm);  // weights in oneDNN's blocked layout, once (like prepack)
  matmul const mm(pd);
  for (auto _ : state) {
    mm.execute(s, {{DNNL_ARG_SRC, am}, {DNNL_ARG_WEIGHTS, bm}, {DNNL_ARG_DST, cm}});
    s.wait();
  }
  set_counters(state, p, n * k);
}
#endif

struct shape {
  std::size_t n, k;
};
constexpr shape shapes[] = {{4096, 4096}, {11008, 4096}, {4096, 11008}};
constexpr std::size_t ms[] = {1, 8, 32, 128, 512};

template <class Fn>
void add(std::string const& name, params const& p, Fn fn) {
  benchmark::RegisterBenchmark((name + tail(p)).c_str(), [p, fn](benchmark::State& st) { fn(st, p); })
      ->UseRealTime()
      ->Unit(benchmark::kMillisecond)
      ->MinTime(p.m >= 128 ? 0.5 : 0.2);
}

template <class F>
void register_format(std::string const& name, bool int8) {
  for (shape s : shapes) {
    for (std::size_t m : ms) {
      for (unsigned t : {1u, 2u}) {
        params const p{s.n, s.k, m, t};
        add("sparq/" + name + "/exact/prepacked", p, [](benchmark::State& st, params const& q) {
          sparq_gemm<F, layout::prepacked>(st, q, sparq::compute_mode::exact);
        });
        if (m == 1) {
          add("sparq/" + name + "/exact/canonical", p, [](benchmark::State& st, params const& q) {
            sparq_gemm<F, layout::canonical>(st, q, sparq::compute_mode::exact);
          });
        }
        if (int8) {
          add("sparq/" + name + "/int8/prepacked", p, [](benchmark::State& st, params const& q) {
            sparq_gemm<F, layout::prepacked>(st, q, sparq::compute_mode::int8_activations);
          });
        }
#if SPARQ_BENCH_OPENBLAS
        if (m == 8 || m == 32) add("dequant_sgemm/" + name, p, dequant_sgemm<F>);
#endif
      }
    }
  }
}

int register_all() {
  register_memread();
  for (shape s : shapes) {
    for (std::size_t m : ms) {
      for (unsigned t : {1u, 2u}) {
        params const p{s.n, s.k, m, t};
#if SPARQ_BENCH_OPENBLAS
        add(m == 1 ? "openblas_sgemv" : "openblas_sgemm", p, openblas);
#endif
#if SPARQ_BENCH_ONEDNN
        add("onednn_u8s8", p, onednn_u8s8);
#endif
        (void)p;
      }
    }
  }
  register_format<sparq::mxfp4>("mxfp4", true);
  register_format<sparq::nvfp4>("nvfp4", true);
  register_format<sparq::mxfp6_e2m3>("mxfp6_e2m3", true);
  register_format<sparq::mxfp6_e3m2>("mxfp6_e3m2", false);
  register_format<sparq::mxfp8_e4m3>("mxfp8_e4m3", false);
  register_format<sparq::mxfp8_e5m2>("mxfp8_e5m2", false);
  register_format<sparq::mxint8>("mxint8", true);
  register_format<sparq::int4_group<32>>("int4_g32", true);
  register_format<sparq::uint4_group_zp<128>>("awq4_g128", true);
  register_format<sparq::int8_group<32>>("int8_g32", true);
  register_format<sparq::float8_e4m3fn>("float8_e4m3fn", false);
  register_format<sparq::int8>("int8", true);
  return 0;
}
int const registered = register_all();

}  // namespace

BENCHMARK_MAIN();
