// SPDX-License-Identifier: Apache-2.0
#include "speed.hpp"

#include <xsimd/xsimd.hpp>

namespace sparq_explore {

double memory_read_gbs(sparq::thread_pool const& ex) {
  std::size_t const n = (std::size_t{256} << 20) / sizeof(float);
  sparq::aligned_buffer buf(n * sizeof(float));
  float const* p = reinterpret_cast<float const*>(buf.data());
  constexpr std::size_t tasks = 128;
  std::vector<float> sums(tasks);
  double const t = best_seconds(3, [&] {
    ex.parallel_for(tasks, [&](std::size_t i) {
      using batch = xsimd::batch<float>;
      std::size_t const per = n / tasks;
      float const* q = p + i * per;
      batch s0(0.0f), s1(0.0f);
      for (std::size_t j = 0; j < per; j += 2 * batch::size) {
        s0 += batch::load_aligned(q + j);
        s1 += batch::load_aligned(q + j + batch::size);
      }
      sums[i] = xsimd::hadd(s0 + s1);
    });
  });
  volatile float sink = sums[0];
  (void)sink;
  return static_cast<double>(n * sizeof(float)) / t * 1e-9;
}

}  // namespace sparq_explore
