// SPDX-License-Identifier: Apache-2.0
// Scratch memory of the GEMM kernels. A caller that keeps a gemm_workspace (one per concurrent
// caller) and passes it in the options makes repeated calls allocation-free; per-task panels live
// in grow-only thread-local buffers (kernel/gemm/scratch.hpp).
#pragma once

#include <cstddef>

#include <sparq/core/aligned_buffer.hpp>
#include <sparq/core/config.hpp>

SPARQ_NAMESPACE_BEGIN

/// Grow-only, 64-byte aligned scratch floats (not zeroed between uses).
class gemm_workspace {
 public:
  float* floats(std::size_t n) {
    if (buffer_.size() < n * sizeof(float)) buffer_ = aligned_buffer(n * sizeof(float));
    return reinterpret_cast<float*>(buffer_.data());
  }
  std::size_t bytes() const noexcept { return buffer_.size(); }

 private:
  aligned_buffer buffer_;
};

SPARQ_NAMESPACE_END
