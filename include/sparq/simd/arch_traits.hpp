// SPDX-License-Identifier: Apache-2.0
// Per-arch tuning of the GEMM drivers: task sizes, panel shape and register blocking, the
// prepacked interleave. The primary template holds the defaults, measured on AVX2 (bench_gemm);
// an arch that tunes differently specializes it in its own header (simd/<arch>.hpp).
#pragma once

#include <cstddef>

#include <sparq/core/config.hpp>

SPARQ_ARCH_NAMESPACE_BEGIN
namespace kernel {
namespace simd {

template <class Arch>
struct arch_traits {
  /// GEMV (M <= 4): weight rows per executor task (a multiple of every group and interleave).
  static constexpr std::size_t gemv_task_rows = 64;
  /// GEMV: weight rows decoded together for M activation rows (independent dependency chains and
  /// memory streams; R * M accumulators stay in registers).
  static constexpr std::size_t gemv_group_rows(std::size_t m) noexcept { return m == 1 ? 8 : m == 2 ? 4 : 2; }
  /// Panel GEMM (M > 4): rows of A per strip (in batches) and weight rows per micro-kernel call:
  /// an mr x nr tile of C in 2 * nr registers plus two A vectors.
  static constexpr std::size_t panel_mr_batches = 2;
  static constexpr std::size_t panel_nr = 6;
  /// Panel GEMM: micro-panels per task (task rows = panels * nr: 96, each A strip feeds 16) and
  /// K values decoded per panel slice (a panel of 96 x 256 floats stays in L2).
  static constexpr std::size_t panel_task_panels = 16;
  static constexpr std::size_t panel_kc = 256;
  /// int8_activations: weight rows per task (their images are made once and reused by every
  /// tile of A when M > 4).
  static constexpr std::size_t int8_task_rows = 16;
  /// sparq::prepack: rows per interleaved group (the GEMV's group for M = 1).
  static constexpr std::size_t prepack_rows = 8;
  /// The arch whose kernels the int8_activations driver runs (an arch may prefer a narrower
  /// one's: see simd/x86_avx512.hpp).
  using int8_arch = Arch;
  /// The arch whose kernel the bitmap GEMV runs (simd/x86_avx512.hpp: AVX-512 runs AVX2's).
  using bitmap_arch = Arch;
  /// Whether the bitmap GEMV gathers sparse rows' activations by column (simd bitmap_columns,
  /// bitmap_gather_dots: simd/x86_avx512/sparse.hpp).
  static constexpr bool bitmap_gather = false;
};

}  // namespace simd
}  // namespace kernel
SPARQ_ARCH_NAMESPACE_END
