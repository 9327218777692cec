// SPDX-License-Identifier: Apache-2.0
// The int8_activations driver: A quantized per 32 values (kernel/gemm/int8_activations.hpp), each
// task turns 16 weight rows into int8 images and per-chunk multipliers once, then multiplies them
// with tiles of up to 4 rows of A: integer dot per chunk, one float FMA per chunk with
// d(A block) * multiplier(W block).
#pragma once

#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <vector>

#include <sparq/core/config.hpp>
#include <sparq/kernel/gemm/driver.hpp>
#include <sparq/kernel/gemm/int8_activations.hpp>
#include <sparq/kernel/gemm/options.hpp>
#include <sparq/kernel/gemm/scratch.hpp>
#include <sparq/kernel/gemm/workspace.hpp>
#include <sparq/kernel/source/concept.hpp>
#include <sparq/layout/matrix_view.hpp>
#include <sparq/layout/quantized_activations.hpp>
#include <sparq/simd/arch.hpp>
#include <sparq/simd/arch_traits.hpp>
#include <sparq/simd/registry.hpp>

SPARQ_ARCH_NAMESPACE_BEGIN
namespace arch_detail {

/// A's rows quantized: q (rows x kp int8), d (rows x nd scales).
struct quantized_rows {
  std::int8_t const* q = nullptr;
  float const* d = nullptr;
  std::size_t rows = 0, kp = 0, nd = 0;
};

/// A quantized per 32 values into the workspace (kp: K rounded up to 32).
template <class TA>
quantized_rows quantize_rows(matrix_view<TA const> const& a, gemm_workspace& ws) {
  quantized_rows qa;
  qa.rows = a.rows();
  qa.kp = round_up(a.cols(), int8_block);
  qa.nd = qa.kp / int8_block;
  std::size_t const m = a.rows();
  float* base = ws.floats(qa.kp + m * qa.nd + (m * qa.kp + 3) / 4);
  float* d = base + qa.kp;
  auto* q = reinterpret_cast<std::int8_t*>(d + m * qa.nd);
  quantize_activation_rows(a, qa.kp, base, q, d);
  qa.q = q;
  qa.d = d;
  return qa;
}

/// The rows of a sparq::quantized_activations.
inline quantized_rows rows_of(quantized_activations const& qa) noexcept {
  quantized_rows r;
  r.q = qa.codes();
  r.d = qa.scales();
  r.rows = qa.rows();
  r.kp = qa.padded_cols();
  r.nd = qa.blocks_per_row();
  return r;
}

/// The arch whose kernels run int8_activations for Arch (simd/arch_traits.hpp).
template <class Arch>
using int8_arch_t = typename kernel::simd::arch_traits<Arch>::int8_arch;

#if SPARQ_SIMD
/// dots[t * MT + i] = sum_c int8_dot(image row t, q row i) * d(i, block of c) * ws(t, c).
template <class A, std::size_t MT, std::size_t NT, std::size_t U>
void int8_tile(std::int8_t const* img, float const* ws, std::size_t chunks, std::int8_t const* q, float const* d,
               std::size_t kp, std::size_t nd, float* dots) noexcept {
  using batch = kernel::simd::fbatch<A>;
  batch acc[NT][MT];
  SPARQ_UNROLL
  for (std::size_t t = 0; t < NT; ++t) {
    SPARQ_UNROLL
    for (std::size_t i = 0; i < MT; ++i) acc[t][i] = batch(0.0f);
  }
  for (std::size_t c = 0; c < chunks; ++c) {
    std::size_t const j = c * U / int8_block;
    SPARQ_UNROLL
    for (std::size_t t = 0; t < NT; ++t) {
      std::int8_t const* wp = img + t * kp + c * U;
      float const wsv = ws[t * chunks + c];
      SPARQ_UNROLL
      for (std::size_t i = 0; i < MT; ++i) {
        batch const p = kernel::simd::int8_dot<A, U>(wp, q + i * kp + c * U, A{});
        acc[t][i] = xsimd::fma(p, batch(d[i * nd + j] * wsv), acc[t][i]);
      }
    }
  }
  SPARQ_UNROLL
  for (std::size_t t = 0; t < NT; ++t) {
    SPARQ_UNROLL
    for (std::size_t i = 0; i < MT; ++i) dots[t * MT + i] = xsimd::hadd(acc[t][i]);
  }
}

template <class A, std::size_t MT, std::size_t U, class Out>
void int8_rows(std::int8_t const* img, float const* ws, std::size_t rows, std::size_t chunks,
               quantized_rows const& qa, std::size_t i0, std::size_t r0, Out const& out) noexcept {
  float dots[2 * MT];
  std::int8_t const* q = qa.q + i0 * qa.kp;
  float const* d = qa.d + i0 * qa.nd;
  std::size_t t = 0;
  for (; t + 2 <= rows; t += 2) {
    int8_tile<A, MT, 2, U>(img + t * qa.kp, ws + t * chunks, chunks, q, d, qa.kp, qa.nd, dots);
    for (std::size_t x = 0; x < 2; ++x) {
      for (std::size_t i = 0; i < MT; ++i) out(i0 + i, r0 + t + x, dots[x * MT + i]);
    }
  }
  if (t < rows) {
    int8_tile<A, MT, 1, U>(img + t * qa.kp, ws + t * chunks, chunks, q, d, qa.kp, qa.nd, dots);
    for (std::size_t i = 0; i < MT; ++i) out(i0 + i, r0 + t, dots[i]);
  }
}

/// GEMV form (M <= 4): R weight rows chunk by chunk (the prepacked interleave order), each
/// chunk's image made in L1 and used at once.
template <class A, std::size_t M, std::size_t R, class W>
void int8_gemv_rows(W const& w, quantized_rows const& qa, std::size_t r, float* dots) noexcept {
  using batch = kernel::simd::fbatch<A>;
  constexpr std::size_t U = W::unit;
  constexpr float inv_factor = 1.0f / static_cast<float>(W::image_factor);
  batch acc[R][M];
  SPARQ_UNROLL
  for (std::size_t rr = 0; rr < R; ++rr) {
    SPARQ_UNROLL
    for (std::size_t i = 0; i < M; ++i) acc[rr][i] = batch(0.0f);
  }
  std::size_t const chunks = w.chunks(), per = w.chunks_per_block();
  for (std::size_t b = 0, c0 = 0; c0 < chunks; ++b, c0 += per) {
    std::size_t const c1 = c0 + per < chunks ? c0 + per : chunks;
    float ws[R];
    int zero[R];
    SPARQ_UNROLL
    for (std::size_t rr = 0; rr < R; ++rr) {
      ws[rr] = w.scale(r + rr, b) * inv_factor;
      zero[rr] = w.zero_code(r + rr, b);
    }
    for (std::size_t c = c0; c < c1; ++c) {
      std::size_t const j = c * U / int8_block;
      SPARQ_UNROLL
      for (std::size_t rr = 0; rr < R; ++rr) {
        alignas(64) std::int8_t img[U];
        w.template image<A>(r + rr, c, zero[rr], img);
        SPARQ_UNROLL
        for (std::size_t i = 0; i < M; ++i) {
          batch const p = kernel::simd::int8_dot<A, U>(img, qa.q + i * qa.kp + c * U, A{});
          acc[rr][i] = xsimd::fma(p, batch(qa.d[i * qa.nd + j] * ws[rr]), acc[rr][i]);
        }
      }
    }
  }
  SPARQ_UNROLL
  for (std::size_t rr = 0; rr < R; ++rr) {
    SPARQ_UNROLL
    for (std::size_t i = 0; i < M; ++i) dots[rr * M + i] = xsimd::hadd(acc[rr][i]);
  }
}

template <class A, std::size_t M, class W, class Out>
void int8_gemv_task(W const& w, quantized_rows const& qa, std::size_t r0, std::size_t r1, Out const& out) noexcept {
  constexpr std::size_t R = kernel::simd::arch_traits<A>::gemv_group_rows(M);
  gemv_row_groups<M, R>(r0, r1, out, [&](std::size_t r, auto g, float* dots) {
    int8_gemv_rows<A, M, decltype(g)::value>(w, qa, r, dots);
  });
}
#endif

/// The images of row r's chunks (zero point subtracted) into out, and each chunk's multiplier.
template <class A, class W>
void image_row(W const& w, std::size_t r, std::int8_t* out, float* ws) {
  constexpr std::size_t U = W::unit;
  float const factor = static_cast<float>(W::image_factor);
  std::size_t const per = w.chunks_per_block();
  int zero = 0;
  float mult = 0.0f;
  for (std::size_t c = 0, left = 0; c < w.chunks(); ++c) {
    if (left == 0) {
      std::size_t const b = c / per;
      left = per;
      zero = w.zero_code(r, b);
      mult = w.scale(r, b) / factor;
    }
    --left;
    ws[c] = mult;
    w.template image<A>(r, c, zero, out + c * U);
  }
}

#if SPARQ_SIMD
/// Whether the 4-bit register GEMV (simd/gemv4.hpp) serves W on Arch: 4-bit packed chunks of 32
/// codes with an int8 image, and an arch with the kernel.
template <class Arch, class W>
constexpr bool gemv4_serves() noexcept {
  if constexpr (std::is_same<Arch, no_simd_arch>::value || !detail::has_packed_chunk<W>::value) {
    return false;
  } else {
    return kernel::simd::has_gemv4(Arch{}) && W::has_image && W::unit == 32 &&
           bits_of_v<typename W::packed_element> == 4;
  }
}

/// The GEMV (M <= 4) through gemv4: A's rows arranged once per call, then tasks of rows.
template <class Arch, class W, class Out, class Executor>
void gemv4_gemm(W const& w, quantized_rows const& qa, Out const& out, Executor const& executor) {
  using E = typename W::packed_element;
  constexpr std::size_t task_rows = kernel::simd::arch_traits<Arch>::int8_task_rows;
  std::size_t const m = qa.rows, n = w.rows(), chunks = w.chunks();
  std::vector<std::int8_t> q(m * qa.kp);
  std::vector<std::int32_t> totals(m * chunks);
  int const times = W::has_zero ? 1 : kernel::simd::gemv4_offset<E>();
  for (std::size_t i = 0; i < m; ++i) {
    kernel::simd::gemv4_arrange(qa.q + i * qa.kp, chunks * 32, times, q.data() + i * qa.kp, totals.data() + i * chunks,
                                Arch{});
  }
  kernel::simd::gemv4_activations const acts{q.data(), totals.data(), qa.d, qa.kp, qa.nd};
  executor.parallel_for((n + task_rows - 1) / task_rows, [&](std::size_t task) {
    std::size_t const r0 = task * task_rows, r1 = n - r0 < task_rows ? n : r0 + task_rows;
    auto rows = [&](auto mm) {
      constexpr std::size_t M = decltype(mm)::value;
      constexpr std::size_t R = kernel::simd::arch_traits<Arch>::gemv_group_rows(M);
      gemv_row_groups<M, R>(r0, r1, out, [&](std::size_t r, auto g, float* dots) {
        kernel::simd::gemv4_rows<M, decltype(g)::value>(w, acts, r, dots, Arch{});
      });
    };
    switch (m) {
      case 1: rows(std::integral_constant<std::size_t, 1>{}); break;
      case 2: rows(std::integral_constant<std::size_t, 2>{}); break;
      case 3: rows(std::integral_constant<std::size_t, 3>{}); break;
      default: rows(std::integral_constant<std::size_t, 4>{}); break;
    }
  });
}
#endif

/// The int8_activations driver for every source with an int8 image, A already quantized.
template <class RequestedArch, class W, class Executor>
void gemm_int8_rows(W const& w, quantized_rows const& qa, matrix_view<float> const& c, gemm_options const& o,
                    Executor const& executor) {
  using Arch = int8_arch_t<RequestedArch>;
  static_assert(check_weight_source<W>() && W::has_image, "gemm_int8: the weight source has no int8 image");
  if (qa.rows == 0 || w.rows() == 0) return;
  constexpr std::size_t task_rows = kernel::simd::arch_traits<Arch>::int8_task_rows;
  constexpr std::size_t U = W::unit;
  std::size_t const m = qa.rows, n = w.rows(), chunks = w.chunks();
  std::size_t const kp = qa.kp;  // row stride of q and of the weight images
  auto const out = make_epilogue(
      w, [&qa](std::size_t i, std::size_t k) { return qa.q[i * qa.kp + k] * qa.d[i * qa.nd + k / int8_block]; }, c, o);
#if SPARQ_SIMD
  if constexpr (gemv4_serves<Arch, W>()) {
    if (m <= 4) {
      gemv4_gemm<Arch>(w, qa, out, executor);
      return;
    }
  }
#endif
  executor.parallel_for((n + task_rows - 1) / task_rows, [&](std::size_t task) {
    std::size_t const r0 = task * task_rows, rows = n - r0 < task_rows ? n - r0 : task_rows;
#if SPARQ_SIMD
    if constexpr (!std::is_same<Arch, no_simd_arch>::value) {
      if (m <= 4) {
        switch (m) {
          case 1: int8_gemv_task<Arch, 1>(w, qa, r0, r0 + rows, out); break;
          case 2: int8_gemv_task<Arch, 2>(w, qa, r0, r0 + rows, out); break;
          case 3: int8_gemv_task<Arch, 3>(w, qa, r0, r0 + rows, out); break;
          default: int8_gemv_task<Arch, 4>(w, qa, r0, r0 + rows, out); break;
        }
        return;
      }
    }
#endif
    // M > 4: the task's weight rows as int8 images once, reused by every tile of A.
    task_scratch& scratch = this_thread_scratch();
    std::int8_t* img = scratch.image_bytes(task_rows * kp);
    float* ws = scratch.multipliers.floats(task_rows * chunks);
    for (std::size_t t = 0; t < rows; ++t) image_row<Arch>(w, r0 + t, img + t * kp, ws + t * chunks);
#if SPARQ_SIMD
    if constexpr (!std::is_same<Arch, no_simd_arch>::value) {
      std::size_t i0 = 0;
      for (; i0 + 4 <= m; i0 += 4) int8_rows<Arch, 4, U>(img, ws, rows, chunks, qa, i0, r0, out);
      switch (m - i0) {
        case 3: int8_rows<Arch, 3, U>(img, ws, rows, chunks, qa, i0, r0, out); break;
        case 2: int8_rows<Arch, 2, U>(img, ws, rows, chunks, qa, i0, r0, out); break;
        case 1: int8_rows<Arch, 1, U>(img, ws, rows, chunks, qa, i0, r0, out); break;
        default: break;
      }
      return;
    }
#endif
    for (std::size_t t = 0; t < rows; ++t) {
      for (std::size_t i = 0; i < m; ++i) {
        float acc = 0.0f;
        for (std::size_t ch = 0; ch < chunks; ++ch) {
          std::int32_t s = 0;
          for (std::size_t u = 0; u < U; ++u) {
            s += static_cast<std::int32_t>(img[t * kp + ch * U + u]) * qa.q[i * kp + ch * U + u];
          }
          acc += static_cast<float>(s) * (qa.d[i * qa.nd + ch * U / int8_block] * ws[t * chunks + ch]);
        }
        out(i, r0 + t, acc);
      }
    }
  });
}

/// The int8_activations driver from float, bfloat16 or float16 A.
template <class Arch, class W, class TA, class Executor>
void gemm_int8(W const& w, matrix_view<TA const> const& a, matrix_view<float> const& c, gemm_options const& o,
               Executor const& executor) {
  if (a.rows() == 0 || w.rows() == 0) return;
  gemm_workspace local;
  gemm_int8_rows<Arch>(w, quantize_rows(a, o.workspace ? *o.workspace : local), c, o, executor);
}

}  // namespace arch_detail
SPARQ_ARCH_NAMESPACE_END
