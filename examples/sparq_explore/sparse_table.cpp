// SPDX-License-Identifier: Apache-2.0
// `sparq-explore quantize --sparsity ...`: each format composed with a sparse layout (2:4, bitmap,
// dense-and-sparse), its error against the dense input, the bytes a GEMV reads and the speed of
// the sparse kernels. Own translation unit: these instantiations build beside the dense table.
#include <chrono>
#include <type_traits>
#include <vector>

#include <sparq/sparq.hpp>

#include "speed.hpp"
#include "table.hpp"

namespace sparq_explore {
namespace {

/// The kept values in V (float: as pruned).
template <class V, class S>
auto values_in(S&& s, sparq::thread_pool const& ex) {
  if constexpr (std::is_same<V, float>::value) {
    (void)ex;
    return std::forward<S>(s);
  } else {
    return sparq::quantize<V>(s, {}, ex);
  }
}

template <class L>
void fill(result& r, L const& s, sparq::dense_matrix const& m, bool int8, sparq::thread_pool const& ex) {
  std::vector<float> back(m.rows * m.cols);
  sparq::densify(s, sparq::matrix_view<float>(back.data(), m.rows, m.cols), ex);
  r.error = sparq::compare(m.view(), sparq::matrix_view<float const>(back.data(), m.rows, m.cols));
  r.bytes = s.storage_bytes();
  r.perf = measure_layout(s, int8, ex);
}

template <class V>
result run_sparse(std::string const& name, sparq::dense_matrix const& m, sparq::thread_pool const& ex,
                  sparsity const& sp) {
  result r;
  r.name = name;
  constexpr bool image = sparq::supports_int8_activations_v<V>;
  auto const t0 = std::chrono::steady_clock::now();
  auto stop = [&] {
    r.quantize_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  };
  switch (sp.by) {
    case sparsity::kind::nm_2_4: {
      auto const s = values_in<V>(sparq::prune_nm<2, 4>(m.view(), {}, ex), ex);
      stop();
      fill(r, s, m, image, ex);
      break;
    }
    case sparsity::kind::bitmap: {
      auto const s = values_in<V>(sparq::prune_bitmap(m.view(), sparq::keep_rule::density(1.0 - sp.amount), ex), ex);
      stop();
      fill(r, s, m, image && !sparq::is_block_format_v<V>, ex);
      break;
    }
    default: {
      if constexpr (std::is_same<V, float>::value) {
        throw sparq::invalid_argument("--sparsity outliers: float32 has no quantized dense part; pick a format");
      } else {
        auto const s = sparq::split_outliers<V>(m.view(), sparq::keep_rule::density(sp.amount), {}, ex);
        stop();
        fill(r, s, m, image, ex);
      }
      break;
    }
  }
  std::size_t const n = m.rows * m.cols;
  r.bits_per_weight = n != 0 ? 8.0 * static_cast<double>(r.bytes) / static_cast<double>(n) : 0;
  return r;
}

template <class V>
entry make(char const* name) {
  return {name, [name](sparq::dense_matrix const& m, sparq::thread_pool const& ex, sparsity const& sp) {
            return run_sparse<V>(name, m, ex, sp);
          }};
}

}  // namespace

std::vector<entry> const& sparse_registry() {
  static std::vector<entry> const r = {
      make<float>("float32"),
      make<sparq::bfloat16>("bfloat16"),
      make<sparq::float16>("float16"),
      make<sparq::float8_e4m3fn>("float8_e4m3fn"),
      make<sparq::int8>("int8"),
      make<sparq::int4>("int4"),
      make<sparq::mxfp8_e4m3>("mxfp8_e4m3"),
      make<sparq::mxfp4>("mxfp4"),
      make<sparq::nvfp4>("nvfp4"),
      make<sparq::int8_group<32>>("int8_g32"),
      make<sparq::int4_group<32>>("int4_g32"),
      make<sparq::int4_group<128>>("int4_g128"),
  };
  return r;
}

}  // namespace sparq_explore
