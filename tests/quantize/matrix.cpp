// SPDX-License-Identifier: Apache-2.0
// Matrix quantization: equals the block reference row by row, handles K off the block size,
// gives the same bytes under every executor, reproducible stochastic rounding, SNR bands derived
// from element precision, and the error metrics on hand-computed examples.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include <sparq/quantize/metrics.hpp>
#include <sparq/quantize/quantize.hpp>

using namespace sparq;

namespace {

std::vector<float> gaussian(std::size_t n, unsigned seed, float sigma = 1.0f) {
  std::vector<float> x(n);
  std::mt19937 g(seed);
  std::normal_distribution<float> d(0.0f, sigma);
  for (auto& v : x) v = d(g);
  return x;
}

bool same_memory(void const* a, void const* b, std::size_t n) {
  return n == 0 || std::memcmp(a, b, n) == 0;  // memcmp takes no null pointers, even for 0 bytes
}

template <class F>
bool same_bytes(quantized_matrix<F> const& a, quantized_matrix<F> const& b) {
  auto va = a.view(), vb = b.view();
  return a.code_bytes() == b.code_bytes() && a.zero_bytes() == b.zero_bytes() &&
         same_memory(va.codes(), vb.codes(), a.code_bytes()) &&
         same_memory(va.scales(), vb.scales(), a.scale_bytes()) &&
         same_memory(va.zeros(), vb.zeros(), a.zero_bytes()) && a.tensor_decode() == b.tensor_decode();
}

template <class F>
double snr_of(std::vector<float> const& w, std::size_t n, std::size_t k) {
  matrix_view<float const> const in{w.data(), n, k};
  auto const q = quantize<F>(in);
  std::vector<float> d(n * k);
  dequantize(q, matrix_view<float>{d.data(), n, k});
  return compare(in, matrix_view<float const>{d.data(), n, k}).snr_db;
}

}  // namespace

TEMPLATE_TEST_CASE("matrix quantization equals the block reference row by row", "[quantize]", mxfp4, mxfp6_e3m2,
                   mxfp8_e4m3, mxint8, nvfp4, int4_group<32>, (uint4_group_zp<64, float>)) {
  using BF = TestType;
  using E = typename BF::element;
  std::size_t const n = 5, k = 3 * BF::block_size + 7;  // a zero-padded last block
  std::vector<float> w = gaussian(n * k, 3);
  w[9] = 40.0f;  // an outlier
  auto const q = quantize<BF>(matrix_view<float const>{w.data(), n, k});
  auto const v = q.view();
  REQUIRE(v.blocks_per_row() == 4);
  REQUIRE(v.padded_cols() == 4 * static_cast<std::size_t>(BF::block_size));
  tensor_scale tensor;
  if (BF::has_tensor_scale) tensor = tensor_scale::nvfp4(40.0f);
  CHECK(v.tensor_decode() == tensor.decode);
  for (std::size_t r = 0; r < n; ++r) {
    std::vector<float> x(v.padded_cols(), 0.0f);
    std::copy(w.begin() + static_cast<std::ptrdiff_t>(r * k), w.begin() + static_cast<std::ptrdiff_t>((r + 1) * k),
              x.begin());
    std::vector<E> want(v.padded_cols()), got(v.padded_cols());
    unpack(v.code_row(r), v.padded_cols(), got.data());
    for (std::size_t b = 0; b < 4; ++b) {
      auto const s = quantize_block<BF>(x.data() + b * BF::block_size, BF::block_size,
                                        want.data() + b * BF::block_size, tensor);
      CHECK(std::memcmp(&s.scale, &v.scale_row(r)[b], sizeof(s.scale)) == 0);
      if constexpr (BF::has_zero_point) {
        std::vector<E> zeros(4);
        unpack(v.zero_row(r), 4, zeros.data());
        CHECK(zeros[b].bits() == s.zero);
      }
    }
    for (std::size_t c = 0; c < want.size(); ++c) REQUIRE(got[c].bits() == want[c].bits());
  }
}

TEMPLATE_TEST_CASE("the vectorized quantizer equals the scalar reference bit for bit", "[quantize]", mxfp8_e4m3,
                   mxfp8_e5m2, mxfp6_e2m3, mxfp6_e3m2, mxfp4, (mx_block<float4_e2m1fn, scale_rule::round_up>),
                   (mx_block<float6_e3m2fn, scale_rule::ceil>), mxint8, nvfp4, int8_group<32>,
                   (int4_group<64, bfloat16>), uint4_group_zp<128>, float8_e4m3fn, int4, float16, fp8_group<128>,
                   (fp8_group<32, float8_e5m2>)) {
  using F = TestType;
  std::size_t const n = 24, k = 300;
  std::vector<float> w = gaussian(n * k, 23);
  for (std::size_t i = 0; i < w.size(); i += 97) w[i] *= 1e4f;  // outliers
  for (std::size_t c = 0; c < k; ++c) w[1 * k + c] = 0.0f;      // a zero row
  for (std::size_t c = 0; c < k; ++c) w[2 * k + c] *= 1e-38f;   // float32 subnormals
  w[3 * k + 5] = std::numeric_limits<float>::quiet_NaN();
  w[4 * k + 200] = -std::numeric_limits<float>::infinity();
  w[5 * k + 7] = 3e38f;
  matrix_view<float const> const in{w.data(), n, k};
  for (bool stochastic : {false, true}) {
    quantize_options o;
    o.stochastic = stochastic;
    o.seed = 77;
    auto const fast = quantize<F>(in, o, thread_executor{2});
    auto const ref = quantize_reference<F>(in, o);
    REQUIRE(same_bytes(fast, ref));
    std::vector<float> a(n * k), b(n * k);
    dequantize(fast, matrix_view<float>{a.data(), n, k});
    dequantize_reference(ref.view(), matrix_view<float>{b.data(), n, k});
    REQUIRE(std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
  }
}

TEMPLATE_TEST_CASE("every executor gives the same bytes", "[quantize]", mxfp4, nvfp4, int8_group<128>, float8_e4m3fn) {
  using F = TestType;
  std::size_t const n = 37, k = 256;
  std::vector<float> const w = gaussian(n * k, 5);
  matrix_view<float const> const in{w.data(), n, k};
  auto const serial = quantize<F>(in);
  auto const threads = quantize<F>(in, {}, thread_executor{2});
  function_executor const pool{[](std::size_t count, std::function<void(std::size_t)> const& fn) {
    for (std::size_t i = count; i-- > 0;) fn(i);  // any order
  }};
  auto const custom = quantize<F>(in, {}, pool);
  thread_pool const persistent(2);
  CHECK(same_bytes(serial, threads));
  CHECK(same_bytes(serial, custom));
  for (int round = 0; round < 3; ++round) CHECK(same_bytes(serial, quantize<F>(in, {}, persistent)));
  std::vector<float> a(n * k), b(n * k);
  dequantize(serial, matrix_view<float>{a.data(), n, k});
  dequantize(serial, matrix_view<float>{b.data(), n, k}, thread_executor{2});
  CHECK(a == b);
}

TEST_CASE("stochastic quantization is reproducible from its seed", "[quantize]") {
  std::size_t const n = 8, k = 64;
  std::vector<float> const w = gaussian(n * k, 9);
  matrix_view<float const> const in{w.data(), n, k};
  quantize_options o;
  o.stochastic = true;
  o.seed = 42;
  auto const a = quantize<mxfp4>(in, o), b = quantize<mxfp4>(in, o, thread_executor{2});
  CHECK(same_bytes(a, b));
  o.seed = 43;
  auto const c = quantize<mxfp4>(in, o);
  CHECK_FALSE(same_bytes(a, c));
  CHECK_FALSE(same_bytes(a, quantize<mxfp4>(in)));
}

TEST_CASE("element formats carry a per-row or per-tensor float scale", "[quantize]") {
  std::vector<float> w = {1.0f, -2.0f, 0.5f, 448.0f, 10.0f, -896.0f};
  matrix_view<float const> const in{w.data(), 2, 3};
  auto const row = quantize<float8_e4m3fn>(in);
  CHECK(row.view().scale_row(0)[0] == 2.0f / 448.0f);
  CHECK(row.view().scale_row(1)[0] == 2.0f);
  quantize_options o;
  o.granularity = element_scale::per_tensor;
  auto const tensor = quantize<float8_e4m3fn>(in, o);
  CHECK(tensor.view().scale_row(0)[0] == 2.0f);
  CHECK(tensor.view().scale_row(1)[0] == 2.0f);
  std::vector<float> d(6);
  dequantize(row, matrix_view<float>{d.data(), 2, 3});
  CHECK(d[4] == 10.0f);
  CHECK(d[5] == -896.0f);
  auto const b = quantize<bfloat16>(in);  // activation formats are stored unscaled
  CHECK(b.view().scale_row(1)[0] == 1.0f);
}

TEST_CASE("bfloat16 input quantizes like its float values", "[quantize]") {
  std::vector<float> const w = gaussian(4 * 96, 13);
  std::vector<bfloat16> wb(w.size());
  convert_n(w.data(), w.size(), wb.data());
  std::vector<float> wf(w.size());
  convert_n(wb.data(), wb.size(), wf.data());
  auto const a = quantize<mxfp6_e2m3>(matrix_view<bfloat16 const>{wb.data(), 4, 96});
  auto const b = quantize<mxfp6_e2m3>(matrix_view<float const>{wf.data(), 4, 96});
  CHECK(same_bytes(a, b));
}

TEST_CASE("dequantize writes only the matrix and rejects a wrong shape untouched", "[quantize]") {
  std::vector<float> const w = gaussian(3 * 40, 17);
  auto const q = quantize<mxfp8_e5m2>(matrix_view<float const>{w.data(), 3, 40});
  std::vector<float> out(3 * 50, -7.0f);
  dequantize(q, matrix_view<float>{out.data(), 3, 40, 50});
  for (std::size_t r = 0; r < 3; ++r) {
    for (std::size_t c = 40; c < 50; ++c) CHECK(out[r * 50 + c] == -7.0f);
    CHECK(out[r * 50] != -7.0f);
  }
  std::vector<float> small(2 * 40, -7.0f);
  CHECK_THROWS_WITH(dequantize(q, matrix_view<float>{small.data(), 2, 40}),
                    Catch::Contains("'out' is 2 x 40, expected 3 x 40"));
  for (float v : small) CHECK(v == -7.0f);
  matrix_view<float> const bad(out.data(), 3, 40, 30);  // ld < cols: rejected where it is used
  CHECK_FALSE(bad.valid());
  CHECK_THROWS_WITH(dequantize(q, bad), Catch::Contains("sparq::dequantize: argument 'out' (a 3 x 40 view): ld is 30, "
                                                        "expected at least cols = 40"));
  CHECK_THROWS_WITH(compare(matrix_view<float const>{nullptr, 2, 2}, matrix_view<float const>{out.data(), 2, 2}),
                    Catch::Contains("argument 'x' (a 2 x 2 view): data is null"));
}

TEST_CASE("SNR on a Gaussian matrix sits in the band its element precision predicts", "[quantize]") {
  // Quantization noise of m explicit mantissa bits (m + 1 significant bits) with a well-chosen
  // scale: about 6.02 dB per bit. Bands: measured value +-2 dB, the order checked separately.
  static_assert(float8_e4m3fn::spec::man_bits == 3 && float4_e2m1fn::spec::man_bits == 1, "update the bands");
  std::size_t const n = 128, k = 1024;
  std::vector<float> const w = gaussian(n * k, 21, 0.02f);
  double const e4m3 = snr_of<mxfp8_e4m3>(w, n, k), e5m2 = snr_of<mxfp8_e5m2>(w, n, k);
  double const e2m3 = snr_of<mxfp6_e2m3>(w, n, k), e3m2 = snr_of<mxfp6_e3m2>(w, n, k);
  double const fp4 = snr_of<mxfp4>(w, n, k), i8 = snr_of<mxint8>(w, n, k), nv = snr_of<nvfp4>(w, n, k);
  double const g8 = snr_of<int8_group<32>>(w, n, k), g4 = snr_of<int4_group<32>>(w, n, k);
  CHECK(e4m3 == Approx(30.6).margin(2.0));
  CHECK(e5m2 == Approx(25.4).margin(2.0));
  CHECK(e2m3 == Approx(31.1).margin(2.0));
  CHECK(e3m2 == Approx(25.4).margin(2.0));
  CHECK(fp4 == Approx(18.9).margin(2.0));
  CHECK(i8 == Approx(42.4).margin(2.0));
  CHECK(nv == Approx(20.4).margin(2.0));
  CHECK(g8 == Approx(45.4).margin(2.0));
  CHECK(g4 == Approx(20.3).margin(2.0));
  CHECK(e4m3 > fp4 + 10.0);  // two mantissa bits apart
  CHECK(e4m3 > e5m2 + 4.0);  // one mantissa bit apart
  CHECK(nv > fp4);           // smaller blocks and a finer scale
}

TEST_CASE("error metrics on hand-computed examples", "[quantize]") {
  float const x[2] = {1.0f, 0.0f}, y[2] = {0.5f, 0.0f}, z[2] = {0.0f, 1.0f};
  auto const m = compare(matrix_view<float const>{x, 1, 2}, matrix_view<float const>{y, 1, 2});
  CHECK(m.snr_db == Approx(6.0206).epsilon(1e-4));
  CHECK(m.relative_frobenius == 0.5);
  CHECK(m.max_abs == 0.5);
  CHECK(m.cosine == 1.0);
  auto const same = compare(matrix_view<float const>{x, 1, 2}, matrix_view<float const>{x, 1, 2});
  CHECK(std::isinf(same.snr_db));
  CHECK(same.relative_frobenius == 0.0);
  CHECK(compare(matrix_view<float const>{x, 1, 2}, matrix_view<float const>{z, 1, 2}).cosine == 0.0);
  CHECK_THROWS_AS(compare(matrix_view<float const>{x, 1, 2}, matrix_view<float const>{x, 2, 1}), invalid_argument);
}

TEST_CASE("the owning matrix is 64-byte aligned and a view over copied bytes reads the same", "[quantize]") {
  std::size_t const n = 6, k = 100;
  std::vector<float> const w = gaussian(n * k, 31);
  auto const q = quantize<uint4_group_zp<32, float>>(matrix_view<float const>{w.data(), n, k});
  auto const v = q.view();
  CHECK(reinterpret_cast<std::uintptr_t>(v.codes()) % 64 == 0);
  CHECK(reinterpret_cast<std::uintptr_t>(v.scales()) % 64 == 0);
  CHECK(reinterpret_cast<std::uintptr_t>(v.zeros()) % 64 == 0);
  CHECK(q.code_bytes() == n * v.code_row_bytes());
  CHECK(v.code_row_bytes() == 64);  // 128 padded columns of 4 bits
  CHECK(q.scale_bytes() == n * 4 * sizeof(float));
  CHECK(q.zero_bytes() == n * 2);   // 4 zero points of 4 bits per row
  // An engine's own buffers (e.g. read back from a file) viewed without copying.
  std::vector<std::uint8_t> codes(v.codes(), v.codes() + q.code_bytes()), zeros(v.zeros(), v.zeros() + q.zero_bytes());
  std::vector<float> scales(v.scales(), v.scales() + n * 4);
  quantized_matrix_view<uint4_group_zp<32, float>> const mine(codes.data(), scales.data(), zeros.data(), n, k);
  std::vector<float> a(n * k), b(n * k);
  dequantize(q, matrix_view<float>{a.data(), n, k});
  dequantize(mine, matrix_view<float>{b.data(), n, k});
  CHECK(a == b);
  CHECK_THROWS_AS((quantized_matrix_view<mxfp4>(nullptr, nullptr, nullptr, 2, 32)), invalid_argument);
}

namespace {

/// The message of the invalid_argument that building the view throws ("" when none).
template <class F>
std::string view_error(std::uint8_t const* codes, typename quantized_matrix_view<F>::scale_type const* scales,
                       std::uint8_t const* zeros, std::size_t rows, std::size_t cols, float tensor = 1.0f) {
  try {
    (void)quantized_matrix_view<F>(codes, scales, zeros, rows, cols, tensor);
  } catch (invalid_argument const& e) {
    return e.what();
  }
  return "";
}

/// A copy of q's bytes with scale `index` replaced by `bad`: the view over it is rejected with a
/// message naming the row and block, the trusted view is not, and q's own view still works.
template <class F>
void check_bad_scale(quantized_matrix<F> const& q, std::size_t index, typename quantized_matrix_view<F>::scale_type bad,
                     char const* printed) {
  using scale = typename quantized_matrix_view<F>::scale_type;
  auto const v = q.view();
  std::vector<std::uint8_t> codes(v.codes(), v.codes() + q.code_bytes()), zeros(v.zeros(), v.zeros() + q.zero_bytes());
  std::vector<scale> scales(v.scales(), v.scales() + q.scale_bytes() / sizeof(scale));
  std::uint8_t const* z = zeros.empty() ? nullptr : zeros.data();
  CHECK(view_error<F>(codes.data(), scales.data(), z, q.rows(), q.cols(), v.tensor_decode()).empty());
  scales[index] = bad;
  std::string const row = std::to_string(index / v.blocks_per_row()), block = std::to_string(index % v.blocks_per_row());
  std::string const what = view_error<F>(codes.data(), scales.data(), z, q.rows(), q.cols(), v.tensor_decode());
  INFO(what);
  CHECK(what.find("the scale of row " + row + ", block " + block + " is " + printed +
                  ", expected a finite non-negative number") != std::string::npos);
  CHECK(quantized_matrix_view<F>(trusted_scales, codes.data(), scales.data(), z, q.rows(), q.cols(), v.tensor_decode()).rows() ==
        q.rows());
}

}  // namespace

TEST_CASE("quantized_matrix_view over untrusted bytes: NaN, infinite and negative scales are rejected", "[quantize][hostile]") {
  std::size_t const n = 3, k = 200;  // K off every block size: the padded last block's scale is checked too
  std::vector<float> const w = gaussian(n * k, 41);
  matrix_view<float const> const wv{w.data(), n, k};
  auto const mx = quantize<mxfp4>(wv);
  check_bad_scale(mx, 5, float8_e8m0fnu::from_bits(0xFF), "nan");
  check_bad_scale(mx, mx.scale_bytes() - 1, float8_e8m0fnu::from_bits(0xFF), "nan");
  auto const nv = quantize<nvfp4>(wv);
  check_bad_scale(nv, 3, float8_e4m3fn::from_bits(0x7F), "nan");
  check_bad_scale(nv, 14, float8_e4m3fn::from_bits(0xB8), "-1");  // sign bit set
  auto const g = quantize<int4_group<32>>(wv);
  check_bad_scale(g, 2, -0.5f, "-0.5");
  check_bad_scale(g, 13, std::numeric_limits<float>::infinity(), "inf");
  check_bad_scale(g, 20, std::numeric_limits<float>::quiet_NaN(), "nan");
  auto const zp = quantize<uint4_group_zp<128>>(wv);  // float16 scales
  check_bad_scale(zp, 1, float16::from_bits(0xFC00), "-inf");
  check_bad_scale(zp, 4, float16::from_bits(0x7E00), "nan");
  auto const e = quantize<float8_e4m3fn>(wv);  // one float scale per row
  check_bad_scale(e, 2, -2.0f, "-2");

  // -0 and 0 are finite and non-negative: an all-zero block.
  {
    std::vector<std::uint8_t> codes(n * g.view().code_row_bytes(), 0);
    std::vector<float> scales(g.scale_bytes() / sizeof(float), -0.0f);
    scales[0] = 0.0f;
    CHECK(view_error<int4_group<32>>(codes.data(), scales.data(), nullptr, n, k).empty());
  }
  // The NVFP4 tensor scale too.
  CHECK(view_error<nvfp4>(nv.view().codes(), nv.view().scales(), nullptr, n, k, std::numeric_limits<float>::quiet_NaN())
            .find("argument 'tensor_decode' is nan, expected a finite non-negative number") != std::string::npos);
  CHECK(view_error<nvfp4>(nv.view().codes(), nv.view().scales(), nullptr, n, k, -1.0f).find("'tensor_decode' is -1") !=
        std::string::npos);

  // sparq::quantize marks a block that held NaN as a NaN scale: its own container views it, a view
  // over the same bytes from outside needs trusted_scales.
  std::vector<float> with_nan = w;
  with_nan[k + 40] = std::numeric_limits<float>::quiet_NaN();
  auto const q = quantize<mxfp8_e4m3>(matrix_view<float const>{with_nan.data(), n, k});
  std::vector<float> d(n * k);
  dequantize(q, matrix_view<float>{d.data(), n, k});
  CHECK(std::isnan(d[k + 33]));
  CHECK(view_error<mxfp8_e4m3>(q.view().codes(), q.view().scales(), nullptr, n, k).find("row 1, block 1 is nan") !=
        std::string::npos);
}

TEST_CASE("quantized_matrix_view: misaligned scales are rejected", "[quantize][hostile]") {
  alignas(8) std::uint8_t bytes[64] = {};
  float const* misaligned = reinterpret_cast<float const*>(bytes + 1);  // never read: the check comes first
  std::string const what = view_error<int4_group<32>>(bytes, misaligned, nullptr, 1, 32);
  CHECK(what.find("argument 'scales' is not aligned to 4 bytes, expected an array of float") != std::string::npos);
  CHECK_THROWS_AS((quantized_matrix_view<int4_group<32>>(trusted_scales, bytes, misaligned, nullptr, 1, 32)), invalid_argument);
  // One-byte scales have no alignment to miss.
  CHECK(view_error<mxfp4>(bytes, reinterpret_cast<float8_e8m0fnu const*>(bytes + 1), nullptr, 1, 32).empty());
}
