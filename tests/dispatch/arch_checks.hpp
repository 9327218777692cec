// SPDX-License-Identifier: Apache-2.0
// The boundary between the dispatching test (main.cpp, no arch flags) and arch_checks.cpp, built
// once per arch by sparq_add_arch_sources. Only plain types and sparq's (arch-independent) types
// cross it.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "sparq_dispatch_tests_sparq_archs.hpp"

struct arch_report {
  std::size_t passed = 0;
  std::vector<std::string> failures;
};

/// Every format in every mode it supports, M = 1, 3 and 7 (GEMV and panel kernels), against the
/// reference; returns the arch's name.
struct arch_gemm_checks {
  template <class Arch>
  char const* operator()(Arch, arch_report& report) const;
};

/// sparq::gemm with a C of the wrong shape: throws sparq::invalid_argument from the arch's code.
struct arch_bad_call {
  template <class Arch>
  void operator()(Arch) const;
};

#define SPARQ_TEST_DECLARE(ARCH)                                                    \
  extern template char const* arch_gemm_checks::operator()<ARCH>(ARCH, arch_report&) const; \
  extern template void arch_bad_call::operator()<ARCH>(ARCH) const;
SPARQ_FOR_EACH_DISPATCH_ARCH(SPARQ_TEST_DECLARE)
#undef SPARQ_TEST_DECLARE
