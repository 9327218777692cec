// SPDX-License-Identifier: Apache-2.0
// Bulk encode / decode throughput per format, one thread, against the scalar loop in the same
// binary: convert/<encode|decode>/<format>/<bulk|scalar>/<n>. Counters: elements/s (items),
// bytes/s of the float side, and the hot-cache working set.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <vector>

#include <sparq/sparq.hpp>

namespace {

std::vector<float> gaussian_like(std::size_t n) {
  std::vector<float> x(n);
  std::uint64_t s = 12345;
  for (std::size_t i = 0; i < n; ++i) {
    // Sum of 4 uniforms: cheap, bell-shaped, deterministic.
    float acc = 0;
    for (int k = 0; k < 4; ++k) {
      s = s * 6364136223846793005ull + 1442695040888963407ull;
      acc += static_cast<float>(s >> 40) / static_cast<float>(1 << 24) - 0.5f;
    }
    x[i] = acc * 3.0f;
  }
  return x;
}

template <class F>
void set_counters(benchmark::State& state, std::size_t n) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(n));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(n) *
                          static_cast<std::int64_t>(sizeof(float) + sizeof(F)));
  state.counters["working_set_KiB"] = static_cast<double>(n * (sizeof(float) + sizeof(F))) / 1024.0;
}

/// Times body() over state, with codes q of the benchmark data and room y for decoded floats.
template <class F, class Body>
void run(benchmark::State& state, Body&& body) {
  auto const n = static_cast<std::size_t>(state.range(0));
  std::vector<float> const x = gaussian_like(n);
  std::vector<F> q(n);
  sparq::convert_n(x.data(), n, q.data());
  std::vector<float> y(n);
  for (auto _ : state) {
    body(x.data(), q.data(), y.data(), n);
    benchmark::DoNotOptimize(q.data());
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  set_counters<F>(state, n);
}

template <class F>
void encode_bulk(benchmark::State& state) {
  run<F>(state, [](float const* x, F* q, float*, std::size_t n) { sparq::convert_n(x, n, q); });
}

template <class F>
void encode_scalar(benchmark::State& state) {
  run<F>(state, [](float const* x, F* q, float*, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) q[i] = F(x[i]);
  });
}

template <class F>
void decode_bulk(benchmark::State& state) {
  run<F>(state, [](float const*, F* q, float* y, std::size_t n) { sparq::convert_n(q, n, y); });
}

template <class F>
void decode_scalar(benchmark::State& state) {
  run<F>(state, [](float const*, F* q, float* y, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) y[i] = static_cast<float>(q[i]);
  });
}

// 16 Ki elements: 64 KiB of floats plus codes, in L2 on the target machines.
constexpr std::int64_t l2_elements = 16 * 1024;

int const registered = [] {
  sparq::for_each_type(sparq::element_formats{}, [](auto f) {
    using F = decltype(f);
    std::string const name = sparq::format_name_v<F>;
    benchmark::RegisterBenchmark(("convert/encode/" + name + "/bulk").c_str(), encode_bulk<F>)->Arg(l2_elements);
    benchmark::RegisterBenchmark(("convert/encode/" + name + "/scalar").c_str(), encode_scalar<F>)->Arg(l2_elements);
    benchmark::RegisterBenchmark(("convert/decode/" + name + "/bulk").c_str(), decode_bulk<F>)->Arg(l2_elements);
    benchmark::RegisterBenchmark(("convert/decode/" + name + "/scalar").c_str(), decode_scalar<F>)->Arg(l2_elements);
  });
  return 0;
}();

}  // namespace
