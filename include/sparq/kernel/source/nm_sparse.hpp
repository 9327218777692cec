// SPDX-License-Identifier: Apache-2.0
// The weight source of N:M sparse weights. The kept values are a dense matrix (rows x
// kept_cols) of any value format, read through that format's own source (quantized.hpp, or
// plain.hpp for float values). Two faces:
//   nm_source     in columns (unit 32): decode / image scatter the kept values of 32 columns into
//                 dense lanes, for the panel GEMM and the int8_activations driver;
//   kept_source   in kept values (the value format's chunks and blocks), whose dot gathers the
//                 activations of each kept value (simd gather_nm): the GEMV reads the compressed
//                 bytes only. nm_source::row_dots runs the GEMV kernel over it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <type_traits>

#include <sparq/core/bits.hpp>
#include <sparq/core/config.hpp>
#include <sparq/kernel/source/concept.hpp>
#include <sparq/kernel/source/plain.hpp>
#include <sparq/kernel/source/quantized.hpp>
#include <sparq/layout/sparse/nm.hpp>
#include <sparq/simd/arch.hpp>
#include <sparq/simd/registry.hpp>
#if SPARQ_SIMD
#include <sparq/kernel/cpu/gemv.hpp>
#endif

SPARQ_NAMESPACE_BEGIN
namespace detail {

/// The source of a sparse layout's kept values: plain floats or the format's canonical source.
template <class V, bool Format = is_format_v<V> || is_block_format_v<V>>
struct kept_values_source {
  static_assert(chunk_policy<V>::fused, "sparq sparse layouts: block sizes of 16 or a multiple of 32 only");
  using type = quantized_source<V, canonical_addressing<V>>;
  static type make(quantized_matrix_view<V> const& v) noexcept { return canonical_source(v); }
};
template <class V>
struct kept_values_source<V, false> {
  using type = plain_source<float>;
  static type make(matrix_view<float const> const& v) noexcept { return type(v); }
};

/// The kept values of an N:M matrix as a source in kept-value coordinates: chunks, blocks and
/// scales of the values, and a dot that gathers each kept value's activation.
template <std::size_t N, std::size_t M, class VS>
class nm_kept_source {
 public:
  static constexpr std::size_t unit = VS::unit;
  static constexpr bool has_zero = VS::has_zero, prescale = VS::prescale, has_image = false;
  static constexpr int image_factor = 0;
  nm_kept_source(VS const& vs, std::uint8_t const* idx, std::size_t row_bytes, std::size_t kept) noexcept
      : vs_(vs), idx_(idx), row_bytes_(row_bytes), kept_(kept) {}
  std::size_t rows() const noexcept { return vs_.rows(); }
  std::size_t cols() const noexcept { return vs_.cols(); }
  std::size_t chunks() const noexcept { return vs_.chunks(); }
  std::size_t chunks_per_block() const noexcept { return vs_.chunks_per_block(); }
  float scale(std::size_t r, std::size_t b) const noexcept { return vs_.scale(r, b); }
  float zero(std::size_t r, std::size_t b) const noexcept { return vs_.zero(r, b); }
  float value(std::size_t r, std::size_t j) const noexcept { return vs_.value(r, j); }
#if SPARQ_SIMD
  template <class Arch>
  SPARQ_INLINE void decode(std::size_t r, std::size_t c, kernel::simd::fbatch<Arch>* out) const noexcept {
    vs_.template decode<Arch>(r, c, out);
  }
  /// sums[i] = lanes of sum_u v(c * unit + u) * a[i][column(c * unit + u)], v as chunk_values
  /// gives it (zero point subtracted, prescaled where the format prescales).
  template <class Arch, std::size_t MR>
  SPARQ_INLINE void dot(std::size_t r, std::size_t c, float const* a, std::size_t lda,
                        kernel::simd::fbatch<Arch>* sums) const noexcept {
    using batch = kernel::simd::fbatch<Arch>;
    constexpr std::size_t nb = unit / batch::size;
    batch v[nb];
    kernel::simd::chunk_values<Arch>(vs_, r, c, c / vs_.chunks_per_block(), v);
    std::uint8_t const* idx = idx_ + r * row_bytes_;
    if ((c + 1) * unit <= kept_) {
      SPARQ_UNROLL
      for (std::size_t i = 0; i < MR; ++i) {
        batch g[nb];
        kernel::simd::gather_nm_chunk<Arch, N, M, nb>(a + i * lda, idx, c * unit, g, Arch{});
        // Two independent chains (half the FMA latency on the row's critical path).
        batch p0 = v[0] * g[0], p1 = nb > 1 ? v[nb - 1] * g[nb - 1] : batch(0.0f);
        SPARQ_UNROLL
        for (std::size_t j = 1; j + 1 < nb; ++j) {
          if (j % 2) {
            p1 = xsimd::fma(v[j], g[j], p1);
          } else {
            p0 = xsimd::fma(v[j], g[j], p0);
          }
        }
        sums[i] += p0 + p1;
      }
      return;
    }
    // The row's last chunk, partly past kept_cols: fields read only where they exist.
    alignas(64) float lanes[unit];
    for (std::size_t i = 0; i < MR; ++i) {
      for (std::size_t u = 0; u < unit; ++u) {
        std::size_t const j = c * unit + u;
        lanes[u] = j < kept_ ? a[i * lda + kernel::simd::nm_activations<Arch, N, M>::position(
                                                  j / N * M + bit_field(idx, j, log2_of(M)))]
                             : 0.0f;
      }
      for (std::size_t j = 0; j < nb; ++j) sums[i] = xsimd::fma(v[j], batch::load_aligned(lanes + j * batch::size), sums[i]);
    }
  }
#endif

 private:
  VS const& vs_;
  std::uint8_t const* idx_;
  std::size_t row_bytes_, kept_;
};

template <std::size_t N, std::size_t M, class V>
class nm_source {
  using view_type = nm_sparse_matrix_view<N, M, V>;
  using VS = typename kept_values_source<V>::type;
  static constexpr std::size_t kept_unit = 32 * N / M;  // kept values per chunk of 32 columns

 public:
  static constexpr std::size_t unit = 32;
  static constexpr bool has_zero = VS::has_zero, prescale = VS::prescale, has_image = VS::has_image;
  static constexpr int image_factor = VS::image_factor;

  explicit nm_source(view_type const& s) noexcept : s_(s), vs_(kept_values_source<V>::make(s.values())) {
    chunks_ = (s.cols() + unit - 1) / unit;
    // A block of the values (per * VS::unit kept values) covers per * VS::unit * M / N columns.
    std::size_t const per = vs_.chunks_per_block();
    bool const one_block = per >= vs_.chunks();
    per_ = one_block || chunks_ == 0 ? (chunks_ == 0 ? 1 : chunks_) : per * VS::unit * M / N / unit;
  }

  std::size_t rows() const noexcept { return s_.rows(); }
  std::size_t cols() const noexcept { return s_.cols(); }
  std::size_t chunks() const noexcept { return chunks_; }
  std::size_t chunks_per_block() const noexcept { return per_; }
  float scale(std::size_t r, std::size_t b) const noexcept { return vs_.scale(r, b); }
  float zero(std::size_t r, std::size_t b) const noexcept { return vs_.zero(r, b); }
  int zero_code(std::size_t r, std::size_t b) const noexcept { return vs_.zero_code(r, b); }
  view_type const& layout() const noexcept { return s_; }
  /// Columns of the float activation rows row_dots reads (whole chunks of kept values).
  std::size_t activation_cols() const noexcept {
    std::size_t const span = VS::unit * M / N;
    std::size_t const need = (s_.kept_cols() + VS::unit - 1) / VS::unit * span, dense = chunks_ * unit;
    return need > dense ? need : dense;
  }

  /// Column k's value as decode gives it: the kept code value, else the block's zero point.
  float value(std::size_t r, std::size_t k) const noexcept {
    std::size_t const g = k / M;
    for (std::size_t j = g * N; j < g * N + N; ++j) {
      if (s_.index(r, j) == k % M) return vs_.value(r, j);
    }
    return has_zero ? vs_.zero(r, k / (per_ * unit)) : 0.0f;
  }

  /// fn(column, value) for row r's kept values before K, scaled (the sparse GEMM).
  template <class Fn>
  SPARQ_INLINE void for_each_kept(std::size_t r, Fn&& fn) const {
    std::size_t const per = vs_.chunks_per_block() * VS::unit;
    for (std::size_t j = 0; j < s_.kept_cols(); ++j) {
      std::size_t const col = s_.column(r, j);
      if (col >= s_.cols()) continue;
      std::size_t const b = j / per;
      fn(col, (vs_.value(r, j) - vs_.zero(r, b)) * vs_.scale(r, b));
    }
  }
  /// The sparse GEMM for M > 4 at a quarter density or less; the panel GEMM otherwise.
  bool sparse_gemm() const noexcept { return 4 * N <= M; }

#if SPARQ_SIMD
  template <class Arch>
  SPARQ_INLINE void decode(std::size_t r, std::size_t c, kernel::simd::fbatch<Arch>* out) const noexcept {
    using batch = kernel::simd::fbatch<Arch>;
    alignas(64) float kept[kept_unit + VS::unit];
    alignas(64) float dense[unit];
    float const fill = has_zero ? vs_.zero(r, c / per_) : 0.0f;
    for (std::size_t u = 0; u < unit; ++u) dense[u] = fill;
    kept_values(r, c, kept, [&](std::size_t vc, float* dst) {
      batch v[VS::unit / batch::size];
      vs_.template decode<Arch>(r, vc, v);
      for (std::size_t j = 0; j < VS::unit / batch::size; ++j) v[j].store_aligned(dst + j * batch::size);
    });
    scatter(r, c, kept, dense);
    for (std::size_t j = 0; j < unit / batch::size; ++j) out[j] = batch::load_aligned(dense + j * batch::size);
  }
  /// Each float activation row as the gather wants it (kernel::simd::nm_activations).
  template <class Arch>
  void arrange_activations(float* row, std::size_t cols) const noexcept {
    kernel::simd::nm_activations<Arch, N, M>::arrange(row, cols);
  }
  /// The GEMV of R rows from r over the kept values only (kernel/cpu/gemv.hpp with kept_source).
  template <class Arch, std::size_t MR, std::size_t R>
  void row_dots(float const* a, std::size_t lda, std::size_t r, float* dots) const noexcept {
    nm_kept_source<N, M, VS> const kept(vs_, s_.indices(), s_.index_row_bytes(), s_.kept_cols());
    // Rows per pass (measured, AVX2 on Zen 4): 4-bit values decode in more registers than 8 rows
    // leave; 16-bit and float values keep the driver's group.
    constexpr std::size_t G = values_of<V>::bits <= 8 && R > 2 ? 2 : R;
    for (std::size_t g = 0; g < R; g += G) kernel::simd::gemv_rows<Arch, MR, G>(kept, a, lda, r + g, dots + g * MR);
  }
#endif

  template <class Arch>
  SPARQ_INLINE void image(std::size_t r, std::size_t c, int zero, std::int8_t* out) const noexcept {
    alignas(64) std::int8_t kept[kept_unit + VS::unit];
    for (std::size_t u = 0; u < unit; ++u) out[u] = 0;  // a pruned column: its zero point, minus it
    kept_values(r, c, kept, [&](std::size_t vc, std::int8_t* dst) { vs_.template image<Arch>(r, vc, zero, dst); });
    scatter(r, c, kept, out);
  }

 private:
  /// kept[0 .. kept_unit) = the kept values of chunk c (through the values' chunks: get(vc, dst)
  /// writes VS::unit values of value chunk vc).
  template <class T, class Get>
  SPARQ_INLINE void kept_values(std::size_t r, std::size_t c, T* kept, Get&& get) const noexcept {
    (void)r;
    std::size_t const first = c * kept_unit, total = s_.kept_cols();
    alignas(64) T buf[VS::unit];
    for (std::size_t j = first; j < first + kept_unit && j < total;) {
      std::size_t const vc = j / VS::unit, from = j % VS::unit;
      get(vc, buf);
      std::size_t n = VS::unit - from;
      if (n > first + kept_unit - j) n = first + kept_unit - j;
      if (n > total - j) n = total - j;
      for (std::size_t x = 0; x < n; ++x) kept[j - first + x] = buf[from + x];
      j += n;
    }
  }
  template <class T>
  SPARQ_INLINE void scatter(std::size_t r, std::size_t c, T const* kept, T* dense) const noexcept {
    std::size_t const first = c * kept_unit, total = s_.kept_cols();
    for (std::size_t j = first; j < first + kept_unit && j < total; ++j) {
      std::size_t const u = (j - first) / N * M + s_.index(r, j);
      // u < unit holds for validated indices (below M); the test states it for the compiler
      // (GCC 12 for AArch64 reports a write past `dense` otherwise). Columns past K stay 0.
      if (u < unit && c * unit + u < s_.cols()) dense[u] = kept[j - first];
    }
  }

  view_type s_;
  VS vs_;
  std::size_t chunks_ = 0, per_ = 1;
};

}  // namespace detail

template <std::size_t N, std::size_t M, class V>
detail::nm_source<N, M, V> make_weight_source(nm_sparse_matrix_view<N, M, V> const& s) noexcept {
  return detail::nm_source<N, M, V>(s);
}
template <std::size_t N, std::size_t M, class V>
detail::nm_source<N, M, V> make_weight_source(nm_sparse_matrix<N, M, V> const& s) noexcept {
  return detail::nm_source<N, M, V>(s.view());
}

SPARQ_NAMESPACE_END
