// SPDX-License-Identifier: Apache-2.0
// The rows of `sparq-explore quantize`: one result per format (or format composed with a sparse
// layout), and the registries that produce them (quantize_table.cpp: dense formats;
// sparse_table.cpp: the formats composed with --sparsity).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include <sparq/sparq.hpp>

#include "speed.hpp"

namespace sparq_explore {

/// One format's results. A later column (GEMV GB/s, GEMM GFLOP/s) is one more field here and one
/// more entry in columns() below.
struct result {
  std::string name;
  double bits_per_weight = 0;
  std::size_t bytes = 0;
  sparq::error_metrics error;
  double quantize_ms = 0;
  speed perf;
  double read_gbs = 0;  ///< the machine's measured read bandwidth, for the fraction column
};

/// A sparse layout composed with every format (--sparsity): N:M 2:4, bitmap at a sparsity, or
/// dense-and-sparse with a fraction of outliers.
struct sparsity {
  enum class kind { none, nm_2_4, bitmap, outliers };
  kind by = kind::none;
  double amount = 0;  ///< bitmap: the fraction of zeros; outliers: the fraction kept as outliers
  std::string text;   ///< as given, e.g. "bitmap:0.9"
};

using runner = std::function<result(sparq::dense_matrix const&, sparq::thread_pool const&, sparsity const&)>;

struct entry {
  std::string name;
  runner run;
};

/// The formats --sparsity composes with each layout (float32 values: the sparse layouts only).
std::vector<entry> const& sparse_registry();

}  // namespace sparq_explore
