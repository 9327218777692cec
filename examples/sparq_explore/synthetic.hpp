// SPDX-License-Identifier: Apache-2.0
// The built-in weight matrix of sparq-explore: LLM-like, deterministic.
#pragma once

#include <cstddef>
#include <cstdint>

#include <sparq/interop/dense_file.hpp>

namespace sparq_explore {

/// rows x cols, Gaussian body (sigma 0.02) and about 1 % heavy-tailed outlier input channels
/// (Student-t with 3 degrees of freedom, scale 0.1), as in trained transformer projections.
/// Fixed seed: the same matrix on every machine.
sparq::dense_matrix synthetic_llm_matrix(std::size_t rows, std::size_t cols, std::uint64_t seed = 20261125);

}  // namespace sparq_explore
