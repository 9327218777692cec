// SPDX-License-Identifier: Apache-2.0
// Shared checks of the sparse layouts: an independent dense reading of each layout (the test's
// own bit reading and the scalar reference decoder kernel::reference::weight_value, no code
// shared with the sources or densify), and the gemm comparison against kernel::reference::gemm.
#pragma once

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <vector>

#include <catch2/catch.hpp>

#include <sparq/sparq.hpp>

#include "../kernel/gemm_check.hpp"

namespace sparse_test {
using namespace sparq;
using gemm_test::gaussian;

inline unsigned field(std::uint8_t const* p, std::size_t j, unsigned b) {
  unsigned v = 0;
  for (unsigned x = 0; x < b; ++x) {
    std::size_t const bit = j * b + x;
    v |= ((p[bit / 8] >> (bit % 8)) & 1u) << x;
  }
  return v;
}

/// Value j of row r of the kept values, as the scalar reference decodes it.
template <class F>
double kept_value(quantized_matrix_view<F> const& v, std::size_t r, std::size_t j) {
  return kernel::reference::weight_value(v, r, j);
}
inline double kept_value(matrix_view<float const> const& v, std::size_t r, std::size_t j) { return v(r, j); }

template <std::size_t N, std::size_t M, class V>
std::vector<float> dense_of(nm_sparse_matrix_view<N, M, V> const& s) {
  std::vector<float> d(s.rows() * s.cols(), 0.0f);
  unsigned const b = M == 2 ? 1 : M == 4 ? 2 : M == 8 ? 3 : 4;
  for (std::size_t r = 0; r < s.rows(); ++r) {
    for (std::size_t j = 0; j < s.kept_cols(); ++j) {
      std::size_t const col = j / N * M + field(s.indices() + r * ((s.kept_cols() * b + 7) / 8), j, b);
      if (col < s.cols()) d[r * s.cols() + col] = static_cast<float>(kept_value(s.values(), r, j));
    }
  }
  return d;
}

template <class V>
std::vector<float> dense_of(bitmap_sparse_matrix_view<V> const& s) {
  std::vector<float> d(s.rows() * s.cols(), 0.0f);
  std::size_t const tiles = (s.cols() + 63) / 64;
  for (std::size_t r = 0; r < s.rows(); ++r) {
    std::size_t j = s.offsets()[r];
    for (std::size_t k = 0; k < s.cols(); ++k) {
      if ((s.masks()[r * tiles + k / 64] >> (k % 64)) & 1u) d[r * s.cols() + k] = static_cast<float>(kept_value(s.values(), 0, j++));
    }
  }
  return d;
}

template <class F, class O>
std::vector<float> dense_of(dense_and_sparse_view<F, O> const& s) {
  std::vector<float> d(s.rows() * s.cols());
  for (std::size_t r = 0; r < s.rows(); ++r) {
    for (std::size_t k = 0; k < s.cols(); ++k) d[r * s.cols() + k] = static_cast<float>(kept_value(s.dense(), r, k));
    for (std::uint64_t j = s.row_ptr()[r]; j < s.row_ptr()[r + 1]; ++j) {
      d[r * s.cols() + s.columns()[j]] += static_cast<float>(s.values()[j]);
    }
  }
  return d;
}

/// gemm of the layout (exact mode, M rows of A) within the documented bound of the reference on
/// the dense reading; serial == thread_pool bit for bit; densify agrees with the dense reading.
template <class L>
void check_gemm(L const& s, std::size_t m, unsigned seed, gemm_options o = {}) {
  auto const view = s.view();
  std::size_t const n = view.rows(), k = view.cols();
  std::vector<float> const wd = dense_of(view);
  std::vector<float> dz(n * k, -1.0f);
  densify(view, matrix_view<float>{dz.data(), n, k});
  CHECK(gemm_test::same(dz, wd));
  std::vector<float> a = gaussian(m * k, seed), c0 = gaussian(m * n, seed + 1);
  std::vector<float> c = c0, ref = c0, cp = c0;
  matrix_view<float const> const av{a.data(), m, k};
  gemm(av, s, matrix_view<float>{c.data(), m, n}, o);
  kernel::reference::gemm(av, matrix_view<float const>{wd.data(), n, k}, matrix_view<float>{ref.data(), m, n}, o.alpha,
                          o.beta, o.bias);
  double const worst = gemm_test::worst_ratio(av, wd, n, matrix_view<float const>{c.data(), m, n},
                                              matrix_view<float const>{ref.data(), m, n},
                                              matrix_view<float const>{c0.data(), m, n}, o);
  INFO("M " << m << " N " << n << " K " << k);
  CHECK(worst <= 1.0);
  thread_pool pool(2);
  gemm(av, view, matrix_view<float>{cp.data(), m, n}, o, pool);
  CHECK(gemm_test::same(c, cp));
}

/// int8_activations: the same as multiplying the dense reading by A as quantize_activations
/// rounds it (within K * eps of the products' magnitudes).
template <class L>
void check_int8(L const& s, std::size_t m, unsigned seed) {
  auto const view = s.view();
  std::size_t const n = view.rows(), k = view.cols();
  std::vector<float> const wd = dense_of(view);
  std::vector<float> a = gaussian(m * k, seed), c(m * n), ref(m * n);
  matrix_view<float const> const av{a.data(), m, k};
  auto const qa = quantize_activations(av);
  std::vector<float> ad(m * k);
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t p = 0; p < k; ++p) {
      ad[i * k + p] = float(qa.codes()[i * qa.padded_cols() + p]) * qa.scales()[i * qa.blocks_per_row() + p / 32];
    }
  }
  gemm(av, s, matrix_view<float>{c.data(), m, n}, gemm_options{}.with_mode(compute_mode::int8_activations));
  matrix_view<float const> const adv{ad.data(), m, k};
  kernel::reference::gemm(adv, matrix_view<float const>{wd.data(), n, k}, matrix_view<float>{ref.data(), m, n});
  double const worst = gemm_test::worst_ratio(adv, wd, n, matrix_view<float const>{c.data(), m, n},
                                              matrix_view<float const>{ref.data(), m, n},
                                              matrix_view<float const>{ref.data(), m, n}, gemm_options{});
  INFO("int8 M " << m << " N " << n << " K " << k);
  CHECK(worst <= 1.0);
}

}  // namespace sparse_test
