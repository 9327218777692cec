// SPDX-License-Identifier: Apache-2.0
// The sparse layouts' views over arbitrary metadata (N:M indices, bitmap masks and offsets, CSR
// outliers): a bad one is a sparq::invalid_argument; a good one densifies and multiplies like its
// dense reading. Shapes are small, the metadata comes from the input.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include <sparq/format/all.hpp>
#include <sparq/kernel/gemm.hpp>
#include <sparq/layout/sparse/bitmap.hpp>
#include <sparq/layout/sparse/dense_and_sparse.hpp>
#include <sparq/layout/sparse/nm.hpp>
#include <sparq/quantize/quantize.hpp>
#include <sparq/quantize/sparse.hpp>

#include "fuzz_check.hpp"
#include "fuzz_input.hpp"

namespace {

using sparq_fuzz::input;

std::vector<float> floats(input& in, std::size_t n) {
  std::vector<float> v(n);
  for (float& x : v) x = static_cast<float>(static_cast<std::int8_t>(in.take<std::uint8_t>())) * 0.25f;
  return v;
}

template <std::size_t N, std::size_t M>
void nm(input& in, std::size_t rows, std::size_t cols, std::size_t m) {
  using view = sparq::nm_sparse_matrix_view<N, M, float>;
  std::size_t const kept = (cols + M - 1) / M * N;
  std::vector<float> const values = floats(in, rows * kept);
  std::vector<std::uint8_t> const idx = in.bytes(rows * view::index_row_bytes(kept));
  try {
    view const s(sparq::matrix_view<float const>(values.data(), rows, kept), idx.data(), rows, cols);
    std::vector<float> dense(rows * cols);
    sparq::densify(s, sparq::matrix_view<float>(dense.data(), rows, cols));
    sparq_fuzz::check_product(s, dense, rows, cols, m);
  } catch (sparq::invalid_argument const&) {
  }
}

void bitmap(input& in, std::size_t rows, std::size_t cols, std::size_t m) {
  std::size_t const tiles = (cols + 63) / 64;
  std::vector<std::uint64_t> masks(rows * tiles);
  for (auto& x : masks) x = in.take<std::uint64_t>();
  std::vector<std::uint64_t> offsets(rows + 1);
  bool const consistent = in.take<std::uint8_t>() & 1;
  for (std::size_t r = 0; r < rows; ++r) {
    if (consistent) {  // mostly-valid offsets (the masks' counts), so the kernels run too
      std::uint64_t kept = 0;
      for (std::size_t t = 0; t < tiles; ++t) kept += static_cast<std::uint64_t>(__builtin_popcountll(masks[r * tiles + t]));
      offsets[r + 1] = offsets[r] + kept;
    } else {
      offsets[r + 1] = in.take<std::uint16_t>();
    }
  }
  offsets[0] = consistent ? 0 : in.take<std::uint8_t>() % 2;
  if (offsets[rows] > (1u << 16)) return;
  std::vector<float> const values = floats(in, static_cast<std::size_t>(offsets[rows]));
  try {
    sparq::bitmap_sparse_matrix_view<float> const s(
        sparq::matrix_view<float const>(values.data(), rows == 0 ? 0 : 1, values.size()), masks.data(), offsets.data(),
        rows, cols);
    std::vector<float> dense(rows * cols);
    sparq::densify(s, sparq::matrix_view<float>(dense.data(), rows, cols));
    sparq_fuzz::check_product(s, dense, rows, cols, m);
  } catch (sparq::invalid_argument const&) {
  }
}

void outliers(input& in, std::size_t rows, std::size_t cols, std::size_t m) {
  std::vector<float> const w = floats(in, rows * cols);
  auto const q = sparq::quantize<sparq::int4_group<32>>(sparq::matrix_view<float const>(w.data(), rows, cols));
  std::vector<std::uint64_t> row_ptr(rows + 1);
  std::vector<std::uint32_t> columns;
  if (in.take<std::uint8_t>() & 1) {  // mostly-valid CSR, so the kernels run too
    for (std::size_t r = 0; r < rows; ++r) {
      row_ptr[r + 1] = row_ptr[r] + in.take<std::uint8_t>() % 4;
      std::uint32_t c = in.take<std::uint8_t>() % 8;
      for (std::uint64_t j = row_ptr[r]; j < row_ptr[r + 1]; ++j, c += 1 + in.take<std::uint8_t>() % 64) columns.push_back(c);
    }
  } else {
    for (auto& x : row_ptr) x = in.take<std::uint8_t>() % 16;
    columns.resize(in.in(0, 16));
    for (auto& x : columns) x = in.take<std::uint16_t>() % (cols + 2);
  }
  std::size_t const nnz = columns.size();
  std::vector<float> const values = floats(in, nnz);
  try {
    sparq::dense_and_sparse_view<sparq::int4_group<32>> const s(q.view(), row_ptr.data(), columns.data(), values.data(), nnz);
    std::vector<float> dense(rows * cols);
    sparq::densify(s, sparq::matrix_view<float>(dense.data(), rows, cols));
    std::vector<float> magnitude(rows * cols);
    sparq::dequantize(q.view(), sparq::matrix_view<float>(magnitude.data(), rows, cols));
    for (float& x : magnitude) x = std::fabs(x);
    for (std::size_t r = 0; r < rows; ++r)
      for (std::uint64_t j = row_ptr[r]; j < row_ptr[r + 1]; ++j) magnitude[r * cols + columns[j]] += std::fabs(values[j]);
    sparq_fuzz::check_product(s, dense, rows, cols, m, magnitude);
  } catch (sparq::invalid_argument const&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  input in(data, size);
  unsigned const layout = in.take<std::uint8_t>() % 4;
  std::size_t const rows = in.in(1, 9), cols = in.in(1, 200), m = in.in(1, 6);
  switch (layout) {
    case 0: nm<2, 4>(in, rows, cols, m); break;
    case 1: nm<3, 8>(in, rows, cols, m); break;
    case 2: bitmap(in, rows, cols, m); break;
    default: outliers(in, rows, cols, m); break;
  }
  return 0;
}
