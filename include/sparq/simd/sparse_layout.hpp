// SPDX-License-Identifier: Apache-2.0
// The activation arrangement of the N:M GEMV, declared before the arch headers specialize it.
#pragma once

#include <cstddef>

#include <sparq/core/config.hpp>

SPARQ_ARCH_NAMESPACE_BEGIN
namespace kernel {
namespace simd {

/// How the N:M GEMV wants each float activation row arranged (arrange_nm, in place, once per
/// call) and where column p then lives (nm_position): the generic form keeps the column order.
template <class A, std::size_t N, std::size_t M, class = void>
struct nm_activations {
  static void arrange(float*, std::size_t) noexcept {}
  static std::size_t position(std::size_t p) noexcept { return p; }
};

}  // namespace simd
}  // namespace kernel
SPARQ_ARCH_NAMESPACE_END
