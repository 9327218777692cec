// SPDX-License-Identifier: Apache-2.0
// The weight source of dense-and-sparse weights: the dense part's own source (quantized.hpp), and
// the outliers as the epilogue's correction, so the product is one pass over C: every driver
// adds sum over row r's outliers of value * a(i, column) to the dot before alpha, beta, bias and
// the activation function.
#pragma once

#include <cstddef>
#include <cstdint>

#include <sparq/core/config.hpp>
#include <sparq/kernel/source/quantized.hpp>
#include <sparq/layout/sparse/dense_and_sparse.hpp>

SPARQ_NAMESPACE_BEGIN
namespace detail {

template <class F, class O>
class dense_and_sparse_source : public quantized_source<F, canonical_addressing<F>> {
  static_assert(chunk_policy<F>::fused, "sparq::dense_and_sparse: block sizes of 16 or a multiple of 32 only");
  using base = quantized_source<F, canonical_addressing<F>>;

 public:
  explicit dense_and_sparse_source(dense_and_sparse_view<F, O> const& s) noexcept
      : base(canonical_source(s.dense())), s_(s) {}

  /// sum over row r's outliers of value * a(i, column).
  template <class Get>
  SPARQ_INLINE float correction(std::size_t r, std::size_t i, Get const& a) const noexcept {
    float sum = 0.0f;
    std::uint64_t const end = s_.row_ptr()[r + 1];
    for (std::uint64_t j = s_.row_ptr()[r]; j < end; ++j) {
      sum += static_cast<float>(s_.values()[j]) * a(i, s_.columns()[j]);
    }
    return sum;
  }

 private:
  dense_and_sparse_view<F, O> s_;
};

}  // namespace detail

template <class F, class O>
detail::dense_and_sparse_source<F, O> make_weight_source(dense_and_sparse_view<F, O> const& s) noexcept {
  return detail::dense_and_sparse_source<F, O>(s);
}
template <class F, class O>
detail::dense_and_sparse_source<F, O> make_weight_source(dense_and_sparse<F, O> const& s) noexcept {
  return detail::dense_and_sparse_source<F, O>(s.view());
}

SPARQ_NAMESPACE_END
