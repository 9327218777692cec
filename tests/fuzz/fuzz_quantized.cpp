// SPDX-License-Identifier: Apache-2.0
// Quantized matrices over arbitrary bytes (codes, scales, zero points as an engine would map them
// from a file): dequantize, prepack and both GEMM modes read only inside the buffers (the
// sanitizers watch), and the exact product matches the dense reading within its bound.
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstdint>
#include <cstring>
#include <vector>

#include <sparq/format/all.hpp>
#include <sparq/kernel/gemm.hpp>
#include <sparq/kernel/prepack.hpp>
#include <sparq/quantize/quantize.hpp>

#include "fuzz_check.hpp"
#include "fuzz_input.hpp"

namespace {

using sparq_fuzz::input;

template <class F>
void run(input& in, std::size_t rows, std::size_t cols, std::size_t m) {
  using view = sparq::quantized_matrix_view<F>;
  using scale = typename view::scale_type;
  sparq::quantized_matrix<F> shape(rows, cols);  // the sizes an engine's buffers would have
  std::vector<std::uint8_t> const codes = in.bytes(shape.code_bytes());
  std::vector<std::uint8_t> scale_bytes = in.bytes(shape.scale_bytes());
  std::vector<scale> scales(shape.scale_bytes() / sizeof(scale));
  if (!scales.empty()) std::memcpy(scales.data(), scale_bytes.data(), scales.size() * sizeof(scale));
  std::vector<std::uint8_t> const zeros = in.bytes(shape.zero_bytes());
  float const tensor = 1.0f + static_cast<float>(in.take<std::uint8_t>() % 4);
  std::uint8_t const* z = zeros.empty() ? nullptr : zeros.data();
  // The checking constructor rejects exactly the matrices with a NaN, infinite or negative scale.
  bool any_bad = false;
  for (scale const& s : scales) {
    float const v = static_cast<float>(s);
    any_bad = any_bad || std::isnan(v) || std::isinf(v) || v < 0.0f;
  }
  bool rejected = false;
  try {
    (void)view(codes.data(), scales.data(), z, rows, cols, tensor);
  } catch (sparq::invalid_argument const&) {
    rejected = true;
  }
  if (rejected != any_bad) {
    std::fprintf(stderr, "quantized_matrix_view: %s a matrix %s a bad scale\n", rejected ? "rejected" : "accepted",
                 any_bad ? "with" : "without");
    std::abort();
  }
  // The kernels still meet those scales through trusted views: they must stay in bounds.
  view const w(sparq::trusted_scales, codes.data(), scales.data(), z, rows, cols, tensor);
  std::vector<float> dense(rows * cols);
  sparq::dequantize(w, sparq::matrix_view<float>(dense.data(), rows, cols));
  sparq_fuzz::check_product(w, dense, rows, cols, m);
  sparq_fuzz::check_product(sparq::prepack(w), dense, rows, cols, m);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  input in(data, size);
  unsigned const format = in.take<std::uint8_t>() % 6;
  std::size_t const rows = in.in(1, 17), cols = in.in(1, 300), m = in.in(1, 6);
  switch (format) {
    case 0: run<sparq::mxfp4>(in, rows, cols, m); break;
    case 1: run<sparq::nvfp4>(in, rows, cols, m); break;
    case 2: run<sparq::int4_group<32>>(in, rows, cols, m); break;
    case 3: run<sparq::uint4_group_zp<128>>(in, rows, cols, m); break;
    case 4: run<sparq::mxfp6_e3m2>(in, rows, cols, m); break;
    default: run<sparq::float8_e4m3fn>(in, rows, cols, m); break;
  }
  return 0;
}
