// SPDX-License-Identifier: Apache-2.0
// sparq::gemm over rotating copies of a weight matrix (bench/sparse.cpp, bench/ggml.cpp): at M = 1
// the copies total >= rotate_bytes, past the L3, as a decode step reads a model's weights.
#pragma once

#include <algorithm>
#include <cstddef>
#include <type_traits>
#include <vector>

#include <sparq/sparq.hpp>

#include "common.hpp"

namespace sparq_bench {

inline std::size_t copies_for(params const& p, std::size_t bytes) {
  return p.m == 1 ? std::max<std::size_t>(1, (rotate_bytes + bytes - 1) / bytes) : 1;
}

/// sparq::gemm over rotating copies of the weights `make()` builds; bytes(w) is what a call reads.
template <class Make, class Bytes>
void run_sparq(benchmark::State& state, params const& p, Make make, Bytes bytes) {
  sparq::thread_pool const pool(p.threads);
  auto const w = make();
  std::size_t const wbytes = bytes(w);
  std::vector<std::decay_t<decltype(w)>> ws(copies_for(p, wbytes), w);
  std::vector<float> const a = gaussian(p.m * p.k, 3, 1.0f);
  std::vector<float> c(p.m * p.n);
  sparq::gemm_workspace scratch;
  sparq::gemm_options o;
  o.workspace = &scratch;
  sparq::matrix_view<float const> const av(a.data(), p.m, p.k);
  sparq::matrix_view<float> const cv(c.data(), p.m, p.n);
  std::size_t i = 0;
  for (auto _ : state) {
    sparq::gemm(av, ws[i], cv, o, pool);
    benchmark::DoNotOptimize(c.data());
    i = (i + 1) % ws.size();
  }
  set_counters(state, p, wbytes);
}

}  // namespace sparq_bench
