// SPDX-License-Identifier: Apache-2.0
// One translation unit of sparq's runtime library: the GEMM entries of one arch for a share of
// the named formats and of the sparse layouts it holds. cmake/sparq_runtime.cmake compiles it
// once per (arch, part) with that arch's flags and these definitions:
//   SPARQ_TARGET_ARCH      the xsimd arch tag the kernels are instantiated for
//   SPARQ_ARCH_NAMESPACE   the inline namespace that keeps this arch's inline code apart
//   SPARQ_RUNTIME_ARCH     the sparq::runtime::arch enumerator of the slots it fills
//   SPARQ_RUNTIME_PART, SPARQ_RUNTIME_PARTS   this unit takes the formats i with i % PARTS == PART
//   SPARQ_RUNTIME_REGISTER the name of its registration function (called by the generated
//                          sparq_runtime_register)
//   SPARQ_RUNTIME_CORE     1: only the core formats (sparq::runtime_core_formats) and plain
//                          weights, for consumers that want a library that compiles in a fraction
//                          of the time (SPARQ_RUNTIME_FORMATS=core)
#include <cstddef>
#include <utility>

#include <sparq/core/executor.hpp>
#include <sparq/format/all.hpp>
#include <sparq/kernel/gemm.hpp>
#include <sparq/kernel/grouped.hpp>
#include <sparq/kernel/prepack.hpp>
#include <sparq/kernel/source/layouts.hpp>
#include <sparq/kernel/dispatch.hpp>

namespace {

using Arch = SPARQ_TARGET_ARCH;
constexpr int slot = static_cast<int>(sparq::runtime::arch::SPARQ_RUNTIME_ARCH);

template <class W>
void run(sparq::matrix_view<float const> const& a, W const& w, sparq::matrix_view<float> const& c,
         sparq::gemm_options const& o, sparq::executor_ref ex) {
  sparq::gemm<Arch>(a, w, c, o, ex);
}

template <class W>
void run_quantized(sparq::quantized_activations const& a, W const& w, sparq::matrix_view<float> const& c,
                   sparq::gemm_options const& o, sparq::executor_ref ex) {
  sparq::gemm<Arch>(a, w, c, o, ex);
}

template <class W>
void run_grouped(sparq::span<sparq::gemm_problem<float const, W, float> const> ps, sparq::gemm_options const& o,
                 sparq::executor_ref ex) {
  sparq::gemm_grouped<Arch>(ps, o, ex);
}

template <class W>
void add() {
  sparq::runtime::gemm_slots<W>::gemm[slot] = &run<W>;
  sparq::runtime::gemm_slots<W>::gemm_quantized[slot] = &run_quantized<W>;
  sparq::runtime::gemm_slots<W>::grouped[slot] = &run_grouped<W>;
}

template <class F>
void add_format() {
  add<sparq::quantized_matrix_view<F>>();
  add<decltype(sparq::prepack<Arch>(std::declval<sparq::quantized_matrix_view<F> const&>()))>();
}

/// A list entry that registers the weight type W itself (a sparse layout's view).
template <class W>
struct weights {};

template <class F>
struct entry {
  static void add() { add_format<F>(); }
};
template <class W>
struct entry<weights<W>> {
  static void add() { ::add<W>(); }
};

template <bool Here, class F>
void add_if() {
  if constexpr (Here) entry<F>::add();
}

/// The sparse layouts the library holds: 2:4 and bitmap with float, 16-bit and the common
/// 4/8-bit values, dense-and-sparse over the 4-bit formats with float outliers; and FP8 with
/// 128 x 128 tile scales (DeepSeek-V3 / Qwen3-FP8 checkpoints). Other combinations run the header
/// kernels.
template <class V>
using nm24 = weights<sparq::nm_sparse_matrix_view<2, 4, V>>;
template <class V>
using bitmap = weights<sparq::bitmap_sparse_matrix_view<V>>;
template <class F>
using outliers = weights<sparq::dense_and_sparse_view<F, float>>;
using sparse_weights =
    sparq::type_list<nm24<float>, nm24<sparq::bfloat16>, nm24<sparq::float16>, nm24<sparq::int8>,
                     nm24<sparq::int4_group<32>>, nm24<sparq::int4_group<128>>, nm24<sparq::mxfp4>,
                     nm24<sparq::nvfp4>, bitmap<float>, bitmap<sparq::bfloat16>, bitmap<sparq::float16>,
                     outliers<sparq::int4_group<32>>, outliers<sparq::int4_group<128>>, outliers<sparq::mxfp4>,
                     outliers<sparq::nvfp4>, weights<sparq::fp8_block128_view>>;

/// The formats of list whose running number (from Offset) falls to this part.
template <std::size_t Offset, class... F, std::size_t... I>
void add_part(sparq::type_list<F...>, std::index_sequence<I...>) {
  (add_if<(Offset + I) % SPARQ_RUNTIME_PARTS == SPARQ_RUNTIME_PART, F>(), ...);
}
template <std::size_t Offset, class List>
void add_part(List list) {
  add_part<Offset>(list, std::make_index_sequence<List::size>());
}

}  // namespace

void SPARQ_RUNTIME_REGISTER() {
#if defined(SPARQ_RUNTIME_CORE) && SPARQ_RUNTIME_CORE
  add_part<0>(sparq::runtime_core_formats{});
#else
  // One running number over the four lists, so that every part gets its share of each.
  constexpr std::size_t blocks_at = sparq::element_formats::size;
  constexpr std::size_t extra_at = blocks_at + sparq::block_formats::size;
  constexpr std::size_t sparse_at = extra_at + sparq::runtime_extra_formats::size;
  add_part<0>(sparq::element_formats{});
  add_part<blocks_at>(sparq::block_formats{});
  add_part<extra_at>(sparq::runtime_extra_formats{});
  add_part<sparse_at>(sparse_weights{});
#endif
  if constexpr (SPARQ_RUNTIME_PART == 0) {
    add<sparq::matrix_view<float const>>();
    add<sparq::matrix_view<sparq::bfloat16 const>>();
    add<sparq::matrix_view<sparq::float16 const>>();
  }
}
