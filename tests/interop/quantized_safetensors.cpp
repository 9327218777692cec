// SPDX-License-Identifier: Apache-2.0
// Quantized safetensors conventions through sparq's own writer and reader: what is written reads
// back as views of the same bytes that multiply like the matrices written, the writer's file is
// what the format asks for, and files that do not fit a convention are rejected by name. (Files of
// the `safetensors` package: tests/interop/safetensors_py.py.)
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include <sparq/interop/quantized_safetensors.hpp>

#include "../support/files.hpp"
#include "../support/random.hpp"

using namespace sparq;

namespace {

/// C = A W^T with this file's kernels for both weights: equal bit for bit.
template <class W1, class W2>
void same_products(W1 const& a, W2 const& b, std::size_t n, std::size_t k) {
  std::vector<float> x = test::gaussian(3 * k, 4), c1(3 * n), c2(3 * n);
  matrix_view<float const> const xv(x.data(), 3, k);
  gemm<default_arch>(xv, a, matrix_view<float>(c1.data(), 3, n));
  gemm<default_arch>(xv, b, matrix_view<float>(c2.data(), 3, n));
  CHECK(c1 == c2);
}

}  // namespace

TEST_CASE("quantized safetensors: every convention written reads back as the same bytes",
          "[safetensors][quantized]") {
  std::size_t const n = 40, k = 256;
  std::vector<float> const w = test::gaussian(n * k, 1);
  matrix_view<float const> const wv(w.data(), n, k);
  auto const mx0 = quantize<mxfp4>(wv);
  auto const mx1 =
      quantize<mxfp4>(matrix_view<float const>(w.data() + k, n - 1, k));  // another shape: a second file
  auto const nv = quantize<nvfp4>(wv);
  quantize_options pt;
  pt.granularity = element_scale::per_tensor;
  auto const f8t = quantize<float8_e4m3fn>(wv, pt);
  auto const f8c = quantize<float8_e4m3fn>(wv);
  auto const fb = quantize_tiled<fp8_group<128>, 128>(matrix_view<float const>(w.data(), 33, 200));

  safetensors_writer out;
  add_mxfp4_blocks(out, "experts.up", {mx0.view(), mx0.view()});
  add_mxfp4_blocks(out, "block.0.mlp2", mx0.view(), mxfp4_names::original);
  add_nvfp4(out, "mo", nv.view(), nvfp4_convention::modelopt);
  add_nvfp4(out, "ct.", nv.view(), nvfp4_convention::compressed_tensors);
  add_fp8(out, "fpt", f8t.view(), fp8_scaling::per_tensor);
  add_fp8(out, "fpc", f8c.view(), fp8_scaling::per_channel);
  add_fp8(out, "fb", fb.view());
  out.add_metadata("format", "pt");
  std::string const path = test::temp_path("quantized.safetensors");
  out.write(path);

  safetensors_file f(path);
  std::vector<std::uint8_t> const bytes = out.bytes();
  std::uint64_t header = 0;
  std::memcpy(&header, bytes.data(), 8);
  CHECK(header % 8 == 0);
  CHECK(f.info("fb.weight_scale_inv").shape == std::vector<std::size_t>{1, 2});
  CHECK(f.info("experts.up_blocks").shape == std::vector<std::size_t>{2, n, k / 32, 16});
  CHECK(f.info("fpt.weight_scale").shape.empty());
  CHECK(f.info("fpc.weight_scale").shape == std::vector<std::size_t>{n, 1});
  CHECK(f.info("ct.weight_global_scale").shape == std::vector<std::size_t>{1});

  REQUIRE(mxfp4_blocks_count(f, "experts.up") == 2);
  auto const e1 = read_mxfp4_blocks(f, "experts.up", 1);
  CHECK(std::memcmp(e1.codes(), mx0.view().codes(), n * k / 2) == 0);
  same_products(e1, mx0, n, k);
  same_products(read_mxfp4_blocks(f, "block.0.mlp2"), mx0, n, k);

  auto const mo = read_nvfp4(f, "mo");
  CHECK(mo.convention == nvfp4_convention::modelopt);
  CHECK(mo.global_scale == nv.tensor_decode());
  same_products(mo, nv, n, k);
  auto const ct = read_nvfp4(f, "ct");
  CHECK(ct.convention == nvfp4_convention::compressed_tensors);
  CHECK(ct.global_scale == 1.0f / nv.tensor_decode());
  std::vector<float> dm(n * k), dc(n * k), dq(n * k);
  dequantize(mo, matrix_view<float>(dm.data(), n, k));
  dequantize(ct, matrix_view<float>(dc.data(), n, k));
  dequantize(nv, matrix_view<float>(dq.data(), n, k));
  for (std::size_t i = 0; i < n * k; ++i) {  // the conventions' products round once more or less
    REQUIRE(std::fabs(dm[i] - dq[i]) <= 1e-6f * std::fabs(dq[i]));
    REQUIRE(std::fabs(dc[i] - dq[i]) <= 1e-6f * std::fabs(dq[i]));
  }

  auto const t = read_fp8(f, "fpt");
  CHECK(t.scaling() == fp8_scaling::per_tensor);
  same_products(t, f8t, n, k);
  auto const c = read_fp8(f, "fpc");
  CHECK(c.scaling() == fp8_scaling::per_channel);
  same_products(c, f8c, n, k);
  fp8_checkpoint const b = read_fp8(f, "fb");
  fp8_checkpoint const copy = b;  // owns its scales: the copy's views point at its own
  CHECK(copy.tiled().scales() != b.tiled().scales());
  CHECK(b.scaling() == fp8_scaling::block128);
  same_products(copy, fb, 33, 200);
  std::vector<float> d1(33 * 200), d2(33 * 200);
  dequantize(b, matrix_view<float>(d1.data(), 33, 200));
  dequantize(fb, matrix_view<float>(d2.data(), 33, 200));
  CHECK(d1 == d2);
  CHECK_THROWS_AS(b.rowed(), invalid_argument);
  CHECK_THROWS_AS(t.tiled(), invalid_argument);

  // Written back from what was read: the same bytes.
  safetensors_writer again;
  add_nvfp4(again, "mo", mo);
  add_nvfp4(again, "ct", ct);
  add_fp8(again, "fpt", t);
  add_fp8(again, "fpc", c);
  add_fp8(again, "fb", b);
  std::string const path2 = test::temp_path("quantized2.safetensors");
  again.write(path2);
  safetensors_file f2(path2);
  for (auto const& name : f2.names()) {
    INFO(name);
    auto const x = f.bytes(name), y = f2.bytes(name);
    REQUIRE(x.size() == y.size());
    CHECK(std::memcmp(x.data(), y.data(), x.size()) == 0);
    CHECK(f.info(name).shape == f2.info(name).shape);
  }
  std::remove(path.c_str());
  std::remove(path2.c_str());
}

TEST_CASE("quantized safetensors: tensors that do not fit a convention are named", "[safetensors][hostile]") {
  std::vector<std::uint8_t> codes(8 * 32), e4m3(8 * 2, 0x38);
  float const one = 1.0f, nan = std::nanf("");
  std::vector<float> tiles(1, nan);
  safetensors_writer w;
  w.add("nv.weight", "U8", {8, 16}, codes.data(), 8 * 16);
  w.add("nv.weight_scale", "F8_E4M3", {8, 1}, e4m3.data(), 8);  // K = 32: [8, 2] expected
  w.add("nv.weight_scale_2", "F32", {}, reinterpret_cast<std::uint8_t const*>(&one), 4);
  w.add("mx_blocks", "U8", {8, 1, 16}, codes.data(), 8 * 16);
  w.add("mx_scales", "U8", {8, 2}, codes.data(), 16);  // [8, 1] expected
  w.add("fp.weight", "F8_E4M3", {8, 32}, codes.data(), 8 * 32);
  std::vector<float> const three(3, 1.0f);
  w.add("fp.weight_scale", "F32", {3}, reinterpret_cast<std::uint8_t const*>(three.data()), 12);
  w.add("fb.weight", "F8_E4M3", {8, 32}, codes.data(), 8 * 32);
  w.add("fb.weight_scale_inv", "F32", {1, 1}, reinterpret_cast<std::uint8_t const*>(tiles.data()), 4);
  std::string const path = test::temp_path("hostile_quantized.safetensors");
  w.write(path);
  safetensors_file f(path);
  CHECK_THROWS_WITH(read_nvfp4(f, "nv"),
                    Catch::Contains("'nv.weight_scale' is F8_E4M3 [8, 1], expected F8_E4M3 [8, 2]"));
  CHECK_THROWS_WITH(read_nvfp4(f, "fp"), Catch::Contains("neither 'fp.weight_packed'"));
  CHECK_THROWS_WITH(read_mxfp4_blocks(f, "mx"),
                    Catch::Contains("'mx_scales' is U8 [8, 2], expected U8 [8, 1]"));
  CHECK_THROWS_WITH(read_mxfp4_blocks(f, "none"), Catch::Contains("neither 'none_blocks' nor 'none.blocks'"));
  CHECK_THROWS_WITH(read_fp8(f, "fp"), Catch::Contains("'fp.weight_scale' is [3], expected [] or [1]"));
  CHECK_THROWS_WITH(read_fp8(f, "fb"), Catch::Contains("tile (0, 0) is nan"));
  CHECK_THROWS_WITH(read_fp8(f, "nv"), Catch::Contains("'nv.weight' is U8 [8, 16], expected F8_E4M3 [N, K]"));
  std::remove(path.c_str());
}

TEST_CASE("safetensors_writer: bad tensors are named, the file is what the format asks for",
          "[safetensors][writer]") {
  safetensors_writer w;
  std::uint8_t b[8] = {};
  CHECK_THROWS_WITH(w.add("x", "F4", {2}, b, 1), Catch::Contains("argument 'dtype' is 'F4'"));
  CHECK_THROWS_WITH(w.add("x", "F32", {3}, b, 8), Catch::Contains("argument 'bytes' is 8, expected 12"));
  CHECK_THROWS_WITH(w.add("x", "U8", {2}, nullptr, 2), Catch::Contains("argument 'data' is null"));
  CHECK_THROWS_WITH(w.add("__metadata__", "U8", {2}, b, 2), Catch::Contains("argument 'name'"));
  w.add("a", "U8", {3}, b, 3);
  w.add("b \"q\"", "F32", {2}, b, 8);
  CHECK_THROWS_WITH(w.add("a", "U8", {1}, b, 1), Catch::Contains("added before"));
  w.add_metadata("k", "v");
  CHECK_THROWS_WITH(w.add_metadata("k", "w"), Catch::Contains("argument 'key' is 'k'"));
  std::string const path = test::temp_path("writer.safetensors");
  w.write(path);
  safetensors_file f(path);
  CHECK(f.info("b \"q\"").offset == 0);  // wider dtypes first: every tensor aligned to its size
  CHECK(f.info("a").offset == 8);
  CHECK(f.read("b \"q\"").cols == 2);
  std::remove(path.c_str());
}
