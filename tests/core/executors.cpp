// SPDX-License-Identifier: Apache-2.0
// The executors' contract: parallel_for(n, fn) runs every index exactly once and returns after the
// last, with every task's writes visible to the caller (what ThreadSanitizer checks when this file
// runs in the sanitized build); a pool serves call after call; and the kernels give the same bytes
// under every executor as serially.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <random>
#include <vector>

#include <sparq/core/executor.hpp>
#include <sparq/core/openmp_executor.hpp>
#include <sparq/format/all.hpp>
#include <sparq/kernel/gemm.hpp>
#include <sparq/kernel/prepack.hpp>
#include <sparq/quantize/quantize.hpp>

using namespace sparq;

namespace {

/// Each index written once by its task (plain ints: distinct elements need no synchronization,
/// the caller's reads after the call need the executor's), checked by the caller.
template <class Executor>
void check_every_index_once(Executor const& ex) {
  for (std::size_t n : {0, 1, 2, 3, 7, 64, 1000}) {
    CAPTURE(n);
    std::vector<int> hits(n, 0);
    std::vector<std::size_t> value(n, 0);
    std::atomic<std::size_t> calls{0};
    ex.parallel_for(n, [&](std::size_t i) {
      hits[i] += 1;
      value[i] = i * i + 1;
      calls.fetch_add(1, std::memory_order_relaxed);
    });
    REQUIRE(calls.load() == n);
    for (std::size_t i = 0; i < n; ++i) {
      REQUIRE(hits[i] == 1);
      REQUIRE(value[i] == i * i + 1);
    }
  }
}

/// Many short calls in a row on the same executor: the results of call c are complete before call
/// c + 1 starts (its tasks read them).
template <class Executor>
void check_calls_in_sequence(Executor const& ex) {
  std::size_t const n = 37;
  std::vector<std::uint64_t> x(n, 1), y(n, 0);
  for (int c = 0; c < 300; ++c) {
    ex.parallel_for(n, [&](std::size_t i) { y[i] = x[i] + x[(i + 1) % n]; });
    ex.parallel_for(n, [&](std::size_t i) { x[i] = y[i] % 1000003; });
  }
  // The same recurrence, serially.
  std::vector<std::uint64_t> sx(n, 1), sy(n, 0);
  for (int c = 0; c < 300; ++c) {
    for (std::size_t i = 0; i < n; ++i) sy[i] = sx[i] + sx[(i + 1) % n];
    for (std::size_t i = 0; i < n; ++i) sx[i] = sy[i] % 1000003;
  }
  REQUIRE(x == sx);
}

std::vector<float> gaussian(std::size_t n, unsigned seed) {
  std::vector<float> v(n);
  std::mt19937 g(seed);
  std::normal_distribution<float> d(0.0f, 1.0f);
  for (auto& x : v) x = d(g);
  return v;
}

/// quantize, gemm (both modes, canonical and prepacked) under `ex` equal the serial results.
template <class F, class Executor>
void check_kernels_under(Executor const& ex) {
  std::size_t const n = 67, k = 256;
  std::vector<float> const wf = gaussian(n * k, 3);
  matrix_view<float const> const wv{wf.data(), n, k};
  auto const qs = quantize<F>(wv);
  auto const qp = quantize<F>(wv, {}, ex);
  REQUIRE(std::equal(qs.view().codes(), qs.view().codes() + qs.code_bytes(), qp.view().codes()));
  auto const pre = prepack(qs);
  for (std::size_t m : {std::size_t{1}, std::size_t{5}, std::size_t{33}}) {
    CAPTURE(m);
    std::vector<float> const a = gaussian(m * k, 7);
    matrix_view<float const> const av{a.data(), m, k};
    for (compute_mode mode : {compute_mode::exact, compute_mode::int8_activations}) {
      if (mode == compute_mode::int8_activations && !supports_int8_activations_v<F>) continue;
      gemm_options o;
      o.mode = mode;
      std::vector<float> serial(m * n), par(m * n), par_pre(m * n);
      gemm(av, qs, matrix_view<float>{serial.data(), m, n}, o);
      gemm(av, qs, matrix_view<float>{par.data(), m, n}, o, ex);
      gemm(av, pre, matrix_view<float>{par_pre.data(), m, n}, o, ex);
      REQUIRE(par == serial);
      REQUIRE(par_pre == serial);
    }
  }
}

}  // namespace

TEST_CASE("executors run every index once and publish the tasks' writes", "[core][executor]") {
  SECTION("serial_executor") { check_every_index_once(serial_executor{}); }
  SECTION("thread_executor") { check_every_index_once(thread_executor{3}); }
  SECTION("thread_pool") { check_every_index_once(thread_pool{3}); }
  SECTION("openmp_executor") { check_every_index_once(openmp_executor{3}); }
  SECTION("function_executor over a thread_pool") {
    thread_pool const pool(2);
    check_every_index_once(function_executor{[&](std::size_t n, std::function<void(std::size_t)> const& fn) {
      pool.parallel_for(n, fn);
    }});
  }
  SECTION("executor_ref") {
    thread_pool const pool(4);
    check_every_index_once(executor_ref(pool));
  }
}

TEST_CASE("executors serve call after call, each complete before the next", "[core][executor]") {
  thread_pool const pool(3);
  check_calls_in_sequence(pool);
  check_calls_in_sequence(thread_executor{2});
  check_calls_in_sequence(openmp_executor{2});
  // A pool built and destroyed around a single call, repeatedly (start-up and shutdown races).
  for (int i = 0; i < 20; ++i) check_every_index_once(thread_pool{2});
}

TEST_CASE("kernels give the serial bytes under every executor", "[core][executor]") {
  thread_pool const pool(3);
  check_kernels_under<mxfp4>(pool);
  check_kernels_under<int4_group<32>>(pool);
  check_kernels_under<nvfp4>(openmp_executor{3});
  check_kernels_under<float8_e4m3fn>(openmp_executor{2});
  check_kernels_under<mxfp4>(thread_executor{4});
}
