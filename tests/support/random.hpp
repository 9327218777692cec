// SPDX-License-Identifier: Apache-2.0
// Seeded Gaussian test data for the kernel tests.
#pragma once

#include <cstddef>
#include <random>
#include <vector>

namespace sparq {
namespace test {

/// n values of N(0, 1), reproducible from the seed.
inline std::vector<float> gaussian(std::size_t n, unsigned seed) {
  std::vector<float> x(n);
  std::mt19937 g(seed);
  std::normal_distribution<float> d(0.0f, 1.0f);
  for (auto& v : x) v = d(g);
  return x;
}

}  // namespace test
}  // namespace sparq
