// SPDX-License-Identifier: Apache-2.0
// Dot products of one float row with a panel of rows, written once in xsimd for any arch.
#pragma once

#include <cstddef>

#include <xsimd/xsimd.hpp>

#include <sparq/core/config.hpp>

SPARQ_NAMESPACE_BEGIN
namespace kernel {
namespace simd {

/// out[t] = sum_k a[k] * panel[t * ld + k] for t < Rows: one accumulator batch per panel row, so
/// each load of a feeds Rows FMAs; the tail past the last whole batch is added in scalar order.
template <class A, std::size_t Rows>
void dot_panel(float const* a, float const* panel, std::size_t ld, std::size_t k, float* out) noexcept {
  using batch = xsimd::batch<float, A>;
  constexpr std::size_t w = batch::size;
  batch acc[Rows];
  for (std::size_t t = 0; t < Rows; ++t) acc[t] = batch(0.0f);
  std::size_t p = 0;
  for (; p + w <= k; p += w) {
    batch const x = batch::load_unaligned(a + p);
    for (std::size_t t = 0; t < Rows; ++t) acc[t] = xsimd::fma(x, batch::load_unaligned(panel + t * ld + p), acc[t]);
  }
  for (std::size_t t = 0; t < Rows; ++t) {
    float s = xsimd::hadd(acc[t]);
    for (std::size_t q = p; q < k; ++q) s += a[q] * panel[t * ld + q];
    out[t] = s;
  }
}

}  // namespace simd
}  // namespace kernel
SPARQ_NAMESPACE_END
