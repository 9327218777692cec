// SPDX-License-Identifier: Apache-2.0
// Eigen interop for the sparse layouts: sparq::to_eigen (N:M or bitmap, any value format, to an
// Eigen::SparseMatrix<float, RowMajor>, the kept values as float) and back: bitmap_from_eigen
// (any pattern) and nm_from_eigen<N, M> (a pattern with at most N entries per group of M).
// Include it after Eigen/SparseCore; sparq itself never needs Eigen.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <Eigen/SparseCore>

#include <sparq/core/aligned_buffer.hpp>
#include <sparq/core/config.hpp>
#include <sparq/core/error.hpp>
#include <sparq/kernel/source/layouts.hpp>
#include <sparq/layout/sparse/bitmap.hpp>
#include <sparq/layout/sparse/nm.hpp>

SPARQ_NAMESPACE_BEGIN

using eigen_csr = Eigen::SparseMatrix<float, Eigen::RowMajor, int>;

namespace detail {
template <class Layout>
eigen_csr sparse_to_eigen(Layout const& view) {
  auto const source = make_weight_source(view);
  std::vector<Eigen::Triplet<float, int>> t;
  for (std::size_t r = 0; r < view.rows(); ++r) {
    source.for_each_kept(r, [&](std::size_t k, float v) {
      t.emplace_back(static_cast<int>(r), static_cast<int>(k), v);
    });
  }
  eigen_csr m(static_cast<Eigen::Index>(view.rows()), static_cast<Eigen::Index>(view.cols()));
  m.setFromTriplets(t.begin(), t.end());
  m.makeCompressed();
  return m;
}
}  // namespace detail

/// The kept entries (values as float, block scales applied) as a row-major Eigen sparse matrix.
template <std::size_t N, std::size_t M, class V>
eigen_csr to_eigen(nm_sparse_matrix_view<N, M, V> const& s) {
  return detail::sparse_to_eigen(s);
}
template <class V>
eigen_csr to_eigen(bitmap_sparse_matrix_view<V> const& s) {
  return detail::sparse_to_eigen(s);
}
template <std::size_t N, std::size_t M, class V>
eigen_csr to_eigen(nm_sparse_matrix<N, M, V> const& s) {
  return detail::sparse_to_eigen(s.view());
}
template <class V>
eigen_csr to_eigen(bitmap_sparse_matrix<V> const& s) {
  return detail::sparse_to_eigen(s.view());
}

/// Every stored entry of m (explicit zeros included) kept, float values.
template <class Scalar, int Options, class Index>
bitmap_sparse_matrix<float> bitmap_from_eigen(Eigen::SparseMatrix<Scalar, Options, Index> const& in) {
  Eigen::SparseMatrix<float, Eigen::RowMajor, Index> m = in.template cast<float>();
  m.makeCompressed();
  std::size_t const rows = static_cast<std::size_t>(m.rows()), cols = static_cast<std::size_t>(m.cols());
  std::size_t const tiles = (cols + 63) / 64;
  aligned_buffer masks(rows * tiles * 8), offsets((rows + 1) * 8);
  auto* mask = reinterpret_cast<std::uint64_t*>(masks.data());
  auto* off = reinterpret_cast<std::uint64_t*>(offsets.data());
  std::vector<float> vals;
  for (std::size_t r = 0; r < rows; ++r) {
    for (typename decltype(m)::InnerIterator it(m, static_cast<Index>(r)); it; ++it) {
      std::size_t const k = static_cast<std::size_t>(it.col());
      mask[r * tiles + k / 64] |= std::uint64_t{1} << (k % 64);
      vals.push_back(it.value());
    }
    off[r + 1] = vals.size();
  }
  detail::float_matrix values(1, vals.size());
  for (std::size_t j = 0; j < vals.size(); ++j) values.data()[j] = vals[j];
  return bitmap_sparse_matrix<float>(std::move(values), std::move(masks), std::move(offsets), rows, cols);
}

/// An N:M matrix of m's pattern: each group's stored entries, then zeros at its lowest free
/// positions up to N. A group with more than N stored entries throws sparq::invalid_argument.
template <std::size_t N, std::size_t M, class Scalar, int Options, class Index>
nm_sparse_matrix<N, M, float> nm_from_eigen(Eigen::SparseMatrix<Scalar, Options, Index> const& in) {
  using view = nm_sparse_matrix_view<N, M, float>;
  Eigen::SparseMatrix<float, Eigen::RowMajor, Index> m = in.template cast<float>();
  std::size_t const rows = static_cast<std::size_t>(m.rows()), cols = static_cast<std::size_t>(m.cols());
  std::size_t const groups = (cols + M - 1) / M, kept = groups * N, ib = view::index_row_bytes(kept);
  detail::float_matrix values(rows, kept);
  aligned_buffer indices(rows * ib);
  std::vector<float> row(groups * M);
  std::vector<unsigned char> used(groups * M);
  for (std::size_t r = 0; r < rows; ++r) {
    std::fill(row.begin(), row.end(), 0.0f);
    std::fill(used.begin(), used.end(), 0);
    for (typename decltype(m)::InnerIterator it(m, static_cast<Index>(r)); it; ++it) {
      row[static_cast<std::size_t>(it.col())] = it.value();
      used[static_cast<std::size_t>(it.col())] = 1;
    }
    for (std::size_t g = 0; g < groups; ++g) {
      std::size_t count = 0;
      for (std::size_t p = 0; p < M; ++p) count += used[g * M + p];
      if (count > N) {
        detail::bad_sparse("nm_from_eigen", r, "group " + std::to_string(g) + " holds " + std::to_string(count) +
                                                   " entries, more than N = " + std::to_string(N));
      }
      for (std::size_t p = 0; p < M && count < N; ++p) {
        if (!used[g * M + p]) {
          used[g * M + p] = 1;
          ++count;
        }
      }
      std::size_t j = g * N;
      for (unsigned p = 0; p < M; ++p) {
        if (!used[g * M + p]) continue;
        values.row(r)[j] = row[g * M + p];
        detail::put_field(indices.data() + r * ib, j, view::index_bits, p);
        ++j;
      }
    }
  }
  return nm_sparse_matrix<N, M, float>(std::move(values), std::move(indices), rows, cols);
}

SPARQ_NAMESPACE_END
