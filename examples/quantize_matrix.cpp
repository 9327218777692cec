// SPDX-License-Identifier: Apache-2.0
// The README's quantization example, compiled and run by the tests.
#include <cstdio>
#include <random>
#include <vector>

#include <sparq/sparq.hpp>

int main() {
  std::size_t const n = 64, k = 512;
  std::vector<float> data(n * k);
  std::mt19937 g(1);
  std::normal_distribution<float> d(0.0f, 0.02f);
  for (auto& v : data) v = d(g);

  sparq::thread_pool pool(2);  // threads start here, once
  sparq::matrix_view<float const> w{data.data(), n, k};
  auto q = sparq::quantize<sparq::mxfp4>(w);
  auto s = sparq::quantize<sparq::nvfp4>(w, sparq::quantize_options{}.with_stochastic_rounding(42), pool);
  std::vector<float> back(n * k);
  sparq::dequantize(q, sparq::matrix_view<float>{back.data(), n, k});
  sparq::error_metrics e = sparq::compare(w, {back.data(), n, k});
  std::printf("mxfp4: %zu code bytes, %zu scale bytes, SNR %.2f dB; nvfp4 decode scale %g\n", q.code_bytes(),
              q.scale_bytes(), e.snr_db, static_cast<double>(s.tensor_decode()));
  return e.snr_db > 15.0 && e.snr_db < 22.0 ? 0 : 1;
}
