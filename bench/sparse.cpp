// SPDX-License-Identifier: Apache-2.0
// Sparse GEMV / GEMM with the dense and sparse baselines in the same binary:
//   memread/<threads>                                 a plain AVX read-and-sum over 512 MiB
//   dense/<format>/<N>x<K>/M<m>/<threads>             sparq::gemm on the dense weights (bf16: plain
//                                                     bfloat16 W; formats: canonical and prepacked)
//   nm2:4/<format>/...                                2:4 sparse, values in <format>
//   bitmap<density>/<format>/...                      bitmap at density 0.5, 0.3, 0.1, 0.05
//   outliers0.005/<format>/...                        dense-and-sparse, 0.5 % float outliers
//   openblas_sgemv|sgemm/...                          float weights (libopenblas)
//   eigen_sparse<density>/...                         Eigen::SparseMatrix<float, RowMajor> * A^T
// Counters: weight_GBs = bytes of W actually read (values, scales, indices, masks, offsets) / s;
// GFLOPs = 2 M N K / s (dense-equivalent). M = 1 rotates copies of W totalling >= 96 MiB (past
// the 32 MiB L3), as a decode step reads a model's weights from memory.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include <sparq/sparq.hpp>

#include "common.hpp"
#include "run.hpp"

#if SPARQ_BENCH_OPENBLAS
#include <cblas.h>
extern "C" void openblas_set_num_threads(int);
#endif
#if SPARQ_BENCH_EIGEN
#include <Eigen/Dense>
#include <Eigen/SparseCore>
#endif

namespace {

using namespace sparq_bench;

/// The n x k weights as a view.
sparq::matrix_view<float const> weights_view(std::size_t n, std::size_t k) { return {weights(n, k).data(), n, k}; }

/// Plain bfloat16 weights (sparq's dense bfloat16 GEMV), rotated like the others.
void dense_bf16(benchmark::State& state, params const& p) {
  auto const w = weights_view(p.n, p.k);
  std::vector<sparq::bfloat16> b(p.n * p.k);
  for (std::size_t x = 0; x < b.size(); ++x) b[x] = sparq::bfloat16(w.data()[x]);
  std::size_t const wbytes = b.size() * 2;
  std::vector<std::vector<sparq::bfloat16>> ws(copies_for(p, wbytes), b);
  sparq::thread_pool const pool(p.threads);
  std::vector<float> const a = gaussian(p.m * p.k, 3, 1.0f);
  std::vector<float> c(p.m * p.n);
  std::size_t i = 0;
  for (auto _ : state) {
    sparq::gemm(sparq::matrix_view<float const>(a.data(), p.m, p.k),
                sparq::matrix_view<sparq::bfloat16 const>(ws[i].data(), p.n, p.k),
                sparq::matrix_view<float>(c.data(), p.m, p.n), {}, pool);
    benchmark::DoNotOptimize(c.data());
    i = (i + 1) % ws.size();
  }
  set_counters(state, p, wbytes);
}

#if SPARQ_BENCH_OPENBLAS
void openblas(benchmark::State& state, params const& p) {
  openblas_set_num_threads(static_cast<int>(p.threads));
  std::vector<float> const& w0 = weights(p.n, p.k);
  std::size_t const wbytes = w0.size() * 4;
  std::vector<std::vector<float>> ws(copies_for(p, wbytes), w0);
  std::vector<float> const a = gaussian(p.m * p.k, 3, 1.0f);
  std::vector<float> c(p.m * p.n);
  int const ni = static_cast<int>(p.n), ki = static_cast<int>(p.k), mi = static_cast<int>(p.m);
  std::size_t i = 0;
  for (auto _ : state) {
    if (p.m == 1) {
      cblas_sgemv(CblasRowMajor, CblasNoTrans, ni, ki, 1.0f, ws[i].data(), ki, a.data(), 1, 0.0f, c.data(), 1);
    } else {
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, mi, ni, ki, 1.0f, a.data(), ki, ws[i].data(), ki, 0.0f,
                  c.data(), ni);
    }
    benchmark::DoNotOptimize(c.data());
    i = (i + 1) % ws.size();
  }
  set_counters(state, p, wbytes);
}
#endif

#if SPARQ_BENCH_EIGEN
/// Eigen's sparse x dense (row-major CSR, float), the same pruned matrix as bitmap<density>.
void eigen_sparse(benchmark::State& state, params const& p, double density) {
  auto const s = sparq::prune_bitmap(weights_view(p.n, p.k), sparq::keep_rule::density(density));
  std::vector<float> d(p.n * p.k);
  sparq::densify(s, sparq::matrix_view<float>(d.data(), p.n, p.k));
  using csr = Eigen::SparseMatrix<float, Eigen::RowMajor, int>;
  std::vector<Eigen::Triplet<float>> t;
  for (std::size_t r = 0; r < p.n; ++r) {
    for (std::size_t k = 0; k < p.k; ++k) {
      if (d[r * p.k + k] != 0.0f) t.emplace_back(static_cast<int>(r), static_cast<int>(k), d[r * p.k + k]);
    }
  }
  csr w(static_cast<Eigen::Index>(p.n), static_cast<Eigen::Index>(p.k));
  w.setFromTriplets(t.begin(), t.end());
  w.makeCompressed();
  std::size_t const wbytes = static_cast<std::size_t>(w.nonZeros()) * 8 + (p.n + 1) * 4;
  std::vector<csr> ws(copies_for(p, wbytes), w);
  Eigen::setNbThreads(static_cast<int>(p.threads));
  Eigen::MatrixXf a = Eigen::MatrixXf::Random(static_cast<Eigen::Index>(p.k), static_cast<Eigen::Index>(p.m));
  Eigen::MatrixXf c(static_cast<Eigen::Index>(p.n), static_cast<Eigen::Index>(p.m));
  std::size_t i = 0;
  for (auto _ : state) {
    c.noalias() = ws[i] * a;
    benchmark::DoNotOptimize(c.data());
    i = (i + 1) % ws.size();
  }
  set_counters(state, p, wbytes);
}
#endif

void add(std::string const& name, params const& p, std::function<void(benchmark::State&, params const&)> fn) {
  benchmark::RegisterBenchmark((name + tail(p)).c_str(), [p, fn](benchmark::State& st) { fn(st, p); })
      ->UseRealTime()
      ->Unit(benchmark::kMillisecond)
      ->MinTime(0.3);
}

template <class W>
std::size_t bytes_of(W const& w) {
  return w.storage_bytes();
}

/// 2:4 with F values against dense F (canonical and prepacked).
template <class F>
void register_nm(std::string const& name, params const& p) {
  add("nm2:4/" + name, p, [](benchmark::State& st, params const& q) {
    run_sparq(st, q, [&] { return sparq::quantize<F>(sparq::prune_nm<2, 4>(weights_view(q.n, q.k))); },
              bytes_of<sparq::nm_sparse_matrix<2, 4, F>>);
  });
  add("dense/" + name + "/canonical", p, [](benchmark::State& st, params const& q) {
    run_sparq(st, q, [&] { return sparq::quantize<F>(weights_view(q.n, q.k)); }, bytes_of<sparq::quantized_matrix<F>>);
  });
  add("dense/" + name + "/prepacked", p, [](benchmark::State& st, params const& q) {
    run_sparq(st, q, [&] { return sparq::prepack(sparq::quantize<F>(weights_view(q.n, q.k))); },
              [&q](sparq::prepacked<F> const&) { return sparq::quantized_matrix<F>(q.n, q.k).storage_bytes(); });
  });
}

template <class F>
void register_outliers(std::string const& name, params const& p) {
  add("outliers0.005/" + name, p, [](benchmark::State& st, params const& q) {
    run_sparq(st, q, [&] { return sparq::split_outliers<F>(weights_view(q.n, q.k), sparq::keep_rule::density(0.005)); },
              bytes_of<sparq::dense_and_sparse<F>>);
  });
}

int register_all() {
  register_memread();
  for (auto [n, k] : {std::pair<std::size_t, std::size_t>{4096, 4096}, {11008, 4096}}) {
    for (std::size_t m : {std::size_t{1}, std::size_t{32}}) {
      for (unsigned t : {1u, 2u}) {
        params const p{n, k, m, t};
#if SPARQ_BENCH_OPENBLAS
        add(m == 1 ? "openblas_sgemv" : "openblas_sgemm", p, openblas);
#endif
        for (double d : {0.5, 0.3, 0.1, 0.05}) {
          std::string const ds = d == 0.5 ? "0.5" : d == 0.3 ? "0.3" : d == 0.1 ? "0.1" : "0.05";
          add("bitmap" + ds + "/float", p, [d](benchmark::State& st, params const& q) {
            run_sparq(st, q, [&] { return sparq::prune_bitmap(weights_view(q.n, q.k), sparq::keep_rule::density(d)); },
                      bytes_of<sparq::bitmap_sparse_matrix<float>>);
          });
#if SPARQ_BENCH_EIGEN
          add("eigen_sparse" + ds, p, [d](benchmark::State& st, params const& q) { eigen_sparse(st, q, d); });
#endif
        }
        if (m != 1) continue;
        add("dense/bfloat16", p, dense_bf16);
        add("nm2:4/bfloat16", p, [](benchmark::State& st, params const& q) {
          run_sparq(st, q, [&] { return sparq::quantize<sparq::bfloat16>(sparq::prune_nm<2, 4>(weights_view(q.n, q.k))); },
                    bytes_of<sparq::nm_sparse_matrix<2, 4, sparq::bfloat16>>);
        });
        register_nm<sparq::int4_group<32>>("int4_g32", p);
        register_nm<sparq::mxfp4>("mxfp4", p);
        register_nm<sparq::nvfp4>("nvfp4", p);
        register_outliers<sparq::int4_group<32>>("int4_g32", p);
        register_outliers<sparq::mxfp4>("mxfp4", p);
      }
    }
  }
  return 0;
}
int const registered = register_all();

}  // namespace

BENCHMARK_MAIN();
