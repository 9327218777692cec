// SPDX-License-Identifier: Apache-2.0
// cpu_has <feature>: exit status 0 when this CPU runs the named runtime-library arch (avx2,
// avx512bw, neon_dotprod), 1 otherwise. Compiled without arch flags; tests/run_if_cpu_has.cmake
// uses it to skip the tests of an instruction set the CPU lacks before their binary starts.
#include <cstdio>
#include <string>

#include <sparq/kernel/dispatch.hpp>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: cpu_has avx2|avx512bw|neon_dotprod\n");
    return 2;
  }
  std::string const want = argv[1];
  for (int a = 1; a < sparq::runtime::arch_count; ++a) {
    auto const arch = static_cast<sparq::runtime::arch>(a);
    if (want == sparq::runtime::arch_name(arch)) return sparq::runtime::cpu_runs(arch) ? 0 : 1;
  }
  std::fprintf(stderr, "cpu_has: unknown feature '%s'\n", want.c_str());
  return 2;
}
