// SPDX-License-Identifier: Apache-2.0
// Per-thread scratch of the GEMM tasks, grow-only: a pool's threads allocate on first use only.
#pragma once

#include <cstddef>
#include <cstdint>

#include <sparq/core/config.hpp>
#include <sparq/kernel/gemm/workspace.hpp>

SPARQ_ARCH_NAMESPACE_BEGIN
namespace arch_detail {

/// What one GEMM task may use, named by purpose.
struct task_scratch {
  gemm_workspace panel;        ///< exact mode: decoded weight rows (panel rows x K slice)
  gemm_workspace tile;         ///< exact mode: the task's tile of C^T
  gemm_workspace images;       ///< int8 mode: the task's weight rows as int8 images
  gemm_workspace multipliers;  ///< int8 mode: one multiplier per weight chunk

  std::int8_t* image_bytes(std::size_t n) { return reinterpret_cast<std::int8_t*>(images.floats((n + 3) / 4)); }
};

/// The calling thread's scratch.
inline task_scratch& this_thread_scratch() {
  thread_local task_scratch s;
  return s;
}

}  // namespace arch_detail
SPARQ_ARCH_NAMESPACE_END
