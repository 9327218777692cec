// SPDX-License-Identifier: Apache-2.0
// Built with -fno-exceptions: a rejected argument prints sparq's message and aborts.
#include <vector>

#include <sparq/sparq.hpp>

int main() {
  std::vector<float> x(4, 1.0f);
  std::vector<sparq::float8_e4m3fn> q(3);
  sparq::convert(sparq::span<float const>(x), sparq::span<sparq::float8_e4m3fn>(q));  // sizes differ
  return 0;
}
