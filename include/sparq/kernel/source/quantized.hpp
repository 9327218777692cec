// SPDX-License-Identifier: Apache-2.0
// The weight source of quantized weights (block and element formats): an addressing policy
// (addressing.hpp: canonical, interleaved, offset table) composed with the dense chunk codec
// (codec.hpp) and the block multipliers. Models the WeightSource concept (concept.hpp).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include <sparq/core/bits.hpp>
#include <sparq/core/config.hpp>
#include <sparq/format/block.hpp>
#include <sparq/format/float8_e8m0fnu.hpp>
#include <sparq/format/traits.hpp>
#include <sparq/kernel/source/addressing.hpp>
#include <sparq/kernel/source/codec.hpp>
#include <sparq/kernel/source/concept.hpp>
#include <sparq/layout/quantized_matrix.hpp>
#include <sparq/simd/arch.hpp>

SPARQ_NAMESPACE_BEGIN
namespace detail {

/// The multiplier of each 8-bit block-scale code: decoded scale, MXINT8's 2^-6 code unit and
/// NVFP4's tensor scale folded in (one rounding for NVFP4: (s * t) instead of (x * s) * t).
template <class F>
std::array<float, 256> scale_table(float tensor_decode) noexcept {
  using S = typename F::scale_type;
  std::array<float, 256> t{};
  float const factor = exp2i(-mx_element<typename F::element>::code_factor_log2);
  for (std::uint32_t c = 0; c < 256; ++c) {
    float v = static_cast<float>(S::from_bits(c));
    if constexpr (std::is_same<S, float8_e8m0fnu>::value) v *= factor;
    if constexpr (F::has_tensor_scale) v *= tensor_decode;
    t[c] = v;
  }
  return t;
}

/// Codec: how a chunk's bytes read (codec.hpp: sparq's packing; a foreign layout's codec may
/// reorder its bytes into that packing first, `in_place` false).
template <class F, class Addressing,
          class Codec = dense_codec<typename chunk_policy<F>::element, chunk_policy<F>::unit>>
class quantized_source {
  using policy = chunk_policy<F>;
  static_assert(policy::fused, "quantized_source: block sizes of 16 or a multiple of 32 only");

 public:
  using format = F;
  using addressing = Addressing;
  using element = typename policy::element;
  using scale_type = typename matrix_layout<F>::scale_type;
  using codec = Codec;
  static constexpr std::size_t unit = policy::unit;
  static constexpr std::size_t chunk_bytes = codec::chunk_bytes;
  static constexpr bool has_zero = matrix_layout<F>::has_zero_point;
  /// Code values so large (E8M0: up to 2^127) that sums of them overflow before the scale.
  static constexpr bool prescale = max_finite_v<element> > 1e30f;
  static constexpr bool has_image = codec::has_image;
  static constexpr int image_factor = codec::image_factor;

  quantized_source(Addressing const& at, std::size_t rows, std::size_t cols, float tensor_decode) noexcept
      : at_(at), rows_(rows), cols_(cols) {
    chunks_ = (cols + unit - 1) / unit;
    chunks_per_block_ = policy::block ? policy::block_size / unit : (chunks_ == 0 ? 1 : chunks_);
    tail_ = Addressing::chunk_tail ? cols % unit : 0;
    if constexpr (sizeof(scale_type) == 1) table_ = scale_table<F>(tensor_decode);
    tensor_decode_ = tensor_decode;
  }

  std::size_t rows() const noexcept { return rows_; }
  std::size_t cols() const noexcept { return cols_; }
  std::size_t chunks() const noexcept { return chunks_; }
  std::size_t chunks_per_block() const noexcept { return chunks_per_block_; }
  std::size_t blocks() const noexcept { return (chunks_ + chunks_per_block_ - 1) / chunks_per_block_; }
  Addressing const& where() const noexcept { return at_; }
  /// The per-tensor decode scale (NVFP4's; 1 for other formats), folded into scale().
  float tensor_decode() const noexcept { return tensor_decode_; }

  float scale(std::size_t r, std::size_t b) const noexcept {
    scale_type const s = at_.scale_code(r, b);
    if constexpr (sizeof(scale_type) == 1) {
      return table_[s.bits()];
    } else {
      return static_cast<float>(s);
    }
  }
  int zero_code(std::size_t r, std::size_t b) const noexcept {
    if constexpr (has_zero) {
      return static_cast<int>(at_.zero_code(r, b));
    } else {
      (void)r, (void)b;
      return 0;
    }
  }
  float zero(std::size_t r, std::size_t b) const noexcept { return static_cast<float>(zero_code(r, b)); }

  /// The bytes of chunk c of row r in sparq's packing, codes past K cleared (chunk_bytes long).
  void chunk_copy(std::size_t r, std::size_t c, std::uint8_t* dst) const noexcept {
    std::uint8_t const* p = at_.chunk(r, c);
    if constexpr (Addressing::chunk_tail) {  // only rows with a tail have chunks to mask
      if (partial(c)) {
        codec::masked_chunk(p, at_.row_bytes_left(r, c), tail_, dst);
        return;
      }
    }
    codec::copy(p, dst);
  }

#if SPARQ_SIMD
  template <class Arch>
  SPARQ_INLINE void decode(std::size_t r, std::size_t c, kernel::simd::fbatch<Arch>* out) const noexcept {
    alignas(64) std::uint8_t buf[chunk_bytes];
    codec::template decode<Arch>(chunk_or_copy(r, c, buf), out);
  }
#endif

  template <class Arch>
  SPARQ_INLINE void image(std::size_t r, std::size_t c, int zero, std::int8_t* out) const noexcept {
    alignas(64) std::uint8_t buf[chunk_bytes];
    codec::template image<Arch>(chunk_or_copy(r, c, buf), zero, out);
  }

  /// The concept's packed chunks: chunk c of row r in place, or its copy with codes past K
  /// cleared; row r's chunk 0 in place, the bytes from one chunk to the next, and how many chunks
  /// of a row are read in place (all but a partial last one).
  using packed_element = element;
  std::uint8_t const* packed_chunk(std::size_t r, std::size_t c, std::uint8_t* buf) const noexcept {
    return chunk_or_copy(r, c, buf);
  }
  std::uint8_t const* packed_row(std::size_t r) const noexcept { return at_.chunk(r, 0); }
  static constexpr std::size_t packed_chunk_stride() noexcept { return Addressing::chunk_stride(); }
  std::size_t packed_whole_chunks() const noexcept {
    if (!codec::in_place) return 0;
    return Addressing::chunk_tail && tail_ != 0 ? chunks_ - 1 : chunks_;
  }

  float value(std::size_t r, std::size_t k) const noexcept {
    std::size_t const c = k / unit;
    if (partial(c) && k % unit >= tail_) return 0.0f;
    return codec::value(at_.chunk(r, c), k % unit);
  }

 private:
  /// Whether chunk c holds columns past K (only the last chunk of a row with a tail can).
  bool partial(std::size_t c) const noexcept {
    if constexpr (!Addressing::chunk_tail) {
      (void)c;  // whole, masked chunks (prepacked): no test in the kernels' inner loops
      return false;
    } else {
      return tail_ != 0 && c + 1 == chunks_;
    }
  }
  std::uint8_t const* chunk_or_copy(std::size_t r, std::size_t c, std::uint8_t* buf) const noexcept {
    if (codec::in_place && !partial(c)) return at_.chunk(r, c);
    chunk_copy(r, c, buf);
    return buf;
  }

  Addressing at_;
  std::size_t rows_, cols_;
  std::size_t chunks_ = 0, chunks_per_block_ = 1, tail_ = 0;
  std::array<float, 256> table_{};
  float tensor_decode_ = 1.0f;
};

/// Whether format F's codes have an int8 image in the chunked kernels (false for non-formats).
template <class F>
constexpr bool has_int8_image() noexcept {
  if constexpr (is_format_v<F> || is_block_format_v<F>) {
    return chunk_policy<F>::fused && dense_codec<typename chunk_policy<F>::element, chunk_policy<F>::unit>::has_image;
  } else {
    return false;
  }
}

/// The canonical quantized_matrix_view as a source.
template <class F>
quantized_source<F, canonical_addressing<F>> canonical_source(quantized_matrix_view<F> const& w) noexcept {
  return quantized_source<F, canonical_addressing<F>>(canonical_addressing<F>(w), w.rows(), w.cols(),
                                                      w.tensor_decode());
}

}  // namespace detail

/// Whether sparq::gemm runs format F in compute_mode::int8_activations (its codes have an int8
/// image: INT8, INT4, UINT4 with zero points, INT2/UINT2, MXINT8, FP4 E2M1, FP6 E2M3 and their
/// block formats).
template <class F>
inline constexpr bool supports_int8_activations_v = detail::has_int8_image<F>();

/// Whether sparq::prepack takes format F (block sizes of 16 or a multiple of 32; every named format).
template <class F>
inline constexpr bool supports_prepack_v = detail::chunk_policy<F>::fused;

SPARQ_NAMESPACE_END
