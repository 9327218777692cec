// SPDX-License-Identifier: Apache-2.0
// The epilogue of every GEMM driver: c(i, j) = f(alpha * dot + beta * c + bias) + residual, with
// the weight source's correction (dense-and-sparse outliers) added to the dot first.
#pragma once

#include <cmath>
#include <cstddef>

#include <sparq/core/activation.hpp>
#include <sparq/core/config.hpp>
#include <sparq/kernel/gemm/options.hpp>
#include <sparq/kernel/source/concept.hpp>
#include <sparq/layout/matrix_view.hpp>

SPARQ_ARCH_NAMESPACE_BEGIN
namespace arch_detail {

/// f(v) of gemm_options::activation, in float.
inline float apply_activation(activation f, float v) noexcept {
  switch (f) {
    case activation::relu: return v > 0.0f || v != v ? v : 0.0f;
    case activation::silu: return v / (1.0f + std::exp(-v));
    case activation::gelu_tanh: {
      constexpr float k = 0.7978845608028654f;  // sqrt(2 / pi)
      return 0.5f * v * (1.0f + std::tanh(k * (v + 0.044715f * v * v * v)));
    }
    case activation::gelu_erf: return 0.5f * v * (1.0f + std::erf(v * 0.7071067811865476f));
    default: return v;
  }
}

/// The epilogue of one output: c(i, j) = f(alpha * dot + beta * c(i, j) + bias[j]) + residual(i, j);
/// beta == 0 never reads C.
SPARQ_INLINE void store_result(matrix_view<float> const& c, std::size_t i, std::size_t j, float dot,
                               gemm_options const& o) noexcept {
  float v = o.alpha * dot;
  if (o.beta != 0.0f) v += o.beta * c(i, j);
  if (o.bias != nullptr) v += o.bias[j];
  if (o.activation != activation::none) v = apply_activation(o.activation, v);
  if (o.residual.data() != nullptr) v += o.residual(i, j);
  c(i, j) = v;
}

/// The epilogue every driver ends with: the source's correction (dense-and-sparse outliers,
/// a(i, k) giving the activation the driver multiplies with) added to the dot, then
/// store_result. Sources without one store the dot as it is.
template <class W, class Get>
struct epilogue {
  W const& w;
  Get get;
  matrix_view<float> c;
  gemm_options const& o;
  SPARQ_INLINE void operator()(std::size_t i, std::size_t j, float dot) const noexcept {
    if constexpr (has_correction<W>::value) dot += w.correction(j, i, get);
    store_result(c, i, j, dot, o);
  }
};
template <class W, class Get>
epilogue<W, Get> make_epilogue(W const& w, Get get, matrix_view<float> const& c, gemm_options const& o) noexcept {
  return epilogue<W, Get>{w, get, c, o};
}
/// a(i, k) of a float, bfloat16 or float16 view.
template <class TA>
auto activation_of(matrix_view<TA const> const& a) noexcept {
  return [a](std::size_t i, std::size_t k) { return static_cast<float>(a(i, k)); };
}

}  // namespace arch_detail
SPARQ_ARCH_NAMESPACE_END
