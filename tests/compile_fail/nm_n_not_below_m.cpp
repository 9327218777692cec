// SPDX-License-Identifier: Apache-2.0
// N:M sparsity keeps 1 <= N < M values per group of M.
#include <sparq/sparq.hpp>

#ifdef SPARQ_SHOULD_FAIL
std::size_t f() { return sizeof(sparq::nm_sparse_matrix_view<5, 4, float>); }
#else
std::size_t f() { return sizeof(sparq::nm_sparse_matrix_view<2, 4, float>); }
#endif
