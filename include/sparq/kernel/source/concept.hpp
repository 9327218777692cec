// SPDX-License-Identifier: Apache-2.0
// The weight-source concept: everything the GEMM drivers ask of W. Every layout (dense quantized
// in the canonical or a prepacked order, plain float weights, and sparse or foreign layouts) is
// one source; the drivers (kernel/gemm/) know nothing else of formats or layouts.
//
// A source is composed of two policies (kernel/source/quantized.hpp shows it):
//   addressing   where row r's chunk c, its block's scale code and zero point live
//                (canonical rows, rows interleaved for SIMD, an offset table per row)
//   chunk codec  what a chunk's bytes mean: decode to float lanes, the int8 image
//
// concept WeightSource {
//   static constexpr std::size_t unit;        // values per chunk: 16 or 32
//   static constexpr bool has_zero;           // blocks carry a zero point (subtracted before scaling)
//   static constexpr bool prescale;           // values so large (E8M0 codes) that each is scaled
//                                             // before it is summed
//   static constexpr bool has_image;          // int8_activations mode: image() and zero_code() exist
//   static constexpr int image_factor;        // image = value * image_factor (zero-point: code)
//   std::size_t rows() const;                 // N
//   std::size_t cols() const;                 // K
//   std::size_t chunks() const;               // ceil(K / unit)
//   std::size_t chunks_per_block() const;     // chunks sharing one scale (>= 1)
//   float scale(std::size_t r, std::size_t b) const;   // block b's multiplier (NaN for a NaN scale)
//   float zero(std::size_t r, std::size_t b) const;    // block b's zero point as a value (0 without)
//   template <class Arch>                     // the chunk's unit values, unscaled, zero point not
//   void decode(std::size_t r, std::size_t c,  // subtracted; values past K are 0
//               kernel::simd::fbatch<Arch>* out) const;
//   float value(std::size_t r, std::size_t k) const;    // scalar: the same value of column k
//   // with has_image:
//   int zero_code(std::size_t r, std::size_t b) const;  // the zero point as an integer code
//   template <class Arch>                     // the chunk's unit int8 images minus zero (0 past K);
//   void image(std::size_t r, std::size_t c,   // Arch may be no_simd_arch
//              int zero, std::int8_t* out) const;
//   // optional, for sources that skip zeros: the chunk's dot as decode + multiply would give it
//   template <class Arch, std::size_t M>      // sums[i] += lanes whose sum is sum_u v(u) *
//   void dot(std::size_t r, std::size_t c,     //   a[i * lda + c * unit + u], v as chunk_values gives it
//            float const* a, std::size_t lda,  //   (zero point subtracted; prescale: scaled); `a` is
//            kernel::simd::fbatch<Arch>* sums) const;  // the rows' column 0
//   // optional, sparse layouts (kernel/source/nm_sparse.hpp, bitmap_sparse.hpp, dense_and_sparse.hpp):
//   template <class Arch, std::size_t M, std::size_t R>   // the GEMV of R rows from r (M <= 4):
//   void row_dots(float const* a, std::size_t lda,        //   dots[rr * M + i] = row r + rr . a[i]
//                 std::size_t r, float* dots) const;      //   (a: float rows, activation_cols() long)
//   std::size_t activation_cols() const;      // zero-padded columns row_dots reads (>= chunks * unit)
//   template <class Arch>                     // each float row of A put in the order row_dots
//   void arrange_activations(float* row, std::size_t cols) const;  //   reads (once per call)
//   template <class Fn>                       // fn(k, w) for each kept entry of row r, w its value
//   void for_each_kept(std::size_t r, Fn&& fn) const;      //   (scaled): the sparse GEMM (M > 4)
//   bool sparse_gemm() const;                 // whether M > 4 takes the sparse GEMM
//   template <class Get>                      // added to each dot before the epilogue (outliers):
//   float correction(std::size_t r, std::size_t i, Get const& a) const;  // a(i, k) is A's value
// }
//
// is_weight_source_v<S> checks the required members (detection idiom); check_weight_source<S>()
// turns a miss into a static_assert that names it; with C++20 the same is sparq::weight_source.
#pragma once

#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>

#include <sparq/core/config.hpp>

SPARQ_NAMESPACE_BEGIN
namespace detail {

template <class...>
using void_t = void;

template <class S, class = void>
struct has_shape_members : std::false_type {};
template <class S>
struct has_shape_members<S, void_t<decltype(std::declval<std::size_t&>() = std::declval<S const&>().rows()),
                                   decltype(std::declval<std::size_t&>() = std::declval<S const&>().cols()),
                                   decltype(std::declval<std::size_t&>() = std::declval<S const&>().chunks()),
                                   decltype(std::declval<std::size_t&>() = std::declval<S const&>().chunks_per_block())>>
    : std::true_type {};

template <class S, class = void>
struct has_block_members : std::false_type {};
template <class S>
struct has_block_members<S, void_t<decltype(std::declval<float&>() = std::declval<S const&>().scale(0, 0)),
                                   decltype(std::declval<float&>() = std::declval<S const&>().zero(0, 0)),
                                   decltype(std::declval<float&>() = std::declval<S const&>().value(0, 0))>>
    : std::true_type {};

template <class S, class = void>
struct has_constants : std::false_type {};
template <class S>
struct has_constants<S, void_t<decltype(std::size_t{S::unit}), decltype(bool{S::has_zero}), decltype(bool{S::prescale}),
                               decltype(bool{S::has_image}), decltype(int{S::image_factor})>> : std::true_type {};

template <class S, class = void>
struct has_image_members : std::false_type {};
template <class S>
struct has_image_members<S, void_t<decltype(std::declval<int&>() = std::declval<S const&>().zero_code(0, 0))>>
    : std::true_type {};

}  // namespace detail

/// Whether S has the members every driver calls (decode/image/dot are templates on the arch and
/// are checked where a driver instantiates them).
template <class S>
inline constexpr bool is_weight_source_v = detail::has_constants<S>::value && detail::has_shape_members<S>::value &&
                                           detail::has_block_members<S>::value;

/// Instantiated by every driver: a clear error naming what a source lacks.
template <class S>
constexpr bool check_weight_source() noexcept {
  static_assert(detail::has_constants<S>::value,
                "weight source: needs static constexpr unit, has_zero, prescale, has_image, image_factor");
  static_assert(detail::has_shape_members<S>::value,
                "weight source: needs rows(), cols(), chunks(), chunks_per_block() const");
  static_assert(detail::has_block_members<S>::value,
                "weight source: needs float scale(r, b), zero(r, b), value(r, k) const");
  if constexpr (detail::has_constants<S>::value) {
    static_assert(!S::has_image || detail::has_image_members<S>::value,
                  "weight source: has_image needs int zero_code(r, b) const and image<Arch>(r, c, zero, out)");
    static_assert(S::unit == 16 || S::unit == 32, "weight source: unit must be 16 or 32");
  }
  return true;
}

namespace detail {
/// Whether S has the optional dot<Arch, M> (sources that skip zeros).
template <class S, class Arch, class Batch, class = void>
struct has_source_dot : std::false_type {};
template <class S, class Arch, class Batch>
struct has_source_dot<S, Arch, Batch,
                      void_t<decltype(std::declval<S const&>().template dot<Arch, 1>(
                          std::size_t{}, std::size_t{}, std::declval<float const*>(), std::size_t{},
                          std::declval<Batch*>()))>> : std::true_type {};
}  // namespace detail

namespace detail {

/// Whether S has row_dots<Arch, M, R> (sparse GEMV).
template <class S, class Arch, class = void>
struct has_row_dots : std::false_type {};
template <class S, class Arch>
struct has_row_dots<S, Arch,
                    void_t<decltype(std::declval<S const&>().template row_dots<Arch, 1, 1>(
                        std::declval<float const*>(), std::size_t{}, std::size_t{}, std::declval<float*>()))>>
    : std::true_type {};

/// Whether S has for_each_kept and sparse_gemm() (sparse GEMM for M > 4).
struct kept_visitor {
  void operator()(std::size_t, float) const noexcept {}
};
template <class S, class = void>
struct has_kept_entries : std::false_type {};
template <class S>
struct has_kept_entries<S, void_t<decltype(std::declval<S const&>().for_each_kept(std::size_t{}, kept_visitor{})),
                                  decltype(bool{std::declval<S const&>().sparse_gemm()})>> : std::true_type {};

/// Whether S has correction(r, i, a) (dense-and-sparse outliers).
struct any_activation {
  float operator()(std::size_t, std::size_t) const noexcept { return 0.0f; }
};
template <class S, class = void>
struct has_correction : std::false_type {};
template <class S>
struct has_correction<S, void_t<decltype(std::declval<float&>() = std::declval<S const&>().correction(
                                             std::size_t{}, std::size_t{}, any_activation{}))>> : std::true_type {};

/// Whether S has arrange_activations<Arch>(row, cols) (the N:M GEMV's activation order).
template <class S, class Arch, class = void>
struct has_arrange_activations : std::false_type {};
template <class S, class Arch>
struct has_arrange_activations<S, Arch,
                               void_t<decltype(std::declval<S const&>().template arrange_activations<Arch>(
                                   std::declval<float*>(), std::size_t{}))>> : std::true_type {};

/// Optional: `packed_element` and `packed_chunk(r, c, buf)`, the raw codes of chunk c of row r in
/// the canonical packing (layout/packing.hpp; codes past K cleared, in buf when they must be),
/// with `packed_row(r)` (chunk 0 in place), `packed_chunk_stride()` (bytes from chunk c to c + 1)
/// and `packed_whole_chunks()` (chunks read in place), for kernels that decode packed codes in
/// registers (the 4-bit int8_activations GEMV).
template <class S, class = void>
struct has_packed_chunk : std::false_type {};
template <class S>
struct has_packed_chunk<S, void_t<typename S::packed_element,
                                  decltype(std::declval<S const&>().packed_chunk(std::size_t{}, std::size_t{},
                                                                                 static_cast<std::uint8_t*>(nullptr))),
                                  decltype(std::declval<S const&>().packed_row(std::size_t{})),
                                  decltype(std::declval<S const&>().packed_whole_chunks())>>
    : std::true_type {};

template <class S, class = void>
struct has_activation_cols : std::false_type {};
template <class S>
struct has_activation_cols<S, void_t<decltype(std::size_t{std::declval<S const&>().activation_cols()})>>
    : std::true_type {};

/// Columns of the float activation rows the exact drivers prepare for S (zero past K).
template <class S>
std::size_t activation_cols(S const& s) noexcept {
  if constexpr (has_activation_cols<S>::value) {
    return s.activation_cols();
  } else {
    return s.chunks() * S::unit;
  }
}

}  // namespace detail

#if defined(__cpp_concepts) && __cpp_concepts >= 201907L
/// C++20: the same check as a concept.
template <class S>
concept weight_source = is_weight_source_v<S>;
#endif

SPARQ_NAMESPACE_END
