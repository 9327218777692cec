// SPDX-License-Identifier: Apache-2.0
// Test inputs: every FP16 and BF16 bit pattern as float32, plus float32 values concentrated on a
// format's ties, subnormal boundaries and overflow threshold, NaN, +-Inf, +-0, and random bits.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include <sparq/format/all.hpp>

#include "reference.hpp"

namespace sparq {
namespace test {

/// splitmix64: deterministic random words for stochastic rounding and random inputs.
inline std::uint64_t splitmix(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

inline std::vector<float> all_half_and_bfloat16_inputs() {
  std::vector<float> x;
  x.reserve(1u << 17);
  for (std::uint32_t h = 0; h < (1u << 16); ++h) {
    x.push_back(static_cast<float>(float16::from_bits(h)));
    x.push_back(float_of_bits(h << 16));
  }
  return x;
}

/// Values around every grid point and midpoint of F (subsampled for 16-bit formats), the overflow
/// threshold, specials, and `random_count` random bit patterns.
template <class F>
std::vector<float> focused_inputs(std::size_t random_count, std::uint64_t seed) {
  std::vector<float> x = {0.0f, -0.0f, std::numeric_limits<float>::infinity(),
                          -std::numeric_limits<float>::infinity(), std::numeric_limits<float>::quiet_NaN(),
                          -std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::denorm_min(),
                          std::numeric_limits<float>::min(), std::numeric_limits<float>::max()};
  auto const& g = grid_of<F>();
  std::vector<double> pts = g.values;
  pts.push_back(g.next_above_max);
  pts.push_back(g.next_above_max * 2);
  std::size_t const step = pts.size() > 4096 ? pts.size() / 2048 : 1;
  for (std::size_t i = 0; i + 1 < pts.size(); i += step) {
    for (double p : {pts[i], (pts[i] + pts[i + 1]) / 2}) {
      float const f = static_cast<float>(p);
      if (!std::isfinite(f)) continue;
      for (float v : {f, std::nextafter(f, 0.0f), std::nextafter(f, INFINITY)}) {
        x.push_back(v);
        x.push_back(-v);
      }
    }
  }
  std::uint64_t s = seed;
  for (std::size_t i = 0; i < random_count; ++i) {
    s = splitmix(s);
    x.push_back(float_of_bits(static_cast<std::uint32_t>(s)));
  }
  return x;
}

}  // namespace test
}  // namespace sparq
