// SPDX-License-Identifier: Apache-2.0
// The speed columns of `sparq-explore quantize`: GEMV weight GB/s (exact and int8_activations
// modes, prepacked dense weights or the sparse layout, rotated over copies totalling at least
// 64 MiB so they come from memory, not the L3, for matrices of at least 4 MiB), its fraction of
// the machine's read bandwidth (measured once), and GEMM GFLOP/s at M = 128 (exact mode).
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <vector>

#include <sparq/sparq.hpp>

namespace sparq_explore {

/// Best of 10 reads of 256 MiB with the pool's threads, GB/s.
double memory_read_gbs(sparq::thread_pool const& ex);

struct speed {
  double gemv_gbs = 0;       ///< exact mode, M = 1
  double gemv_int8_gbs = 0;  ///< int8_activations, M = 1; 0 where the format has no int8 image
  double gemm_gflops = 0;    ///< exact mode, M = 128
};

template <class Fn>
double best_seconds(int reps, Fn&& fn) {
  double best = 1e30;
  for (int r = 0; r < reps; ++r) {
    auto const t0 = std::chrono::steady_clock::now();
    fn();
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  return best;
}

/// GEMV over the rotated copies (exact, and int8_activations when `int8`), GEMM at M = 128 on the
/// first. `bytes`: what one GEMV reads of one copy.
template <class W>
speed measure_copies(std::vector<W> const& copies, std::size_t n, std::size_t k, std::size_t bytes, bool int8,
                     sparq::thread_pool const& ex) {
  speed s;
  if (n == 0 || k == 0 || copies.empty()) return s;
  std::vector<float> a(128 * k, 0.01f), c(128 * n);
  sparq::gemm_workspace ws;
  sparq::gemm_options o;
  o.workspace = &ws;
  auto gemv = [&](sparq::gemm_options const& opt) {
    double const t = best_seconds(3, [&] {
      for (auto const& p : copies) {
        sparq::gemm(sparq::matrix_view<float const>(a.data(), 1, k), p, sparq::matrix_view<float>(c.data(), 1, n), opt, ex);
      }
    });
    return static_cast<double>(bytes) * static_cast<double>(copies.size()) / t * 1e-9;
  };
  s.gemv_gbs = gemv(o);
  if (int8) {
    sparq::gemm_options o8 = o;
    o8.mode = sparq::compute_mode::int8_activations;
    s.gemv_int8_gbs = gemv(o8);
  }
  double const t = best_seconds(2, [&] {
    sparq::gemm(sparq::matrix_view<float const>(a.data(), 128, k), copies.front(),
                sparq::matrix_view<float>(c.data(), 128, n), o, ex);
  });
  s.gemm_gflops = 2.0 * 128.0 * static_cast<double>(n) * static_cast<double>(k) / t * 1e-9;
  return s;
}

/// Copies of W: enough to pass 64 MiB for matrices of at least 4 MiB (the L3 is 32 MiB), else one.
inline std::size_t copies_for(std::size_t bytes) {
  return bytes >= (std::size_t{4} << 20) ? std::min<std::size_t>(16, ((std::size_t{64} << 20) + bytes - 1) / bytes) : 1;
}

template <class F>
speed measure_speed(sparq::quantized_matrix<F> const& q, sparq::thread_pool const& ex) {
  std::vector<sparq::prepacked<F>> copies;
  std::size_t const count = copies_for(q.storage_bytes());
  for (std::size_t i = 0; i < count; ++i) copies.push_back(sparq::prepack(q));
  return measure_copies(copies, q.rows(), q.cols(), q.storage_bytes(), sparq::supports_int8_activations_v<F>, ex);
}

/// A sparse layout (nm_sparse_matrix, bitmap_sparse_matrix, dense_and_sparse), canonical form.
template <class L>
speed measure_layout(L const& s, bool int8, sparq::thread_pool const& ex) {
  std::vector<L> copies(copies_for(s.storage_bytes()), s);
  return measure_copies(copies, s.rows(), s.cols(), s.storage_bytes(), int8, ex);
}

}  // namespace sparq_explore
