// SPDX-License-Identifier: Apache-2.0
// Executors: threads belong to the caller. A kernel splits its work into n independent tasks and
// calls executor.parallel_for(n, fn); fn(i) must be callable concurrently for distinct i.
#pragma once

#include <cstddef>
#include <functional>
#include <thread>
#include <utility>
#include <vector>

#include <sparq/core/config.hpp>

SPARQ_NAMESPACE_BEGIN

/// Runs the tasks in order on the calling thread (the default everywhere).
struct serial_executor {
  template <class Fn>
  void parallel_for(std::size_t n, Fn&& fn) const {
    for (std::size_t i = 0; i < n; ++i) fn(i);
  }
};

/// Adapts an engine's own pool: any callable pool(n, std::function<void(std::size_t)>) that runs
/// every index once and returns when all are done.
///
///   sparq::function_executor ex{[&](std::size_t n, auto const& fn) { my_pool.run(n, fn); }};
class function_executor {
 public:
  using pool_fn = std::function<void(std::size_t, std::function<void(std::size_t)> const&)>;
  explicit function_executor(pool_fn pool) : pool_(std::move(pool)) {}
  template <class Fn>
  void parallel_for(std::size_t n, Fn&& fn) const {
    std::function<void(std::size_t)> const task(std::forward<Fn>(fn));
    pool_(n, task);
  }

 private:
  pool_fn pool_;
};

/// Plain std::thread workers, tasks dealt in contiguous chunks; threads = 0 means
/// std::thread::hardware_concurrency(). For tests and tools; engines pass their own pool.
class thread_executor {
 public:
  explicit thread_executor(unsigned threads = 0) noexcept
      : threads_(threads ? threads : (std::thread::hardware_concurrency() ? std::thread::hardware_concurrency() : 1)) {}
  template <class Fn>
  void parallel_for(std::size_t n, Fn&& fn) const {
    std::size_t const workers = n < threads_ ? n : threads_;
    if (workers <= 1) {
      for (std::size_t i = 0; i < n; ++i) fn(i);
      return;
    }
    std::vector<std::thread> pool;
    pool.reserve(workers - 1);
    auto chunk = [&](std::size_t w) {
      for (std::size_t i = n * w / workers; i < n * (w + 1) / workers; ++i) fn(i);
    };
    for (std::size_t w = 1; w < workers; ++w) pool.emplace_back(chunk, w);
    chunk(0);
    for (auto& t : pool) t.join();
  }
  unsigned threads() const noexcept { return threads_; }

 private:
  unsigned threads_;
};

SPARQ_NAMESPACE_END
