// SPDX-License-Identifier: Apache-2.0
// Building sparse weights: sparq::prune_nm (N:M), sparq::prune_bitmap (unstructured, per row),
// sparq::split_outliers (dense + outliers), sparq::quantize<F> of the kept values into any
// format, and sparq::densify back to a dense float matrix.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include <sparq/convert/convert.hpp>
#include <sparq/core/aligned_buffer.hpp>
#include <sparq/core/bits.hpp>
#include <sparq/core/config.hpp>
#include <sparq/core/error.hpp>
#include <sparq/core/executor.hpp>
#include <sparq/layout/matrix_view.hpp>
#include <sparq/layout/sparse/bitmap.hpp>
#include <sparq/layout/sparse/dense_and_sparse.hpp>
#include <sparq/layout/sparse/nm.hpp>
#include <sparq/quantize/quantize.hpp>

SPARQ_NAMESPACE_BEGIN

/// Which entries a pruning keeps: the largest magnitudes up to a density (a fraction of the
/// entries: per row for prune_bitmap, of the whole matrix for split_outliers) or every magnitude
/// above a threshold. Ties go to the lower index; NaN ranks above every number.
struct keep_rule {
  enum class kind { density, threshold };
  kind by = kind::density;
  double amount = 0.5;
  static keep_rule density(double fraction) noexcept { return {kind::density, fraction}; }
  static keep_rule threshold(float magnitude) noexcept { return {kind::threshold, static_cast<double>(magnitude)}; }
};

/// prune_nm options: column_scale (K floats, optional) weighs each magnitude by its column, as
/// Wanda's |w| * ||x|| does; the default ranks by |w|.
struct nm_prune_options {
  float const* column_scale = nullptr;
};

namespace detail {

/// The rank score of a value: its magnitude (NaN above everything); -1 for padding.
inline float prune_score(float v, float weight) noexcept {
  float const a = std::fabs(v) * weight;
  return a != a ? INFINITY : a;
}
/// Whether (score a at index ia) ranks before (score b at index ib).
inline bool ranks_before(float a, std::size_t ia, float b, std::size_t ib) noexcept {
  return a > b || (a == b && ia < ib);
}

inline void check_rule(keep_rule const& rule, char const* fn) {
  if (rule.by == keep_rule::kind::density ? !(rule.amount >= 0.0 && rule.amount <= 1.0) : !(rule.amount >= 0.0)) {
    SPARQ_THROW(invalid_argument, std::string(fn) + ": argument 'rule' is " +
                                      (rule.by == keep_rule::kind::density ? "density " : "threshold ") +
                                      std::to_string(rule.amount) +
                                      (rule.by == keep_rule::kind::density ? ", expected a fraction in [0, 1]"
                                                                           : ", expected a magnitude >= 0"));
  }
}

}  // namespace detail

SPARQ_NAMESPACE_END

SPARQ_ARCH_NAMESPACE_BEGIN
namespace arch_detail {

/// All kept values as float (rows x cols of the values matrix, row-major).
template <class F, class Executor>
std::vector<float> values_as_float(quantized_matrix_view<F> const& v, Executor const& executor) {
  std::vector<float> out(v.rows() * v.cols());
  if (!out.empty()) dequantize(v, matrix_view<float>(out.data(), v.rows(), v.cols()), executor);
  return out;
}
template <class Executor>
std::vector<float> values_as_float(matrix_view<float const> const& v, Executor const&) {
  std::vector<float> out(v.rows() * v.cols());
  for (std::size_t r = 0; r < v.rows(); ++r) std::copy(v.row(r), v.row(r) + v.cols(), out.data() + r * v.cols());
  return out;
}

template <class T>
void check_input(matrix_view<T> const& w, char const* fn) {
  static_assert(std::is_same<std::remove_const_t<T>, float>::value ||
                    std::is_same<std::remove_const_t<T>, bfloat16>::value ||
                    std::is_same<std::remove_const_t<T>, float16>::value,
                "sparq pruning: the input must be float, bfloat16 or float16");
  detail::check_view(w, fn, "w");
}

inline void check_dense_out(matrix_view<float> const& out, std::size_t rows, std::size_t cols, char const* fn) {
  detail::check_out(out, rows, cols, fn);
}

/// Columns of row x (K values) kept by the rule, in column order.
inline void bitmap_keep(float const* x, std::size_t k, keep_rule const& rule, std::vector<std::uint32_t>& kept) {
  kept.clear();
  if (rule.by == keep_rule::kind::threshold) {
    for (std::size_t p = 0; p < k; ++p) {
      if (x[p] != x[p] || std::fabs(x[p]) > static_cast<float>(rule.amount)) kept.push_back(static_cast<std::uint32_t>(p));
    }
    return;
  }
  std::size_t const count = std::min<std::size_t>(k, static_cast<std::size_t>(std::llround(rule.amount * static_cast<double>(k))));
  for (std::size_t p = 0; p < k; ++p) kept.push_back(static_cast<std::uint32_t>(p));
  auto before = [&](std::uint32_t a, std::uint32_t b) {
    return ranks_before(prune_score(x[a], 1.0f), a, prune_score(x[b], 1.0f), b);
  };
  if (count < k) std::nth_element(kept.begin(), kept.begin() + static_cast<std::ptrdiff_t>(count), kept.end(), before);
  kept.resize(count);
  std::sort(kept.begin(), kept.end());
}

}  // namespace arch_detail

/// N:M pruning: in every group of M consecutive columns the N largest magnitudes (weighted by
/// options.column_scale when given; ties to the lower index) are kept as float values.
///
///   auto s = sparq::prune_nm<2, 4>(w);                 // 2:4, float values
///   auto q = sparq::quantize<sparq::mxfp4>(s);         // the kept values in MXFP4
template <std::size_t N, std::size_t M, class T, class Executor = serial_executor>
nm_sparse_matrix<N, M, float> prune_nm(matrix_view<T> const& w, nm_prune_options const& options = {},
                                       Executor const& executor = {}) {
  using view = nm_sparse_matrix_view<N, M, float>;
  arch_detail::check_input(w, "sparq::prune_nm");
  matrix_view<std::remove_const_t<T> const> const in(w);
  std::size_t const rows = w.rows(), k = w.cols(), groups = (k + M - 1) / M, kept = groups * N;
  std::size_t const ib = view::index_row_bytes(kept);
  (void)detail::checked_mul(rows, kept * sizeof(float), "sparq::prune_nm", "the kept values");
  detail::float_matrix values(rows, kept);
  aligned_buffer indices(detail::checked_mul(rows, ib, "sparq::prune_nm", "the indices"));
  executor.parallel_for(rows, [&](std::size_t r) {
    std::vector<float> x(groups * M, 0.0f);
    arch_detail::load_row(in, r, x.data(), k);
    float* vals = values.row(r);
    std::uint8_t* idx = indices.data() + r * ib;
    for (std::size_t g = 0; g < groups; ++g) {
      float score[M];
      unsigned order[M];
      for (unsigned p = 0; p < M; ++p) {
        std::size_t const col = g * M + p;
        float const weight = options.column_scale && col < k ? options.column_scale[col] : 1.0f;
        score[p] = col < k ? detail::prune_score(x[col], weight) : -1.0f;
        order[p] = p;
      }
      std::sort(order, order + M, [&](unsigned a, unsigned b) { return detail::ranks_before(score[a], a, score[b], b); });
      std::sort(order, order + N);
      for (std::size_t j = 0; j < N; ++j) {
        vals[g * N + j] = x[g * M + order[j]];
        detail::put_field(idx, g * N + j, view::index_bits, order[j]);
      }
    }
  });
  return nm_sparse_matrix<N, M, float>(std::move(values), std::move(indices), rows, k);
}

/// Unstructured pruning per row: keep_rule::density(d) keeps round(d * K) entries of each row,
/// keep_rule::threshold(t) every |w| > t. Float values.
template <class T, class Executor = serial_executor>
bitmap_sparse_matrix<float> prune_bitmap(matrix_view<T> const& w, keep_rule const& rule,
                                         Executor const& executor = {}) {
  arch_detail::check_input(w, "sparq::prune_bitmap");
  detail::check_rule(rule, "sparq::prune_bitmap");
  matrix_view<std::remove_const_t<T> const> const in(w);
  std::size_t const rows = w.rows(), k = w.cols(), tiles = (k + 63) / 64;
  aligned_buffer masks(detail::checked_mul(rows, tiles * 8, "sparq::prune_bitmap", "the masks"));
  aligned_buffer offsets((rows + 1) * 8);
  auto* mask = reinterpret_cast<std::uint64_t*>(masks.data());
  auto* off = reinterpret_cast<std::uint64_t*>(offsets.data());
  std::vector<std::vector<float>> kept_values(rows);  // each row's kept values, column order
  executor.parallel_for(rows, [&](std::size_t r) {
    std::vector<float> x(k);
    std::vector<std::uint32_t> kept;
    arch_detail::load_row(in, r, x.data(), k);
    arch_detail::bitmap_keep(x.data(), k, rule, kept);
    for (std::uint32_t p : kept) {
      mask[r * tiles + p / 64] |= std::uint64_t{1} << (p % 64);
      kept_values[r].push_back(x[p]);
    }
  });
  for (std::size_t r = 0; r < rows; ++r) off[r + 1] = off[r] + kept_values[r].size();
  detail::float_matrix values(1, static_cast<std::size_t>(off[rows]));
  for (std::size_t r = 0; r < rows; ++r) std::copy(kept_values[r].begin(), kept_values[r].end(), values.data() + off[r]);
  return bitmap_sparse_matrix<float>(std::move(values), std::move(masks), std::move(offsets), rows, k);
}

/// Dense-and-sparse: the entries chosen by the rule (keep_rule::density(f): the fraction f of all
/// entries with the largest magnitudes; threshold(t): every |w| > t) become outliers, kept as
/// Outlier (float or float16); the rest (outliers set to 0) is quantized to Format.
template <class Format, class Outlier = float, class T, class Executor = serial_executor>
dense_and_sparse<Format, Outlier> split_outliers(matrix_view<T> const& w, keep_rule const& rule,
                                                 quantize_options const& options = {}, Executor const& executor = {}) {
  arch_detail::check_input(w, "sparq::split_outliers");
  detail::check_rule(rule, "sparq::split_outliers");
  matrix_view<std::remove_const_t<T> const> const in(w);
  std::size_t const rows = w.rows(), k = w.cols();
  std::vector<float> x(detail::checked_mul(rows, k, "sparq::split_outliers", "the matrix"));
  for (std::size_t r = 0; r < rows; ++r) arch_detail::load_row(in, r, x.data() + r * k, k);
  float cut = static_cast<float>(rule.amount);
  std::size_t ties = 0;  // density: how many entries equal to `cut` are outliers (lowest index first)
  if (rule.by == keep_rule::kind::density) {
    std::size_t const count =
        std::min<std::size_t>(x.size(), static_cast<std::size_t>(std::llround(rule.amount * static_cast<double>(x.size()))));
    cut = INFINITY;
    if (count != 0) {
      std::vector<float> score(x.size());
      for (std::size_t i = 0; i < x.size(); ++i) score[i] = detail::prune_score(x[i], 1.0f);
      std::nth_element(score.begin(), score.begin() + static_cast<std::ptrdiff_t>(count - 1), score.end(),
                       [](float a, float b) { return a > b; });
      cut = score[count - 1];
      std::size_t above = 0;
      for (float s : score) above += s > cut ? 1 : 0;
      ties = count - above;
    }
  }
  std::vector<std::uint64_t> row_ptr(rows + 1, 0);
  std::vector<std::uint32_t> columns;
  std::vector<Outlier> values;
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t p = 0; p < k; ++p) {
      float& v = x[r * k + p];
      float const s = detail::prune_score(v, 1.0f);
      bool take = s > cut;
      if (!take && rule.by == keep_rule::kind::density && s == cut && ties != 0) {
        take = true;
        --ties;
      }
      if (take) {
        columns.push_back(static_cast<std::uint32_t>(p));
        values.push_back(Outlier(v));
        v = 0.0f;
      }
    }
    row_ptr[r + 1] = columns.size();
  }
  auto dense = quantize<Format>(matrix_view<float const>(x.data(), rows, k), options, executor);
  return dense_and_sparse<Format, Outlier>(std::move(dense), std::move(row_ptr), std::move(columns), std::move(values));
}

/// The kept values of an N:M matrix quantized to Format (element or block format; blocks along
/// the compressed K); the indices are copied.
template <class Format, std::size_t N, std::size_t M, class Executor = serial_executor>
nm_sparse_matrix<N, M, Format> quantize(nm_sparse_matrix_view<N, M, float> const& s,
                                        quantize_options const& options = {}, Executor const& executor = {}) {
  auto values = quantize<Format>(s.values(), options, executor);
  std::size_t const bytes = s.rows() * s.index_row_bytes();
  aligned_buffer indices(bytes);
  if (bytes != 0) std::copy(s.indices(), s.indices() + bytes, indices.data());
  return nm_sparse_matrix<N, M, Format>(std::move(values), std::move(indices), s.rows(), s.cols());
}
template <class Format, std::size_t N, std::size_t M, class Executor = serial_executor>
nm_sparse_matrix<N, M, Format> quantize(nm_sparse_matrix<N, M, float> const& s, quantize_options const& options = {},
                                        Executor const& executor = {}) {
  return quantize<Format>(s.view(), options, executor);
}

/// The kept values of a bitmap matrix quantized to Format (rows re-padded to the format's pad;
/// blocks along each row's kept values; an element format gets one scale for the matrix).
template <class Format, class Executor = serial_executor>
bitmap_sparse_matrix<Format> quantize(bitmap_sparse_matrix_view<float> const& s, quantize_options const& options = {},
                                      Executor const& executor = {}) {
  constexpr std::size_t pad = bitmap_sparse_matrix_view<Format>::pad;
  std::size_t const rows = s.rows(), tiles = s.tiles();
  aligned_buffer masks(rows * tiles * 8);
  if (rows * tiles != 0) std::copy(s.masks(), s.masks() + rows * tiles, reinterpret_cast<std::uint64_t*>(masks.data()));
  aligned_buffer offsets((rows + 1) * 8);
  auto* off = reinterpret_cast<std::uint64_t*>(offsets.data());
  for (std::size_t r = 0; r < rows; ++r) {
    std::uint64_t const n = s.offsets()[r + 1] - s.offsets()[r];
    off[r + 1] = off[r] + (n + pad - 1) / pad * pad;
  }
  std::vector<float> flat(static_cast<std::size_t>(off[rows]), 0.0f);
  for (std::size_t r = 0; r < rows; ++r) {
    std::copy(s.values().row(0) + s.offsets()[r], s.values().row(0) + s.offsets()[r + 1], flat.data() + off[r]);
  }
  quantize_options row_options = options;
  row_options.granularity = element_scale::per_row;
  auto values = quantize<Format>(matrix_view<float const>(flat.data(), 1, flat.size()), row_options, executor);
  return bitmap_sparse_matrix<Format>(std::move(values), std::move(masks), std::move(offsets), rows, s.cols());
}
template <class Format, class Executor = serial_executor>
bitmap_sparse_matrix<Format> quantize(bitmap_sparse_matrix<float> const& s, quantize_options const& options = {},
                                      Executor const& executor = {}) {
  return quantize<Format>(s.view(), options, executor);
}

/// The dense float matrix of an N:M matrix (columns past K dropped). out: N x K, any ld.
template <std::size_t N, std::size_t M, class V, class Executor = serial_executor>
void densify(nm_sparse_matrix_view<N, M, V> const& s, matrix_view<float> const& out, Executor const& executor = {}) {
  arch_detail::check_dense_out(out, s.rows(), s.cols(), "sparq::densify");
  std::vector<float> const v = arch_detail::values_as_float(s.values(), executor);
  executor.parallel_for(s.rows(), [&](std::size_t r) {
    std::fill(out.row(r), out.row(r) + s.cols(), 0.0f);
    for (std::size_t j = 0; j < s.kept_cols(); ++j) {
      std::size_t const col = s.column(r, j);
      if (col < s.cols()) out(r, col) = v[r * s.kept_cols() + j];
    }
  });
}

/// The dense float matrix of a bitmap matrix. out: N x K, any ld.
template <class V, class Executor = serial_executor>
void densify(bitmap_sparse_matrix_view<V> const& s, matrix_view<float> const& out, Executor const& executor = {}) {
  arch_detail::check_dense_out(out, s.rows(), s.cols(), "sparq::densify");
  std::vector<float> const v = arch_detail::values_as_float(s.values(), executor);
  executor.parallel_for(s.rows(), [&](std::size_t r) {
    std::fill(out.row(r), out.row(r) + s.cols(), 0.0f);
    std::size_t j = static_cast<std::size_t>(s.offsets()[r]);
    for (std::size_t t = 0; t < s.tiles(); ++t) {
      for (std::uint64_t m = s.mask_row(r)[t]; m != 0; m &= m - 1) out(r, t * 64 + lowest_bit64(m)) = v[j++];
    }
  });
}

/// The dense float matrix of dense + outliers. out: N x K, any ld.
template <class F, class O, class Executor = serial_executor>
void densify(dense_and_sparse_view<F, O> const& s, matrix_view<float> const& out, Executor const& executor = {}) {
  arch_detail::check_dense_out(out, s.rows(), s.cols(), "sparq::densify");
  dequantize(s.dense(), out, executor);
  for (std::size_t r = 0; r < s.rows(); ++r) {
    for (std::uint64_t j = s.row_ptr()[r]; j < s.row_ptr()[r + 1]; ++j) {
      out(r, s.columns()[j]) += static_cast<float>(s.values()[j]);
    }
  }
}

template <std::size_t N, std::size_t M, class V, class Executor = serial_executor>
void densify(nm_sparse_matrix<N, M, V> const& s, matrix_view<float> const& out, Executor const& executor = {}) {
  densify(s.view(), out, executor);
}
template <class V, class Executor = serial_executor>
void densify(bitmap_sparse_matrix<V> const& s, matrix_view<float> const& out, Executor const& executor = {}) {
  densify(s.view(), out, executor);
}
template <class F, class O, class Executor = serial_executor>
void densify(dense_and_sparse<F, O> const& s, matrix_view<float> const& out, Executor const& executor = {}) {
  densify(s.view(), out, executor);
}

SPARQ_ARCH_NAMESPACE_END
