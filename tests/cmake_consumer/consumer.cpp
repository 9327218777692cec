// SPDX-License-Identifier: Apache-2.0
// A downstream program: include the umbrella header, convert, check, exit 0 on success.
#include <cstdio>

#include <sparq/sparq.hpp>

int main() {
  float const x[3] = {1.5f, 500.0f, -0.3f};
  sparq::float8_e4m3fn q[3];
  sparq::convert_n(x, 3, q);
  bool const ok = q[0].bits() == 0x3C && q[1].bits() == 0x7E && static_cast<float>(q[2]) == -0.3125f;
  std::printf("sparq %d.%d.%d consumer: %s\n", SPARQ_VERSION_MAJOR, SPARQ_VERSION_MINOR,
              SPARQ_VERSION_PATCH, ok ? "ok" : "FAILED");
  return ok ? 0 : 1;
}
