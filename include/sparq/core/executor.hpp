// SPDX-License-Identifier: Apache-2.0
// Executors: threads belong to the caller. A kernel splits its work into n independent tasks and
// calls executor.parallel_for(n, fn); fn(i) must be callable concurrently for distinct i.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <type_traits>
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

/// A persistent pool: threads - 1 workers wait between calls, and the calling thread works too.
/// Tasks are claimed one at a time from a shared counter. One parallel_for at a time per pool.
class thread_pool {
 public:
  explicit thread_pool(unsigned threads = 0)
      : threads_(threads ? threads : (std::thread::hardware_concurrency() ? std::thread::hardware_concurrency() : 1)) {
    for (unsigned t = 1; t < threads_; ++t) workers_.emplace_back([this] { work(); });
  }
  thread_pool(thread_pool const&) = delete;
  thread_pool& operator=(thread_pool const&) = delete;
  ~thread_pool() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    for (auto& w : workers_) w.join();
  }

  template <class Fn>
  void parallel_for(std::size_t n, Fn&& fn) const {
    if (n == 0) return;
    if (workers_.empty() || n == 1) {
      for (std::size_t i = 0; i < n; ++i) fn(i);
      return;
    }
    std::function<void(std::size_t)> task(std::forward<Fn>(fn));
    {
      std::lock_guard<std::mutex> lock(mutex_);
      task_ = &task;
      count_ = n;
      next_.store(0);
      busy_ = workers_.size();
      ++generation_;
    }
    wake_.notify_all();
    drain();
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [this] { return busy_ == 0; });
    task_ = nullptr;
  }
  unsigned threads() const noexcept { return threads_; }

 private:
  void drain() const {
    for (std::size_t i = next_.fetch_add(1); i < count_; i = next_.fetch_add(1)) (*task_)(i);
  }
  void work() {
    std::size_t seen = 0;
    for (;;) {
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
        if (stop_) return;
        seen = generation_;
      }
      drain();
      std::lock_guard<std::mutex> lock(mutex_);
      if (--busy_ == 0) done_.notify_one();
    }
  }

  unsigned threads_;
  std::vector<std::thread> workers_;
  mutable std::mutex mutex_;
  mutable std::condition_variable wake_, done_;
  mutable std::function<void(std::size_t)> const* task_ = nullptr;
  mutable std::size_t count_ = 0, busy_ = 0, generation_ = 0;
  mutable std::atomic<std::size_t> next_{0};
  bool stop_ = false;
};

/// Any executor behind one non-template type: what crosses the runtime dispatch boundary
/// (kernel/dispatch.hpp), where the kernels are compiled once per arch, not once per executor.
/// Refers to the executor and to each parallel_for's task; both must outlive the call.
class executor_ref {
 public:
  template <class Executor>
  explicit executor_ref(Executor const& e) noexcept
      : executor_(&e), run_([](void const* ex, std::size_t n, void* fn, task_fn call) {
          static_cast<Executor const*>(ex)->parallel_for(n, [fn, call](std::size_t i) { call(fn, i); });
        }) {}
  executor_ref(executor_ref const&) noexcept = default;

  template <class Fn>
  void parallel_for(std::size_t n, Fn&& fn) const {
    using F = std::remove_reference_t<Fn>;
    run_(executor_, n, const_cast<void*>(static_cast<void const*>(&fn)),
         [](void* f, std::size_t i) { (*static_cast<F*>(f))(i); });
  }

 private:
  using task_fn = void (*)(void*, std::size_t);
  void const* executor_;
  void (*run_)(void const*, std::size_t, void*, task_fn);
};

SPARQ_NAMESPACE_END
