// SPDX-License-Identifier: Apache-2.0
// Compiled once per arch by sparq_add_arch_sources, with SPARQ_TARGET_ARCH set to that arch.
#include "gemv_kernel.hpp"

#include <sparq/kernel/gemm.hpp>

template <class Arch>
char const* mxfp4_gemv::operator()(Arch, std::uint8_t const* codes, std::uint8_t const* scales, float const* x,
                                   float* y, std::size_t n, std::size_t k) const {
  using scale = sparq::mxfp4::scale_type;
  sparq::quantized_matrix_view<sparq::mxfp4> const w(codes, reinterpret_cast<scale const*>(scales), nullptr, n, k);
  sparq::gemm<Arch>(sparq::matrix_view<float const>(x, 1, k), w, sparq::matrix_view<float>(y, 1, n));
  return Arch::name();
}

template char const* mxfp4_gemv::operator()<SPARQ_TARGET_ARCH>(SPARQ_TARGET_ARCH, std::uint8_t const*,
                                                              std::uint8_t const*, float const*, float*, std::size_t,
                                                              std::size_t) const;
