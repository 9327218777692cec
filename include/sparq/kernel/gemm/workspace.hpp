// SPDX-License-Identifier: Apache-2.0
// Scratch memory of the GEMM kernels. A caller that keeps a gemm_workspace (one per concurrent
// caller) and passes it in the options makes repeated calls allocation-free; per-task panels live
// in grow-only thread-local buffers, so a pool's threads allocate only on first use.
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

namespace detail {
/// The calling thread's scratch number `slot` (0..3), at least n floats.
inline float* thread_scratch(std::size_t slot, std::size_t n) {
  thread_local gemm_workspace spaces[4];
  return spaces[slot].floats(n);
}
}  // namespace detail

SPARQ_NAMESPACE_END
