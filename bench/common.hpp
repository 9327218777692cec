// SPDX-License-Identifier: Apache-2.0
// What the GEMM benchmarks share: the shape parameters and names, the seeded weights and
// activations, the counters (GFLOPs, weight_GBs), and the memory-read baseline memread/<threads>
// (a plain AVX read-and-sum over 512 MiB: the rate a GEMV's weight bytes are compared with).
#pragma once

#include <benchmark/benchmark.h>

#include <cstddef>
#include <random>
#include <string>
#include <vector>

#include <xsimd/xsimd.hpp>

#include <sparq/core/cpu_features.hpp>
#include <sparq/core/executor.hpp>
#include <sparq/kernel/dispatch.hpp>

namespace sparq_bench {

/// Bytes of weight copies a GEMV at M = 1 rotates over: past the 32 MiB L3, as a decode step
/// reads a model's weights from memory.
constexpr std::size_t rotate_bytes = std::size_t{96} << 20;

/// One benchmark's shape: W is n x k, A is m x k, `threads` threads.
struct params {
  std::size_t n, k, m;
  unsigned threads;
};

/// "/<n>x<k>/M<m>/<threads>", the end of every benchmark name.
inline std::string tail(params const& p) {
  return "/" + std::to_string(p.n) + "x" + std::to_string(p.k) + "/M" + std::to_string(p.m) + "/" +
         std::to_string(p.threads);
}

inline std::vector<float> gaussian(std::size_t n, unsigned seed, float sigma) {
  std::vector<float> v(n);
  std::mt19937 g(seed);
  std::normal_distribution<float> d(0.0f, sigma);
  for (auto& x : v) x = d(g);
  return v;
}

/// The n x k weights (sigma 0.02, fixed seed), made once per shape.
inline std::vector<float> const& weights(std::size_t n, std::size_t k) {
  static std::vector<float> cache;
  static std::size_t cn = 0, ck = 0;
  if (cn != n || ck != k) {
    cache = gaussian(n * k, 11, 0.02f);
    cn = n;
    ck = k;
  }
  return cache;
}

inline void set_counters(benchmark::State& state, params const& p, std::size_t wbytes) {
  double const it = static_cast<double>(state.iterations());
  state.counters["GFLOPs"] = benchmark::Counter(2.0 * p.m * p.n * p.k * it * 1e-9, benchmark::Counter::kIsRate);
  state.counters["weight_GBs"] = benchmark::Counter(static_cast<double>(wbytes) * it * 1e-9, benchmark::Counter::kIsRate);
}

inline void memread(benchmark::State& state, unsigned threads) {
  std::size_t const n = (std::size_t{512} << 20) / sizeof(float);
  static std::vector<float> const buf(n, 1.0f);
  sparq::thread_pool const pool(threads);
  constexpr std::size_t tasks = 256;
  std::vector<float> sums(tasks);
  for (auto _ : state) {
    pool.parallel_for(tasks, [&](std::size_t t) {
      using batch = xsimd::batch<float>;
      std::size_t const per = n / tasks;
      float const* p = buf.data() + t * per;
      batch s0(0.0f), s1(0.0f), s2(0.0f), s3(0.0f);
      for (std::size_t i = 0; i < per; i += 4 * batch::size) {
        s0 += batch::load_aligned(p + i);
        s1 += batch::load_aligned(p + i + batch::size);
        s2 += batch::load_aligned(p + i + 2 * batch::size);
        s3 += batch::load_aligned(p + i + 3 * batch::size);
      }
      sums[t] = xsimd::hadd((s0 + s1) + (s2 + s3));
    });
    benchmark::DoNotOptimize(sums.data());
  }
  state.counters["read_GBs"] =
      benchmark::Counter(static_cast<double>(n * sizeof(float)) * static_cast<double>(state.iterations()) * 1e-9,
                         benchmark::Counter::kIsRate);
}

/// memread/1 and memread/2, and the CPU's features and the runtime-dispatch arch in the header.
inline void register_memread() {
  benchmark::AddCustomContext("sparq_cpu", sparq::cpu_features().text());
  benchmark::AddCustomContext("sparq_dispatch", sparq::runtime::arch_name(sparq::runtime::chosen_arch()));
  for (unsigned t : {1u, 2u}) {
    benchmark::RegisterBenchmark(("memread/" + std::to_string(t)).c_str(),
                                 [t](benchmark::State& st) { memread(st, t); })
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond);
  }
}

}  // namespace sparq_bench
