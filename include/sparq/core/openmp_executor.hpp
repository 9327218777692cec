// SPDX-License-Identifier: Apache-2.0
// openmp_executor: parallel_for(n, fn) as an OpenMP loop (dynamic schedule, the calling thread
// joins). Without OpenMP (no -fopenmp) the pragma is ignored and the loop runs serially with the
// same results. fn must not throw (the kernels do not).
#pragma once

#include <cstddef>

#include <sparq/core/config.hpp>

SPARQ_NAMESPACE_BEGIN

struct openmp_executor {
  /// Threads to use; 0: OpenMP's default (OMP_NUM_THREADS or the core count).
  int threads = 0;

  template <class Fn>
  void parallel_for(std::size_t n, Fn&& fn) const {
    long long const count = static_cast<long long>(n);
#if defined(_OPENMP)
    if (threads > 0) {
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
      for (long long i = 0; i < count; ++i) fn(static_cast<std::size_t>(i));
      return;
    }
#pragma omp parallel for schedule(dynamic, 1)
    for (long long i = 0; i < count; ++i) fn(static_cast<std::size_t>(i));
#else
    for (long long i = 0; i < count; ++i) fn(static_cast<std::size_t>(i));
#endif
  }
};

SPARQ_NAMESPACE_END
