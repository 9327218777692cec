// SPDX-License-Identifier: Apache-2.0
// A weight source restricted to rows [first, first + rows) of another: how sparq::gemm_grouped
// splits each problem's weights into tasks. Forwards every member of the concept, the optional
// dot and sparse hooks included.
#pragma once

#include <cstddef>
#include <cstdint>
#include <type_traits>

#include <sparq/core/config.hpp>
#include <sparq/kernel/source/concept.hpp>
#include <sparq/simd/registry.hpp>

SPARQ_NAMESPACE_BEGIN
namespace detail {

template <class S, class = void>
struct packed_element_of {
  using type = void;
};
template <class S>
struct packed_element_of<S, void_t<typename S::packed_element>> {
  using type = typename S::packed_element;
};

template <class S>
class row_slice {
 public:
  static constexpr std::size_t unit = S::unit;
  static constexpr bool has_zero = S::has_zero;
  static constexpr bool prescale = S::prescale;
  static constexpr bool has_image = S::has_image;
  static constexpr int image_factor = S::image_factor;
  using packed_element = typename packed_element_of<S>::type;

  row_slice(S const& s, std::size_t first, std::size_t rows) noexcept : s_(s), first_(first), rows_(rows) {}

  std::size_t rows() const noexcept { return rows_; }
  std::size_t cols() const noexcept { return s_.cols(); }
  std::size_t chunks() const noexcept { return s_.chunks(); }
  std::size_t chunks_per_block() const noexcept { return s_.chunks_per_block(); }
  float scale(std::size_t r, std::size_t b) const noexcept { return s_.scale(first_ + r, b); }
  float zero(std::size_t r, std::size_t b) const noexcept { return s_.zero(first_ + r, b); }
  float value(std::size_t r, std::size_t k) const noexcept { return s_.value(first_ + r, k); }
  template <class T = S, std::enable_if_t<T::has_image, int> = 0>
  int zero_code(std::size_t r, std::size_t b) const noexcept {
    return s_.zero_code(first_ + r, b);
  }
#if SPARQ_SIMD
  template <class Arch>
  SPARQ_INLINE void decode(std::size_t r, std::size_t c, kernel::simd::fbatch<Arch>* out) const noexcept {
    s_.template decode<Arch>(first_ + r, c, out);
  }
  template <class Arch, std::size_t M, class T = S,
            std::enable_if_t<has_source_dot<T, Arch, kernel::simd::fbatch<Arch>>::value, int> = 0>
  SPARQ_INLINE void dot(std::size_t r, std::size_t c, float const* a, std::size_t lda,
                        kernel::simd::fbatch<Arch>* sums) const noexcept {
    s_.template dot<Arch, M>(first_ + r, c, a, lda, sums);
  }
#endif
  template <class Arch>
  SPARQ_INLINE void image(std::size_t r, std::size_t c, int zero, std::int8_t* out) const noexcept {
    s_.template image<Arch>(first_ + r, c, zero, out);
  }

  template <class T = S, std::enable_if_t<has_packed_chunk<T>::value, int> = 0>
  std::uint8_t const* packed_chunk(std::size_t r, std::size_t c, std::uint8_t* buf) const noexcept {
    return s_.packed_chunk(first_ + r, c, buf);
  }
  template <class T = S, std::enable_if_t<has_packed_chunk<T>::value, int> = 0>
  std::uint8_t const* packed_row(std::size_t r) const noexcept {
    return s_.packed_row(first_ + r);
  }
  template <class T = S, std::enable_if_t<has_packed_chunk<T>::value, int> = 0>
  static constexpr std::size_t packed_chunk_stride() noexcept {
    return T::packed_chunk_stride();
  }
  template <class T = S, std::enable_if_t<has_packed_chunk<T>::value, int> = 0>
  std::size_t packed_whole_chunks() const noexcept {
    return s_.packed_whole_chunks();
  }

  // The sparse layouts' optional members, forwarded where S has them.
  template <class T = S, std::enable_if_t<has_activation_cols<T>::value, int> = 0>
  std::size_t activation_cols() const noexcept {
    return s_.activation_cols();
  }
  template <class Arch, class T = S, std::enable_if_t<has_arrange_activations<T, Arch>::value, int> = 0>
  void arrange_activations(float* row, std::size_t cols) const noexcept {
    s_.template arrange_activations<Arch>(row, cols);
  }
  template <class Arch, std::size_t M, std::size_t R, class T = S, std::enable_if_t<has_row_dots<T, Arch>::value, int> = 0>
  void row_dots(float const* a, std::size_t lda, std::size_t r, float* dots) const noexcept {
    s_.template row_dots<Arch, M, R>(a, lda, first_ + r, dots);
  }
  template <class Fn, class T = S, std::enable_if_t<has_kept_entries<T>::value, int> = 0>
  void for_each_kept(std::size_t r, Fn&& fn) const {
    s_.for_each_kept(first_ + r, fn);
  }
  template <class T = S, std::enable_if_t<has_kept_entries<T>::value, int> = 0>
  bool sparse_gemm() const noexcept {
    return s_.sparse_gemm();
  }
  template <class Get, class T = S, std::enable_if_t<has_correction<T>::value, int> = 0>
  float correction(std::size_t r, std::size_t i, Get const& a) const noexcept {
    return s_.correction(first_ + r, i, a);
  }

 private:
  S const& s_;
  std::size_t first_, rows_;
};

}  // namespace detail
SPARQ_NAMESPACE_END
