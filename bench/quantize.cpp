// SPDX-License-Identifier: Apache-2.0
// Matrix quantize / dequantize throughput per block format, 1 and 2 threads (a persistent pool), with the scalar
// reference quantizer as the same-binary baseline: quantize/<format>/<fast|reference>/<threads>,
// dequantize/<format>/<fast|reference>/<threads>. Counters: elements/s (items) and the float
// bytes/s. Each thread gets 32 rows x 4096 floats (512 KiB), which stay in its core's L2.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <sparq/sparq.hpp>

namespace {

constexpr std::size_t rows_per_thread = 32, cols = 4096, max_rows = 4 * rows_per_thread;

std::vector<float> const& weights() {
  static std::vector<float> const w = [] {
    std::vector<float> v(max_rows * cols);
    std::mt19937 g(5);
    std::normal_distribution<float> d(0.0f, 0.02f);
    for (auto& x : v) x = d(g);
    return v;
  }();
  return w;
}

std::size_t rows_of(benchmark::State const& state) {
  return rows_per_thread * static_cast<std::size_t>(state.range(0));
}

void counters(benchmark::State& state) {
  auto const n = static_cast<std::int64_t>(rows_of(state) * cols);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * n);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * n * 4);
}

template <class F, bool Fast>
void quantize_bench(benchmark::State& state) {
  sparq::thread_pool const ex(static_cast<unsigned>(state.range(0)));
  std::size_t const rows = rows_of(state);
  sparq::matrix_view<float const> const in(weights().data(), rows, cols);
  for (auto _ : state) {
    auto q = Fast ? sparq::quantize<F>(in, {}, ex) : sparq::quantize_reference<F>(in, {}, ex);
    benchmark::DoNotOptimize(q.codes());
  }
  counters(state);
}

template <class F, bool Fast>
void dequantize_bench(benchmark::State& state) {
  sparq::thread_pool const ex(static_cast<unsigned>(state.range(0)));
  std::size_t const rows = rows_of(state);
  auto const q = sparq::quantize<F>(sparq::matrix_view<float const>(weights().data(), rows, cols));
  std::vector<float> out(rows * cols);
  sparq::matrix_view<float> const o(out.data(), rows, cols);
  for (auto _ : state) {
    if (Fast) {
      sparq::dequantize(q, o, ex);
    } else {
      sparq::dequantize_reference(q.view(), o, ex);
    }
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  counters(state);
}

template <class F>
void register_format(char const* name) {
  std::string const n = name;
  benchmark::RegisterBenchmark(("quantize/" + n + "/fast").c_str(), quantize_bench<F, true>)->Arg(1)->Arg(2)->UseRealTime();
  benchmark::RegisterBenchmark(("quantize/" + n + "/reference").c_str(), quantize_bench<F, false>)->Arg(1)->UseRealTime();
  benchmark::RegisterBenchmark(("dequantize/" + n + "/fast").c_str(), dequantize_bench<F, true>)->Arg(1)->Arg(2)->UseRealTime();
  benchmark::RegisterBenchmark(("dequantize/" + n + "/reference").c_str(), dequantize_bench<F, false>)->Arg(1)->UseRealTime();
}

int const registered = [] {
  register_format<sparq::mxfp8_e4m3>("mxfp8_e4m3");
  register_format<sparq::mxfp8_e5m2>("mxfp8_e5m2");
  register_format<sparq::mxfp6_e2m3>("mxfp6_e2m3");
  register_format<sparq::mxfp6_e3m2>("mxfp6_e3m2");
  register_format<sparq::mxfp4>("mxfp4");
  register_format<sparq::mxint8>("mxint8");
  register_format<sparq::nvfp4>("nvfp4");
  register_format<sparq::int8_group<32>>("int8_g32");
  register_format<sparq::int4_group<128>>("int4_g128");
  register_format<sparq::uint4_group_zp<128>>("awq4_g128");
  return 0;
}();

}  // namespace
