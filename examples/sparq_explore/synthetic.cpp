// SPDX-License-Identifier: Apache-2.0
#include "synthetic.hpp"

#include <cmath>
#include <vector>

namespace sparq_explore {
namespace {

struct rng {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  double uniform() { return (static_cast<double>(next() >> 11) + 0.5) * 0x1.0p-53; }
  double normal() {
    // Box-Muller; one value per call keeps the stream simple and reproducible.
    double const u = uniform(), v = uniform();
    return std::sqrt(-2.0 * std::log(u)) * std::cos(6.283185307179586 * v);
  }
  double student_t3() {
    double const z = normal(), a = normal(), b = normal(), c = normal();
    return z / std::sqrt((a * a + b * b + c * c) / 3.0);
  }
};

}  // namespace

sparq::dense_matrix synthetic_llm_matrix(std::size_t rows, std::size_t cols, std::uint64_t seed) {
  sparq::dense_matrix m;
  m.rows = rows;
  m.cols = cols;
  m.dtype = "float32";
  m.data.resize(rows * cols);
  rng r{seed};
  std::vector<bool> outlier(cols, false);
  for (std::size_t c = 0; c < cols; ++c) outlier[c] = r.uniform() < 0.01;
  for (std::size_t i = 0; i < rows; ++i) {
    for (std::size_t c = 0; c < cols; ++c) {
      double const v = outlier[c] ? 0.1 * r.student_t3() : 0.02 * r.normal();
      m.data[i * cols + c] = static_cast<float>(v);
    }
  }
  return m;
}

}  // namespace sparq_explore
