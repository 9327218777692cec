// SPDX-License-Identifier: Apache-2.0
// The weight source of 2-D tiled scales (layout/tiled_matrix.hpp), read where the codes lie: the
// quantized source of the row format F (fp8_group<128>) whose row r takes its block scales from
// tile row r / TileRows. sparq::prepack copies the codes once into sparq's interleaved layout of F
// with each row's scales, losslessly.
#pragma once

#include <cstddef>
#include <cstdint>

#include <sparq/core/config.hpp>
#include <sparq/kernel/prepack.hpp>
#include <sparq/kernel/source/addressing.hpp>
#include <sparq/kernel/source/quantized.hpp>
#include <sparq/layout/tiled_matrix.hpp>
#include <sparq/simd/arch.hpp>

SPARQ_NAMESPACE_BEGIN
namespace detail {

/// Row r's codes at r * K, its scales at the start of scale row r / TileRows.
template <std::size_t TileRows>
struct tile_rows {
  std::size_t cols, col_tiles;
  std::size_t code(std::size_t r) const noexcept { return r * cols; }
  std::size_t scale(std::size_t r) const noexcept { return (r / TileRows) * col_tiles; }
  std::size_t zero(std::size_t) const noexcept { return 0; }
};

template <class F, std::size_t TileRows>
using tiled_source = quantized_source<F, row_addressing<F, tile_rows<TileRows>>>;

}  // namespace detail

template <class F, std::size_t TileRows>
auto make_weight_source(tiled_matrix_view<F, TileRows> const& w) noexcept {
  using addressing = detail::row_addressing<F, detail::tile_rows<TileRows>>;
  return detail::tiled_source<F, TileRows>(
      addressing(w.codes(), w.scales(), nullptr, detail::tile_rows<TileRows>{w.cols(), w.col_tiles()},
                 w.cols()),
      w.rows(), w.cols(), 1.0f);
}
template <class F, std::size_t TileRows>
auto make_weight_source(tiled_matrix<F, TileRows> const& w) noexcept {
  return make_weight_source(w.view());
}

/// The tiles as sparq's interleaved layout of the row format F for Arch's kernels: the same codes,
/// each row with its own copy of its tile row's scales (lossless; 4 / TileRows more bytes per
/// block). sparq::gemm gives it the same results as the view.
template <class Arch = default_arch, class F, std::size_t TileRows>
auto prepack(tiled_matrix_view<F, TileRows> const& w) {
  return prepacked<F, kernel::simd::arch_traits<Arch>::prepack_rows>(make_weight_source(w));
}
template <class Arch = default_arch, class F, std::size_t TileRows>
auto prepack(tiled_matrix<F, TileRows> const& w) {
  return prepack<Arch>(w.view());
}

SPARQ_NAMESPACE_END
