// SPDX-License-Identifier: Apache-2.0
// The README's five-line example, compiled and run by ctest.
#include <cstdio>

#include <sparq/sparq.hpp>

int main() {
  float const w[4] = {0.7f, -1.3f, 5.0f, 100.0f};
  sparq::float4_e2m1fn q[4];
  sparq::convert_n(w, 4, q);  // nearest-even, saturating: 0.5 -1.5 4 6
  std::uint8_t packed[2];
  sparq::pack(q, 4, packed);  // two codes per byte, element 0 in the low nibble
  std::printf("%g %g %g %g -> %02x %02x\n", static_cast<float>(q[0]), static_cast<float>(q[1]),
              static_cast<float>(q[2]), static_cast<float>(q[3]), packed[0], packed[1]);
  return packed[0] == 0xB1 && packed[1] == 0x76 ? 0 : 1;
}
