// SPDX-License-Identifier: Apache-2.0
// The boundary between the dispatching code and the per-arch translation units: a functor whose
// call operator is instantiated once per arch (gemv_kernel.cpp, built by sparq_add_arch_sources).
// Only plain pointers and sizes cross it.
#pragma once

#include <cstddef>
#include <cstdint>

#include "dispatch_example_sparq_archs.hpp"

struct mxfp4_gemv {
  /// y[N] = W[N x K] x[K] for MXFP4 weights given as raw codes (N x K/2 bytes) and E8M0 scales
  /// (N x K/32 bytes), K a multiple of 32. Returns the arch's name.
  template <class Arch>
  char const* operator()(Arch, std::uint8_t const* codes, std::uint8_t const* scales, float const* x, float* y,
                         std::size_t n, std::size_t k) const;
};

#define SPARQ_EXAMPLE_DECLARE(ARCH)                                                                        \
  extern template char const* mxfp4_gemv::operator()<ARCH>(ARCH, std::uint8_t const*, std::uint8_t const*, \
                                                           float const*, float*, std::size_t, std::size_t) const;
SPARQ_FOR_EACH_DISPATCH_ARCH(SPARQ_EXAMPLE_DECLARE)
#undef SPARQ_EXAMPLE_DECLARE
