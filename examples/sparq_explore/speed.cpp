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
  double const t = best_seconds(10, [&] {
    ex.parallel_for(tasks, [&](std::size_t i) {
      using batch = xsimd::batch<float>;
      std::size_t const per = n / tasks;
      float const* q = p + i * per;
      batch s0(0.0f), s1(0.0f), s2(0.0f), s3(0.0f);  // four chains: the adds keep up with the loads
      for (std::size_t j = 0; j < per; j += 4 * batch::size) {
        s0 += batch::load_aligned(q + j);
        s1 += batch::load_aligned(q + j + batch::size);
        s2 += batch::load_aligned(q + j + 2 * batch::size);
        s3 += batch::load_aligned(q + j + 3 * batch::size);
      }
      sums[i] = xsimd::hadd((s0 + s1) + (s2 + s3));
    });
  });
  volatile float sink = sums[0];
  (void)sink;
  return static_cast<double>(n * sizeof(float)) / t * 1e-9;
}

}  // namespace sparq_explore
