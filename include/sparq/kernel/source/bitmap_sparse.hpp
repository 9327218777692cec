// SPDX-License-Identifier: Apache-2.0
// The weight source of bitmap sparse weights. The kept values (one 1 x total row of any value
// format) are read through the format's own source. Dense chunks of 32 columns (decode / image)
// serve the panel GEMM and the int8_activations driver; row_dots runs the GEMV over the masks a
// tile of 64 columns at a time (simd bitmap_compress) or, for sparse rows where the arch gathers,
// over the kept columns' indices (simd bitmap_columns); for_each_kept runs the sparse GEMM.
#pragma once

#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <vector>

#include <sparq/core/bits.hpp>
#include <sparq/core/config.hpp>
#include <sparq/format/traits.hpp>
#include <sparq/kernel/source/concept.hpp>
#include <sparq/kernel/source/nm_sparse.hpp>
#include <sparq/layout/sparse/bitmap.hpp>
#include <sparq/simd/arch.hpp>
#include <sparq/simd/arch_traits.hpp>
#include <sparq/simd/registry.hpp>

SPARQ_NAMESPACE_BEGIN
namespace detail {

template <class V>
class bitmap_source {
  using view_type = bitmap_sparse_matrix_view<V>;
  using info = values_of<V>;
  using VS = typename kept_values_source<V>::type;
  static constexpr bool block = info::block;

 public:
  static constexpr std::size_t unit = 32;
  static constexpr bool has_zero = false, prescale = false;
  static constexpr bool has_image = !block && VS::has_image;
  static constexpr int image_factor = has_image ? VS::image_factor : 0;

  explicit bitmap_source(view_type const& s) noexcept : s_(s), vs_(kept_values_source<V>::make(s.values())) {
    chunks_ = (s.cols() + unit - 1) / unit;
    if constexpr (!block) scale_ = s.values().cols() != 0 ? vs_.scale(0, 0) : 1.0f;
  }

  std::size_t rows() const noexcept { return s_.rows(); }
  std::size_t cols() const noexcept { return s_.cols(); }
  std::size_t chunks() const noexcept { return chunks_; }
  std::size_t chunks_per_block() const noexcept { return chunks_ == 0 ? 1 : chunks_; }
  /// Block formats are scaled value by value (their blocks run along the kept values).
  float scale(std::size_t, std::size_t) const noexcept { return scale_; }
  float zero(std::size_t, std::size_t) const noexcept { return 0.0f; }
  int zero_code(std::size_t, std::size_t) const noexcept { return 0; }
  std::size_t activation_cols() const noexcept { return s_.tiles() * 64; }
  /// The sparse GEMM for M > 4 below half density (values and pads over rows x cols).
  bool sparse_gemm() const noexcept { return 2 * s_.offsets()[s_.rows()] <= s_.rows() * s_.cols(); }

  /// Column k as decode gives it (before scale()).
  float value(std::size_t r, std::size_t k) const noexcept {
    std::uint64_t const m = s_.mask_row(r)[k / 64];
    if (((m >> (k % 64)) & 1u) == 0) return 0.0f;
    return kept(first_of(r, k / 64) + static_cast<std::size_t>(popcount64(m & ((std::uint64_t{1} << (k % 64)) - 1))));
  }

  template <class Fn>
  SPARQ_INLINE void for_each_kept(std::size_t r, Fn&& fn) const {
    std::size_t j = static_cast<std::size_t>(s_.offsets()[r]);
    std::uint64_t const* mask = s_.mask_row(r);
    for (std::size_t t = 0; t < s_.tiles(); ++t) {
      for (std::uint64_t m = mask[t]; m != 0; m &= m - 1) fn(t * 64 + lowest_bit64(m), kept(j++) * scale_);
    }
  }

#if SPARQ_SIMD
  template <class Arch>
  SPARQ_INLINE void decode(std::size_t r, std::size_t c, kernel::simd::fbatch<Arch>* out) const noexcept {
    using batch = kernel::simd::fbatch<Arch>;
    alignas(64) float dense[unit] = {};
    std::size_t j = first_of_chunk(r, c);
    for (std::uint32_t m = chunk_mask(r, c); m != 0; m &= m - 1) dense[lowest_bit64(m)] = kept(j++);
    for (std::size_t x = 0; x < unit / batch::size; ++x) out[x] = batch::load_aligned(dense + x * batch::size);
  }

  template <class Arch, std::size_t MR, std::size_t R>
  void row_dots(float const* a, std::size_t lda, std::size_t r, float* dots) const noexcept {
    using traits = kernel::simd::arch_traits<Arch>;
    using kernel_arch = typename traits::bitmap_arch;
    for (std::size_t rr = 0; rr < R; ++rr) {
      if constexpr (traits::bitmap_gather) {
        if (gathers(r + rr, Arch{})) {
          row_dot_gathered<Arch, kernel_arch, MR>(r + rr, a, lda, dots + rr * MR);
          continue;
        }
      }
      row_dot<kernel_arch, MR>(r + rr, a, lda, dots + rr * MR);
    }
  }
#endif

  template <class Arch>
  SPARQ_INLINE void image(std::size_t r, std::size_t c, int zero, std::int8_t* out) const noexcept {
    using E = typename info::element;
    for (std::size_t u = 0; u < unit; ++u) out[u] = 0;
    std::size_t j = first_of_chunk(r, c);
    for (std::uint32_t m = chunk_mask(r, c); m != 0; m &= m - 1) {
      out[lowest_bit64(m)] = static_cast<std::int8_t>(
          image_table_v<E>[unpack_code<E>(s_.values().codes(), j++).bits()] - zero);
    }
  }

 private:
  /// Kept value j (of the whole values row) as a float: block formats scaled and zero-shifted.
  float kept(std::size_t j) const noexcept {
    if constexpr (block) {
      std::size_t const b = j / info::block_size;
      return (vs_.value(0, j) - vs_.zero(0, b)) * vs_.scale(0, b);
    } else {
      return vs_.value(0, j);
    }
  }
  std::size_t first_of(std::size_t r, std::size_t tile) const noexcept {
    std::size_t j = static_cast<std::size_t>(s_.offsets()[r]);
    for (std::size_t t = 0; t < tile; ++t) j += static_cast<std::size_t>(popcount64(s_.mask_row(r)[t]));
    return j;
  }
  std::uint32_t chunk_mask(std::size_t r, std::size_t c) const noexcept {
    return static_cast<std::uint32_t>(s_.mask_row(r)[c / 2] >> (32 * (c % 2)));
  }
  std::size_t first_of_chunk(std::size_t r, std::size_t c) const noexcept {
    std::size_t j = first_of(r, c / 2);
    if (c % 2) j += static_cast<std::size_t>(popcount64(s_.mask_row(r)[c / 2] & 0xFFFFFFFFu));
    return j;
  }

#if SPARQ_SIMD
  /// Row r's kept values as floats: the values themselves (float) or decoded into a per-thread
  /// buffer (formats; block formats scaled).
  template <class Arch>
  float const* row_values(std::size_t r) const noexcept {
    std::size_t const first = static_cast<std::size_t>(s_.offsets()[r]);
    if constexpr (std::is_same<V, float>::value) {
      return s_.values().data() + first;
    } else {
      using batch = kernel::simd::fbatch<Arch>;
      constexpr std::size_t vu = VS::unit;
      std::size_t const last = static_cast<std::size_t>(s_.offsets()[r + 1]);
      if (last == first) return nullptr;
      static thread_local std::vector<float> buf;
      std::size_t const c0 = first / vu, c1 = (last + vu - 1) / vu;
      if (buf.size() < (c1 - c0) * vu) buf.resize((c1 - c0) * vu);
      for (std::size_t c = c0; c < c1; ++c) {
        batch v[vu / batch::size];
        vs_.template decode<Arch>(0, c, v);
        if constexpr (block) {
          std::size_t const b = c / vs_.chunks_per_block();
          batch const z(vs_.zero(0, b)), sc(vs_.scale(0, b));
          for (std::size_t x = 0; x < vu / batch::size; ++x) v[x] = (v[x] - z) * sc;
        }
        for (std::size_t x = 0; x < vu / batch::size; ++x) v[x].store_unaligned(buf.data() + (c - c0) * vu + x * batch::size);
      }
      return buf.data() + (first - c0 * vu);
    }
  }

  /// Rows a GEMV reads ahead: each row is a short stream (K / 8 bytes of masks, its kept values)
  /// that the hardware prefetchers pick up too late when the weights come from memory.
  static constexpr std::size_t prefetch_rows = 2;
  void prefetch_row(std::size_t r) const noexcept {
    if (r >= s_.rows()) return;
    char const* m = reinterpret_cast<char const*>(s_.mask_row(r));
    for (std::size_t b = 0; b < s_.tiles() * 8; b += 64) SPARQ_PREFETCH(m + b);
    std::size_t const first = static_cast<std::size_t>(s_.offsets()[r]), last = static_cast<std::size_t>(s_.offsets()[r + 1]);
    char const* v = info::data(s_.values()) + first * info::bits / 8;
    for (std::size_t b = 0; b < (last - first) * info::bits / 8; b += 64) SPARQ_PREFETCH(v + b);
  }

  /// Whether row r's GEMV gathers by column: below 40 % density (the compress costs per column,
  /// the gather per kept value; they cross near half density), where the arch can.
  template <class Arch>
  bool gathers(std::size_t r, Arch const&) const noexcept {
    std::size_t const kept = static_cast<std::size_t>(s_.offsets()[r + 1] - s_.offsets()[r]);
    return 5 * kept < 2 * s_.tiles() * 64 && kernel::simd::bitmap_columns_available(s_.tiles(), Arch{});
  }

  /// The row's kept columns as 16-bit indices (simd bitmap_columns), then per row of A one
  /// gather of activations per 16 kept values (simd bitmap_gather_dots).
  template <class Arch, class ValuesArch, std::size_t MR>
  SPARQ_INLINE void row_dot_gathered(std::size_t r, float const* a, std::size_t lda, float* out) const noexcept {
    static thread_local std::vector<std::uint16_t> columns;
    if (columns.size() < s_.tiles() * 64 + 32) columns.resize(s_.tiles() * 64 + 32);
    float const* vals = row_values<ValuesArch>(r);
    prefetch_row(r + prefetch_rows);
    std::uint16_t const* end = kernel::simd::bitmap_columns(s_.mask_row(r), s_.tiles(), columns.data(), Arch{});
    std::size_t const n = static_cast<std::size_t>(end - columns.data());
    kernel::simd::bitmap_gather_dots<MR>(columns.data(), vals, n, a, lda, out, Arch{});
    for (std::size_t i = 0; i < MR; ++i) out[i] *= scale_;
  }

  /// Per row of A: the activations of the row's kept columns compressed into a per-thread
  /// buffer a tile at a time (simd bitmap_compress), then one dense dot with the kept values, so
  /// the multiplies scale with the kept entries and only the compress with the columns.
  template <class Arch, std::size_t MR>
  SPARQ_INLINE void row_dot(std::size_t r, float const* a, std::size_t lda, float* out) const noexcept {
    using batch = kernel::simd::fbatch<Arch>;
    constexpr std::size_t w = batch::size;
    std::size_t const span = s_.tiles() * 64 + 16;
    static thread_local std::vector<float> stage_buf;
    if (stage_buf.size() < span) stage_buf.resize(span);
    float* const stage = stage_buf.data();
    float const* vals = row_values<Arch>(r);
    std::uint64_t const* mask = s_.mask_row(r);
    prefetch_row(r + prefetch_rows);
    for (std::size_t i = 0; i < MR; ++i) {
      float* end = stage;
      for (std::size_t t = 0; t < s_.tiles(); ++t) {
        end = kernel::simd::bitmap_compress<Arch>(mask[t], a + i * lda + t * 64, end, Arch{});
      }
      std::size_t const n = static_cast<std::size_t>(end - stage);
      batch acc0(0.0f), acc1(0.0f);
      std::size_t j = 0;
      for (; j + 2 * w <= n; j += 2 * w) {
        acc0 = xsimd::fma(batch::load_unaligned(stage + j), batch::load_unaligned(vals + j), acc0);
        acc1 = xsimd::fma(batch::load_unaligned(stage + j + w), batch::load_unaligned(vals + j + w), acc1);
      }
      if (j + w <= n) {
        acc0 = xsimd::fma(batch::load_unaligned(stage + j), batch::load_unaligned(vals + j), acc0);
        j += w;
      }
      float tail = 0.0f;
      for (; j < n; ++j) tail += stage[j] * vals[j];
      out[i] = (xsimd::hadd(acc0 + acc1) + tail) * scale_;
    }
  }
#endif

  view_type s_;
  VS vs_;
  std::size_t chunks_ = 0;
  float scale_ = 1.0f;
};

}  // namespace detail

template <class V>
detail::bitmap_source<V> make_weight_source(bitmap_sparse_matrix_view<V> const& s) noexcept {
  return detail::bitmap_source<V>(s);
}
template <class V>
detail::bitmap_source<V> make_weight_source(bitmap_sparse_matrix<V> const& s) noexcept {
  return detail::bitmap_source<V>(s.view());
}

SPARQ_NAMESPACE_END
