// SPDX-License-Identifier: Apache-2.0
// Shared by the CUDA tests: whether a device is present (ctest reports exit 77 as a skip).
#pragma once

#include <cuda_runtime.h>

#include <cstdio>

namespace sparq {
namespace test {

inline constexpr int skip_exit_code = 77;

/// True when a CUDA device can run the test; prints the skip reason otherwise.
inline bool have_device() {
  int devices = 0;
  if (cudaGetDeviceCount(&devices) != cudaSuccess || devices == 0) {
    std::printf("SKIP: no CUDA device\n");
    return false;
  }
  return true;
}

}  // namespace test
}  // namespace sparq
