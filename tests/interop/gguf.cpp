// SPDX-License-Identifier: Apache-2.0
// The GGUF reader on files built field by field: every metadata type, nested arrays, alignment,
// tensor views; hostile files (each truncation, huge counts, offsets past the end, unknown types,
// bad alignment, duplicates) give sparq::file_error and nothing else. ggml's block layouts
// (Q8_0, Q4_0, MXFP4) against a canonical sparq matrix of the same values built here from ggml's
// definition: dequantize and every GEMM path (exact and int8_activations, M = 1 and M = 5, view
// and prepacked) agree exactly. gguf-py's own files: tests/interop/gguf_py.py.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <sparq/interop/gguf.hpp>
#include <sparq/sparq.hpp>

#include "../support/files.hpp"
#include "../support/gguf_bytes.hpp"

using namespace sparq;
using test::gguf_bytes;

namespace {

constexpr std::uint32_t t_u8 = 0, t_i8 = 1, t_u16 = 2, t_i16 = 3, t_u32 = 4, t_i32 = 5, t_f32 = 6, t_bool = 7,
                        t_str = 8, t_arr = 9, t_u64 = 10, t_i64 = 11, t_f64 = 12;

/// A v3 file: every metadata type, a nested array, alignment 64, an F32 2 x 32 tensor, a Q8_0
/// 3 x 64 tensor and a 1-D F16 tensor of 32.
gguf_bytes good_file(std::vector<std::uint8_t>* q8_out = nullptr) {
  gguf_bytes g;
  g.header(3, 3, 15);
  g.key("general.alignment", t_u32).u32(64);
  g.key("u8", t_u8).u8(200);
  g.key("i8", t_i8).u8(0x80);
  g.key("u16", t_u16).le(65535, 2);
  g.key("i16", t_i16).le(0x8000, 2);
  g.key("u32", t_u32).u32(4000000000u);
  g.key("i32", t_i32).u32(0xFFFFFFFFu);
  g.key("f32", t_f32).f32(0.1f);
  g.key("bool", t_bool).u8(1);
  g.key("general.architecture", t_str).str("llama");
  g.key("u64", t_u64).u64(~std::uint64_t{0});
  g.key("i64", t_i64).u64(static_cast<std::uint64_t>(-5));
  g.key("f64", t_f64).u64(0x400921FB54442D18ull);  // pi
  g.key("tokens", t_arr).u32(t_str).u64(3).str("<s>").str("").str("héllo");
  g.key("nested", t_arr).u32(t_arr).u64(2);
  g.u32(t_i16).u64(2).le(1, 2).le(static_cast<std::uint64_t>(-2), 2);
  g.u32(t_f32).u64(1).f32(2.5f);
  g.tensor("w.f32", {32, 2}, 0, 0);
  g.tensor("w.q8", {64, 3}, 8, 256);
  g.tensor("norm", {32}, 1, 512);
  g.pad(64);
  std::vector<std::uint8_t> data(576, 0);
  for (std::size_t i = 0; i < 64; ++i) {
    float const f = static_cast<float>(i) - 20.0f;
    std::memcpy(data.data() + i * 4, &f, 4);
  }
  std::mt19937 rng(7);
  for (std::size_t i = 256; i < 256 + 6 * 34; ++i) data[i] = static_cast<std::uint8_t>(rng());
  for (std::size_t b = 0; b < 6; ++b) {  // finite float16 scales: 0x2C00 + small = ~0.0625
    data[256 + b * 34] = static_cast<std::uint8_t>(b);
    data[256 + b * 34 + 1] = 0x2C;
  }
  if (q8_out != nullptr) q8_out->assign(data.begin() + 256, data.begin() + 256 + 6 * 34);
  for (std::size_t i = 0; i < 32; ++i) data[512 + 2 * i + 1] = 0x3C;  // float16 1.0 + tiny
  g.raw(data);
  return g;
}

}  // namespace

TEST_CASE("gguf: every metadata type, nested arrays, alignment and tensor views", "[gguf]") {
  std::vector<std::uint8_t> q8;
  gguf_bytes const g = good_file(&q8);
  auto const f = gguf_file::over(g.b.data(), g.b.size());
  CHECK(f.version() == 3);
  CHECK(f.alignment() == 64);
  CHECK(f.data_offset() % 64 == 0);
  REQUIRE(f.metadata().size() == 15);
  CHECK(f.metadata()[1].first == "u8");
  CHECK(f.find("u8")->as_uint() == 200);
  CHECK(f.find("i8")->as_int() == -128);
  CHECK(f.find("u16")->as_uint() == 65535);
  CHECK(f.find("i16")->as_int() == -32768);
  CHECK(f.find("u32")->as_uint() == 4000000000u);
  CHECK(f.find("i32")->as_int() == -1);
  CHECK(f.find("f32")->as_float() == static_cast<double>(0.1f));
  CHECK(f.find("bool")->as_bool());
  CHECK(f.find("general.architecture")->as_string() == "llama");
  CHECK(f.find("u64")->as_uint() == ~std::uint64_t{0});
  CHECK(f.find("i64")->as_int() == -5);
  CHECK(f.find("f64")->as_float() == 3.141592653589793);
  CHECK(f.find("tokens")->strings() == std::vector<std::string>{"<s>", "", "héllo"});
  CHECK(f.find("tokens")->at(2).as_string() == "héllo");
  gguf_value const& nested = *f.find("nested");
  REQUIRE(nested.size() == 2);
  CHECK(nested.element_type() == gguf_type::array);
  CHECK(nested.at(0).at(1).as_int() == -2);
  CHECK(nested.at(1).at(0).as_float() == 2.5);
  CHECK(nested.text() == "[2 x array: [2 x int16: 1 -2] [1 x float32: 2.500000]]");
  CHECK(f.find("missing") == nullptr);
  CHECK_THROWS_WITH(f.find("u64")->as_int(), Catch::Contains("expected an int64"));
  CHECK_THROWS_WITH(f.find("i8")->as_uint(), Catch::Contains("non-negative"));
  CHECK_THROWS_WITH(f.find("tokens")->at(3), Catch::Contains("argument 'i' is 3"));

  REQUIRE(f.tensors().size() == 3);
  gguf_tensor const& w = f.tensor("w.f32");
  CHECK(w.rows() == 2);
  CHECK(w.cols() == 32);
  CHECK(w.type() == ggml::type::f32);
  CHECK(w.data() == g.b.data() + f.data_offset());
  std::vector<float> out(64);
  dequantize(w, matrix_view<float>(out.data(), 2, 32));
  for (std::size_t i = 0; i < 64; ++i) CHECK(out[i] == static_cast<float>(i) - 20.0f);
  gguf_tensor const& norm = f.tensor("norm");
  CHECK(norm.rows() == 1);
  CHECK(norm.cols() == 32);
  CHECK(norm.type_name() == "F16");
  CHECK_THROWS_WITH(f.tensor("nope"), Catch::Contains("argument 'name' is 'nope'"));
  CHECK_THROWS_AS(prepack(w), unsupported);

  gguf_tensor const& q = f.tensor("w.q8");
  CHECK(q.rows() == 3);
  CHECK(q.cols() == 64);
  CHECK(q.bytes() == 6 * 34);
  std::vector<float> v(3 * 64);
  dequantize(q, matrix_view<float>(v.data(), 3, 64));
  for (std::size_t r = 0; r < 3; ++r) {
    for (std::size_t k = 0; k < 64; ++k) {
      std::uint8_t const* blk = q8.data() + (r * 2 + k / 32) * 34;
      std::uint16_t h;
      std::memcpy(&h, blk, 2);
      float const d = static_cast<float>(float16::from_bits(h));
      CHECK(v[r * 64 + k] == static_cast<float>(static_cast<std::int8_t>(blk[2 + k % 32])) * d);
    }
  }
  // The file on disk reads the same.
  std::string const path = test::temp_path("good.gguf");
  test::write_bytes(path, g.b);
  auto const fd = gguf_file::open(path);
  CHECK(fd.tensor("w.q8").bytes() == q.bytes());
  CHECK(std::memcmp(fd.tensor("w.q8").data(), q.data(), q.bytes()) == 0);
  std::remove(path.c_str());
}

TEST_CASE("gguf: every truncation of a valid file is rejected with file_error", "[gguf][hostile]") {
  gguf_bytes const g = good_file();
  auto const f = gguf_file::over(g.b.data(), g.b.size());
  std::size_t const end_of_data = f.data_offset() + 512 + 64;
  for (std::size_t n = 0; n < end_of_data; ++n) {
    std::vector<std::uint8_t> const cut(g.b.begin(), g.b.begin() + static_cast<std::ptrdiff_t>(n));
    INFO("truncated to " << n << " bytes");
    CHECK_THROWS_AS(gguf_file::over(cut.data(), cut.size()), file_error);
  }
}

namespace {
std::string error_of(gguf_bytes const& g) {
  try {
    gguf_file::over(g.b.data(), g.b.size());
  } catch (file_error const& e) {
    return e.what();
  }
  return "no error";
}
}  // namespace

TEST_CASE("gguf: hostile headers name the field", "[gguf][hostile]") {
  CHECK_THAT(error_of(gguf_bytes().u32(0x46554746).u32(3)), Catch::Contains("not a GGUF file"));
  CHECK_THAT(error_of(gguf_bytes().header(1, 0, 0)), Catch::Contains("version 1 is not supported"));
  CHECK_THAT(error_of(gguf_bytes().header(0x03000000u, 0, 0)), Catch::Contains("big-endian"));
  CHECK_THAT(error_of(gguf_bytes().header(4, 0, 0)), Catch::Contains("version 4"));
  CHECK_THAT(error_of(gguf_bytes().header(3, ~std::uint64_t{0}, 0)), Catch::Contains("tensor_count"));
  CHECK_THAT(error_of(gguf_bytes().header(3, 0, 1ull << 60)), Catch::Contains("metadata_kv_count"));
  gguf_bytes huge_str;
  huge_str.header(3, 0, 1).u64(~std::uint64_t{0} - 3).u32(0).u64(0);
  CHECK_THAT(error_of(huge_str), Catch::Contains("runs past the end"));
  gguf_bytes huge_arr;
  huge_arr.header(3, 0, 1).key("a", t_arr).u32(t_u64).u64(1ull << 61);
  CHECK_THAT(error_of(huge_arr), Catch::Contains("array length"));
  gguf_bytes bad_type;
  bad_type.header(3, 0, 1).key("a", 13).u32(0);
  CHECK_THAT(error_of(bad_type), Catch::Contains("value type 13"));
  gguf_bytes bad_bool;
  bad_bool.header(3, 0, 1).key("b", t_bool).u8(2);
  CHECK_THAT(error_of(bad_bool), Catch::Contains("expected 0 or 1"));
  gguf_bytes deep;
  deep.header(3, 0, 1).key("d", t_arr);
  for (int i = 0; i < 20; ++i) deep.u32(t_arr).u64(1);
  deep.u32(t_u8).u64(0);
  CHECK_THAT(error_of(deep), Catch::Contains("nested deeper"));
  gguf_bytes dup;
  dup.header(3, 0, 2).key("k", t_u8).u8(1).key("k", t_u8).u8(2);
  CHECK_THAT(error_of(dup), Catch::Contains("appears twice"));
  gguf_bytes align;
  align.header(3, 0, 1).key("general.alignment", t_u32).u32(48);
  CHECK_THAT(error_of(align), Catch::Contains("power of two"));
  gguf_bytes align_type;
  align_type.header(3, 0, 1).key("general.alignment", t_u64).u64(32);
  CHECK_THAT(error_of(align_type), Catch::Contains("general.alignment"));

  auto one_tensor = [](std::vector<std::uint64_t> dims, std::uint32_t type, std::uint64_t offset, std::size_t data) {
    gguf_bytes g;
    g.header(3, 1, 0).tensor("t", dims, type, offset).pad(32);
    g.raw(std::vector<std::uint8_t>(data, 0));
    return g;
  };
  CHECK(error_of(one_tensor({32, 2}, 8, 0, 68)) == "no error");
  CHECK_THAT(error_of(one_tensor({32, 2}, 8, 0, 67)), Catch::Contains("run past the end"));
  CHECK_THAT(error_of(one_tensor({32, 2}, 8, 32, 68)), Catch::Contains("run past the end"));
  CHECK_THAT(error_of(one_tensor({32, 2}, 8, 16, 200)), Catch::Contains("not a multiple of the alignment"));
  CHECK_THAT(error_of(one_tensor({32, 2}, 5, 0, 200)), Catch::Contains("type 5 is not a ggml type"));
  CHECK_THAT(error_of(one_tensor({33, 2}, 8, 0, 200)), Catch::Contains("not a multiple of Q8_0's block of 32"));
  CHECK_THAT(error_of(one_tensor({1ull << 40, 1ull << 40}, 0, 0, 0)), Catch::Contains("overflows"));
  CHECK_THAT(error_of(one_tensor({}, 0, 0, 0)), Catch::Contains("0 dimensions"));
  CHECK_THAT(error_of(one_tensor({1, 1, 1, 1, 1}, 0, 0, 0)), Catch::Contains("5 dimensions"));
  CHECK_THAT(error_of(one_tensor({~std::uint64_t{0}}, 0, 0, 0)), Catch::Contains("too large"));
  gguf_bytes two;
  two.header(3, 2, 0).tensor("t", {1}, 0, 0).tensor("t", {1}, 0, 32).pad(32).raw(std::vector<std::uint8_t>(64));
  CHECK_THAT(error_of(two), Catch::Contains("appears twice"));
  // A type sparq does not multiply with reads (its size is known) and is refused by the kernels.
  gguf_bytes q5 = one_tensor({32, 1}, 6, 0, 22);
  auto const f = gguf_file::over(q5.b.data(), q5.b.size());
  std::vector<float> out(32);
  CHECK_THROWS_WITH(dequantize(f.tensor("t"), matrix_view<float>(out.data(), 1, 32)),
                    Catch::Contains("tensor 't' is Q5_0, which sparq does not read"));
  // K-quants multiply in exact mode only, and do not prepack.
  gguf_bytes q4k = one_tensor({256, 1}, 12, 0, 144);
  auto const fk = gguf_file::over(q4k.b.data(), q4k.b.size());
  std::vector<float> a(256, 1.0f), c(1, 7.0f);
  gemm_options o;
  o.mode = compute_mode::int8_activations;
  CHECK_THROWS_WITH(gemm(matrix_view<float const>(a.data(), 1, 256), fk.tensor("t"), matrix_view<float>(c.data(), 1, 1), o),
                    Catch::Contains("compute_mode::int8_activations needs weight codes with an int8 image"));
  CHECK(c[0] == 7.0f);
  CHECK_THROWS_WITH(prepack(fk.tensor("t")), Catch::Contains("no sparq layout holds exactly"));
  CHECK_THROWS_WITH(gguf_file::open("/nonexistent/x.gguf"), Catch::Contains("cannot open"));
}

namespace {

/// The values of a ggml block matrix, as ggml defines them (independent of layout/ggml_blocks.hpp):
/// a canonical sparq matrix of Block::format holding the same codes and scales.
template <class Block>
quantized_matrix<typename Block::format> canonical_of(std::vector<std::uint8_t> const& blocks, std::size_t n,
                                                      std::size_t k) {
  using F = typename Block::format;
  using E = typename F::element;
  quantized_matrix<F> m(n, k);
  std::size_t const nb = k / 32;
  for (std::size_t r = 0; r < n; ++r) {
    std::vector<E> codes(k);
    for (std::size_t b = 0; b < nb; ++b) {
      std::uint8_t const* p = blocks.data() + (r * nb + b) * Block::bytes;
      for (std::size_t u = 0; u < 32; ++u) {
        unsigned bits;
        if (Block::id == ggml::type::q8_0) {
          bits = p[2 + u];
        } else {
          std::size_t const at = Block::id == ggml::type::q4_0 ? 2 : 1;
          unsigned const q = u < 16 ? p[at + u] & 15u : p[at + u - 16] >> 4;
          bits = Block::id == ggml::type::q4_0 ? (q + 8) & 15u : q;  // Q4_0: q - 8 as a 4-bit code
        }
        codes[b * 32 + u] = E::from_bits(bits);
      }
      typename F::scale_type s;
      if constexpr (Block::id == ggml::type::mxfp4) {
        s = float8_e8m0fnu::from_bits(p[0]);
      } else {
        std::uint16_t h;
        std::memcpy(&h, p, 2);
        s = float16::from_bits(h);
      }
      m.scales()[r * nb + b] = s;
    }
    pack(codes.data(), k, m.code_row(r));
  }
  return m;
}

template <class Block>
void check_block_layout(unsigned seed) {
  std::mt19937 rng(seed);
  std::size_t const n = 37, k = 160;
  std::vector<std::uint8_t> blocks(n * k / 32 * Block::bytes);
  for (auto& x : blocks) x = static_cast<std::uint8_t>(rng());
  for (std::size_t i = 0; i < n * k / 32; ++i) {  // finite scales of ggml's ranges
    std::uint8_t* p = blocks.data() + i * Block::bytes;
    if (Block::id == ggml::type::mxfp4) {
      p[0] = static_cast<std::uint8_t>(100 + rng() % 50);
    } else {
      p[1] = static_cast<std::uint8_t>(0x10 + rng() % 0x30);  // exponent bits 4..15: normal, finite
    }
  }
  ggml_matrix_view<Block> const view(blocks.data(), n, k);
  auto const canon = canonical_of<Block>(blocks, n, k);
  std::vector<float> dv(n * k), dc(n * k);
  dequantize(view, matrix_view<float>(dv.data(), n, k));
  dequantize(canon, matrix_view<float>(dc.data(), n, k));
  CHECK(dv == dc);
  if (Block::id == ggml::type::mxfp4) {  // ggml reads E2M1's -0 (code 8) as +0
    for (std::size_t x = 0; x < n * k; ++x) {
      if (dv[x] == 0.0f) CHECK_FALSE(std::signbit(dv[x]));
    }
  }
  auto const packed = prepack(view);
  for (std::size_t m : {std::size_t{1}, std::size_t{5}}) {
    std::vector<float> a(m * k);
    for (auto& x : a) x = std::uniform_real_distribution<float>(-2.0f, 2.0f)(rng);
    matrix_view<float const> const av(a.data(), m, k);
    for (auto mode : {compute_mode::exact, compute_mode::int8_activations}) {
      gemm_options o;
      o.mode = mode;
      std::vector<float> cv(m * n), cc(m * n), cp(m * n);
      // The same kernels (this file's own arch) on the three layouts: the same results.
      gemm<default_arch>(av, view, matrix_view<float>(cv.data(), m, n), o);
      gemm<default_arch>(av, canon, matrix_view<float>(cc.data(), m, n), o);
      gemm<default_arch>(av, packed, matrix_view<float>(cp.data(), m, n), o);
      INFO("M = " << m << ", mode " << static_cast<int>(mode));
      CHECK(cv == cc);
      CHECK(cp == cc);
      // The default entry (the runtime library's arch for the prepacked matrix, where it holds
      // it): within float rounding of the same products.
      gemm(av, view, matrix_view<float>(cv.data(), m, n), o);
      gemm(av, packed, matrix_view<float>(cp.data(), m, n), o);
      for (std::size_t x = 0; x < m * n; ++x) {
        CHECK(std::fabs(cv[x] - cc[x]) <= 1e-4f * (1.0f + std::fabs(cc[x])));
        CHECK(std::fabs(cp[x] - cc[x]) <= 1e-4f * (1.0f + std::fabs(cc[x])));
      }
    }
  }
  CHECK_THROWS_WITH(ggml_matrix_view<Block>(blocks.data(), n, 33), Catch::Contains("argument 'cols' is 33"));
  CHECK_THROWS_WITH(ggml_matrix_view<Block>(blocks.data(), n, 64, 10), Catch::Contains("argument 'row_stride'"));
}

}  // namespace

TEST_CASE("ggml Q8_0 blocks read as int8_group<32, float16> values, every path", "[gguf][ggml]") {
  check_block_layout<ggml::q8_0>(1);
}
TEST_CASE("ggml Q4_0 blocks read as int4_group<32, float16> values, every path", "[gguf][ggml]") {
  check_block_layout<ggml::q4_0>(2);
}
TEST_CASE("ggml MXFP4 blocks read as mxfp4 values, every path", "[gguf][ggml]") {
  check_block_layout<ggml::mxfp4>(3);
}

TEST_CASE("gguf_writer: what it writes reads back (metadata, blocks, sparq formats, plain)", "[gguf][writer]") {
  gguf_writer w(64);
  w.add("general.architecture", gguf_value::make_string("llama"));
  w.add("u16", gguf_value::make_uint(gguf_type::uint16, 65535));
  w.add("i8", gguf_value::make_int(gguf_type::int8, -128));
  w.add("f32", gguf_value::make_float(gguf_type::float32, 0.1));
  w.add("f64", gguf_value::make_float(gguf_type::float64, 0.1));
  w.add("yes", gguf_value::make_bool(true));
  w.add("tokens", gguf_value::make_strings({"a", "", "b"}));
  w.add("nested", gguf_value::make_array(gguf_type::array,
                                         {gguf_value::make_array(gguf_type::int32, {gguf_value::make_int(gguf_type::int32, -7)}),
                                          gguf_value::make_array(gguf_type::uint8, {})}));
  CHECK_THROWS_WITH(w.add("u16", gguf_value::make_bool(false)), Catch::Contains("added before"));
  CHECK_THROWS_WITH(gguf_value::make_uint(gguf_type::uint8, 256), Catch::Contains("256 is not a value of type uint8"));
  CHECK_THROWS_WITH(gguf_value::make_int(gguf_type::int16, 40000), Catch::Contains("not a value of type int16"));
  CHECK_THROWS_AS(gguf_value::make_array(gguf_type::int8, {gguf_value::make_bool(true)}), invalid_argument);

  std::size_t const n = 5, k = 64;
  std::mt19937 rng(9);
  std::vector<float> wf(n * k);
  for (auto& x : wf) x = std::normal_distribution<float>(0.0f, 1.0f)(rng);
  matrix_view<float const> const wv(wf.data(), n, k);
  auto const q4 = ggml::quantize<ggml::q4_0>(wv);
  auto const i8 = quantize<int8_group<32, float16>>(wv);
  auto const mx = quantize<mxfp4>(wv);
  w.add_tensor("q4", q4);
  w.add_tensor("i8", i8);
  w.add_tensor("mx", mx);
  w.add_tensor("f32", wv);
  CHECK_THROWS_WITH(w.add_tensor("f32", wv), Catch::Contains("added before"));
  std::uint8_t junk[10] = {};
  CHECK_THROWS_WITH(w.add_tensor("bad", ggml::type::q8_0, {32, 1}, junk, 10), Catch::Contains("expected 34"));

  std::vector<std::uint8_t> const bytes = w.bytes();
  auto const f = gguf_file::over(bytes.data(), bytes.size());
  CHECK(f.alignment() == 64);
  CHECK(f.find("general.architecture")->as_string() == "llama");
  CHECK(f.find("u16")->as_uint() == 65535);
  CHECK(f.find("i8")->as_int() == -128);
  CHECK(f.find("f32")->as_float() == static_cast<double>(0.1f));
  CHECK(f.find("f64")->as_float() == 0.1);
  CHECK(f.find("yes")->as_bool());
  CHECK(f.find("tokens")->strings() == std::vector<std::string>{"a", "", "b"});
  CHECK(f.find("nested")->at(0).at(0).as_int() == -7);
  CHECK(f.find("nested")->at(1).size() == 0);
  for (auto const& t : f.tensors()) CHECK(t.offset() % 64 == 0);

  std::vector<float> got(n * k), want(n * k);
  dequantize(f.tensor("q4"), matrix_view<float>(got.data(), n, k));
  dequantize(q4.view(), matrix_view<float>(want.data(), n, k));
  CHECK(got == want);
  CHECK(std::memcmp(f.tensor("q4").data(), q4.data(), q4.bytes()) == 0);
  dequantize(f.tensor("i8"), matrix_view<float>(got.data(), n, k));
  dequantize(i8, matrix_view<float>(want.data(), n, k));
  CHECK(got == want);
  CHECK(f.tensor("i8").type() == ggml::type::q8_0);
  dequantize(f.tensor("mx"), matrix_view<float>(got.data(), n, k));
  dequantize(mx, matrix_view<float>(want.data(), n, k));
  CHECK(got == want);
  dequantize(f.tensor("f32"), matrix_view<float>(got.data(), n, k));
  CHECK(got == wf);
  CHECK(f.tensor("f32").dims() == std::vector<std::uint64_t>{k, n});

  // ggml's quantizers take finite values only.
  wf[7] = std::nanf("");
  CHECK_THROWS_WITH(ggml::quantize<ggml::q8_0>(wv), Catch::Contains("argument 'w' holds nan at (0, 7)"));
  CHECK_THROWS_WITH(gguf_writer(48), Catch::Contains("argument 'alignment' is 48"));
}

TEST_CASE("ggml blocks: the codes in sparq's packing equal the codes read one by one", "[gguf][ggml]") {
  std::mt19937 rng(4);
  auto check = [&](auto block) {
    using B = decltype(block);
    std::size_t mismatches = 0;
    for (int trial = 0; trial < 20000; ++trial) {
      std::uint8_t q[32], out[32];
      for (auto& x : q) x = static_cast<std::uint8_t>(rng());
      if (trial < 16) std::memset(q, trial * 0x11, sizeof q);  // every nibble value in every position
      B::canonical_codes(q, out);
      for (std::size_t u = 0; u < B::chunk_values; ++u) {
        unsigned const got = B::split ? (out[u / 2] >> (4 * (u % 2))) & 0x0Fu : out[u];
        unsigned const want = static_cast<unsigned>(B::code(q, u).bits());
        if (got != want && mismatches++ == 0) {
          UNSCOPED_INFO("first mismatch: trial " << trial << " value " << u << ": " << got << " vs " << want);
        }
      }
    }
    CHECK(mismatches == 0);
  };
  check(ggml::q8_0{});
  check(ggml::q4_0{});
  check(ggml::mxfp4{});
  check(ggml::nvfp4{});
}

TEST_CASE("ggml Q4_1 and K-quants: the SIMD decode gives the scalar values bit for bit", "[gguf][ggml]") {
  std::mt19937 rng(6);
  auto check = [&](auto block) {
    using B = decltype(block);
    std::size_t const n = 3, k = 2 * B::values;
    std::vector<std::uint8_t> bytes(n * (k / B::values) * B::bytes);
    for (auto& x : bytes) x = static_cast<std::uint8_t>(rng());
    for (std::size_t i = 0; i < bytes.size(); i += B::bytes) {  // finite float16 d (and dmin, m)
      std::uint8_t* p = bytes.data() + i;
      std::size_t const at = B::id == ggml::type::q6_k ? 208 : 0;
      p[at + 1] = static_cast<std::uint8_t>((p[at + 1] & 0x83u) | 0x10u);
      if (B::id != ggml::type::q6_k) p[3] = static_cast<std::uint8_t>((p[3] & 0x83u) | 0x10u);
    }
    ggml_matrix_view<B> const view(bytes.data(), n, k);
    auto const src = make_weight_source(view);
    std::size_t mismatches = 0;
    for (std::size_t r = 0; r < n; ++r) {
      for (std::size_t c = 0; c < k / 32; ++c) {
        float want[32];
        src.values(r, c, want);
#if SPARQ_SIMD
        using batch = kernel::simd::fbatch<default_arch>;
        batch lanes[32 / batch::size];
        src.template decode<default_arch>(r, c, lanes);
        alignas(64) float got[32];
        for (std::size_t j = 0; j < 32 / batch::size; ++j) lanes[j].store_aligned(got + j * batch::size);
        mismatches += static_cast<std::size_t>(std::memcmp(got, want, sizeof got) != 0);
#endif
      }
    }
    CHECK(mismatches == 0);
  };
  check(ggml::q4_1{});
  check(ggml::q4_k{});
  check(ggml::q5_k{});
  check(ggml::q6_k{});
}
