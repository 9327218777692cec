// SPDX-License-Identifier: Apache-2.0
// Compiled without arch flags: runs arch_checks.cpp's instantiation for every arch in the list
// that this CPU has (a skip, not a pass, for the others), and catches, as sparq::invalid_argument,
// what each arch's code throws: the error types are the same on both sides of the dispatch.
#include <cstdio>
#include <string>

#include <sparq/core/error.hpp>

#include "arch_checks.hpp"

namespace {

template <class Arch>
bool cpu_has(Arch) {
  auto const have = xsimd::available_architectures();
  std::string const name = Arch::name();
  if (name == "avx512bw") return have.avx512bw;
  if (name == "fma3+avx2" || name == "avx2") return have.avx2 && have.fma3_avx2;
  if (name == "sse2") return have.sse2;
  if (name == "neon64") return have.neon64;
  return false;
}

struct totals {
  int passed = 0, failed = 0, skipped = 0;
};

template <class Arch>
void run(totals& t) {
  if (!cpu_has(Arch{})) {
    std::printf("%-12s SKIPPED: this CPU lacks it\n", Arch::name());
    ++t.skipped;
    return;
  }
  arch_report report;
  arch_gemm_checks{}(Arch{}, report);
  for (auto const& f : report.failures) std::printf("%-12s FAILED: %s\n", Arch::name(), f.c_str());
  bool caught = false;
  try {
    arch_bad_call{}(Arch{});
  } catch (sparq::invalid_argument const& e) {
    caught = std::string(e.what()).find("argument 'C'") != std::string::npos;
  }
  if (!caught) std::printf("%-12s FAILED: its sparq::invalid_argument was not caught as such\n", Arch::name());
  bool const ok = report.failures.empty() && caught;
  std::printf("%-12s %s: %zu format x shape checks, error caught across the dispatch\n", Arch::name(),
              ok ? "passed" : "FAILED", report.passed);
  ++(ok ? t.passed : t.failed);
}

template <class... Archs>
void run_all(xsimd::arch_list<Archs...>, totals& t) {
  (run<Archs>(t), ...);
}

}  // namespace

int main() {
  totals t;
  run_all(sparq_dispatch_archs{}, t);
  std::printf("%d passed, %d failed, %d skipped\n", t.passed, t.failed, t.skipped);
  return t.failed == 0 ? 0 : 1;
}
