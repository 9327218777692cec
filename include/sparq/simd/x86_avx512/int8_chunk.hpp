// SPDX-License-Identifier: Apache-2.0
// AVX-512 int8_activations blocks: the x86 images (they write bytes) and the 256-bit integer dot
// widened to a 16-lane batch (upper lanes zero).
#pragma once

#include <immintrin.h>

#include <cstddef>
#include <cstdint>
#include <type_traits>

#include <xsimd/xsimd.hpp>

#include <sparq/core/config.hpp>
#include <sparq/simd/lanes.hpp>
#include <sparq/simd/x86_avx2/int8_chunk.hpp>

SPARQ_ARCH_NAMESPACE_BEGIN
namespace kernel {
namespace simd {

template <class A, class E, std::size_t U, std::enable_if_t<x86::chunk_image<E>::any, int> = 0>
SPARQ_INLINE void image_chunk(std::uint8_t const* p, int zero, std::int8_t* out, xsimd::avx512bw const&) noexcept {
  x86::image<E, U>(p, zero, out);
}

template <class A, std::size_t U>
SPARQ_INLINE fbatch<A> int8_dot(std::int8_t const* w, std::int8_t const* q, xsimd::avx512bw const&) noexcept {
  __m256i const s = U == 32 ? x86::dot32(w, q) : _mm256_inserti128_si256(_mm256_setzero_si256(), x86::dot16(w, q), 0);
  return _mm512_cvtepi32_ps(_mm512_inserti64x4(_mm512_setzero_si512(), s, 0));
}

}  // namespace simd
}  // namespace kernel
SPARQ_ARCH_NAMESPACE_END
