// SPDX-License-Identifier: Apache-2.0
// The 4-bit int8_activations GEMV's interface (the kernels: simd/<arch>/gemv4.hpp): the arranged
// activations it reads, and the generic declarations (no kernel: has_gemv4 is false, so the
// driver keeps the chunk-image kernel).
#pragma once

#include <cstddef>
#include <cstdint>

#include <xsimd/xsimd.hpp>

#include <sparq/core/config.hpp>
#include <sparq/format/traits.hpp>

SPARQ_ARCH_NAMESPACE_BEGIN
namespace kernel {
namespace simd {

/// Activations for gemv4: row i's int8 codes with each 32-value block arranged [even | odd], each
/// block's sum (times the format's offset, or plain for formats with zero points), and the block
/// scales d.
struct gemv4_activations {
  std::int8_t const* q = nullptr;      // rows x kp
  std::int32_t const* totals = nullptr;  // rows x (kp / 32)
  float const* d = nullptr;            // rows x nd
  std::size_t kp = 0, nd = 0;
};

/// The offset that makes every image of the 4-bit format E non-negative (-min image).
template <class E>
constexpr int gemv4_offset() noexcept {
  int lo = 0;
  for (std::size_t c = 0; c < 16; ++c) lo = image_table_v<E>[c] < lo ? image_table_v<E>[c] : lo;
  return -lo;
}

constexpr bool has_gemv4(xsimd::generic const&) noexcept { return false; }
// A template, so that a compiler resolves the call only where it is instantiated (clang reports a
// deleted non-template at the template's definition, even in a discarded branch).
template <class = void>
void gemv4_arrange(std::int8_t const*, std::size_t, int, std::int8_t*, std::int32_t*, xsimd::generic const&) = delete;
template <std::size_t M, std::size_t R, class W>
void gemv4_rows(W const&, gemv4_activations const&, std::size_t, float*, xsimd::generic const&) = delete;

}  // namespace simd
}  // namespace kernel
SPARQ_ARCH_NAMESPACE_END
