// SPDX-License-Identifier: Apache-2.0
// Bad sizes and aliasing at the entry points, as engines produce them at run time: sizes from
// negative numbers or overflowed products, shapes beyond the address space, outputs overlapping
// inputs. Each is a sparq::invalid_argument naming the argument, and the output stays untouched.
#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <sparq/core/aligned_buffer.hpp>
#include <sparq/format/all.hpp>
#include <sparq/kernel/gemm.hpp>
#include <sparq/kernel/grouped.hpp>
#include <sparq/quantize/quantize.hpp>

using namespace sparq;
using Catch::Matchers::Contains;

namespace {

constexpr std::size_t huge = std::numeric_limits<std::size_t>::max();

std::vector<float> ramp(std::size_t n) {
  std::vector<float> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = 0.25f * static_cast<float>(i % 13) - 1.0f;
  return v;
}

}  // namespace

TEST_CASE("gemm: M from a negative or overflowed number is an error naming A, C untouched", "[kernel][hostile]") {
  std::size_t const n = 4, k = 32;
  std::vector<float> a = ramp(8 * k), wf = ramp(n * k), c(8 * n, 7.0f);
  auto const q = quantize<mxfp4>(matrix_view<float const>(wf.data(), n, k));
  long const negative = -8;
  for (std::size_t m : {huge, static_cast<std::size_t>(negative), std::size_t{1} << 62}) {
    CAPTURE(m);
    matrix_view<float const> const av(a.data(), m, k);
    matrix_view<float> const cv(c.data(), m, n);
    REQUIRE_THROWS_MATCHES(gemm(av, q, cv), invalid_argument,
                           Catch::Matchers::Predicate<invalid_argument>([](invalid_argument const& e) {
                             std::string const w = e.what();
                             return w.find("argument 'A'") != std::string::npos &&
                                    w.find("address space") != std::string::npos;
                           }));
    REQUIRE_THROWS_AS(gemm(av, q, cv, gemm_options{}.with_mode(compute_mode::int8_activations)), invalid_argument);
    for (float x : c) REQUIRE(x == 7.0f);
  }
  // K overflowing with a plain A of huge leading dimension.
  matrix_view<float const> const wide(a.data(), 2, k, huge / 2);
  REQUIRE_THROWS_WITH(gemm(wide, q, matrix_view<float>(c.data(), 2, n)), Contains("argument 'A'"));
}

TEST_CASE("quantize: shapes beyond the address space are errors, not allocations or wraps", "[kernel][hostile]") {
  std::vector<float> w = ramp(64);
  // 2^40 x 2^40 floats; K = (size_t)-384 with 2^59 rows; 2^62 x 4.
  REQUIRE_THROWS_WITH(quantize<mxfp8_e4m3>(matrix_view<float const>(w.data(), std::size_t{1} << 40, std::size_t{1} << 40)),
                      Contains("sparq::quantize: argument 'w'") && Contains("address space"));
  REQUIRE_THROWS_AS(quantize<mxfp4>(matrix_view<float const>(w.data(), std::size_t{1} << 59, static_cast<std::size_t>(-384))),
                    invalid_argument);
  REQUIRE_THROWS_AS(quantize<float8_e4m3fn>(matrix_view<float const>(w.data(), std::size_t{1} << 62, 4)),
                    invalid_argument);
  // The containers themselves, for every kind of layout.
  REQUIRE_THROWS_WITH(quantized_matrix<float8_e4m3fn>(std::size_t{1} << 62, 4),
                      Contains("sparq::quantized_matrix: a 4611686018427387904 x 4 matrix"));
  REQUIRE_THROWS_AS(quantized_matrix<mxfp4>(4, huge - 7), invalid_argument);
  REQUIRE_THROWS_AS(quantized_matrix<uint4_group_zp<128>>(huge / 64, 4096), invalid_argument);
  REQUIRE_THROWS_AS(quantized_matrix<int4>(huge, huge), invalid_argument);
  std::uint8_t byte = 0;
  float scale = 1.0f;
  REQUIRE_THROWS_WITH((quantized_matrix_view<float8_e4m3fn>(&byte, &scale, nullptr, std::size_t{1} << 62, 4)),
                      Contains("sparq::quantized_matrix_view"));
  // Large but representable shapes stay valid (nothing is allocated for a view).
  REQUIRE(quantized_matrix_view<mxfp4>(trusted_scales, &byte, reinterpret_cast<float8_e8m0fnu const*>(&byte), nullptr, 1u << 20, 1u << 20)
              .rows() == 1u << 20);
  REQUIRE(quantized_matrix<mxfp4>(0, huge).rows() == 0);
}

TEST_CASE("aligned_buffer: sizes past the address space are invalid_argument", "[kernel][hostile]") {
  REQUIRE_THROWS_WITH(aligned_buffer(huge), Contains("more than the address space"));
  REQUIRE_THROWS_AS(aligned_buffer(aligned_buffer::max_bytes + 1), invalid_argument);
#if !defined(__SANITIZE_ADDRESS__)
  // 2^62 bytes fit a pointer difference but no machine: out_of_memory, not std::bad_alloc. (ASan
  // aborts on such requests itself, so the sanitizer pass leaves this one out.)
  REQUIRE_THROWS_AS(aligned_buffer(std::size_t{1} << 62), out_of_memory);
#endif
}

TEST_CASE("gemm: C overlapping A or a plain W is an error, nothing written", "[kernel][hostile]") {
  std::size_t const m = 3, n = 4, k = 32;
  std::vector<float> buf = ramp(m * k + 64), wf = ramp(n * k);
  std::vector<float> const before = buf;
  auto const q = quantize<int4_group<32>>(matrix_view<float const>(wf.data(), n, k));
  matrix_view<float const> const av(buf.data(), m, k);
  // C over A's first row, and C starting inside A's last row.
  for (std::size_t offset : {std::size_t{0}, (m - 1) * k + 5}) {
    matrix_view<float> const cv(buf.data() + offset, m, n);
    REQUIRE_THROWS_WITH(gemm(av, q, cv), Contains("argument 'C' overlaps argument 'A'"));
    REQUIRE(buf == before);
  }
  // Adjacent (C right after A) is fine.
  matrix_view<float> const after(buf.data() + m * k, m, n);
  REQUIRE_NOTHROW(gemm(av, q, after));
  // Plain weights overlapping C.
  std::vector<float> a = ramp(m * k);
  matrix_view<float const> const wv(wf.data(), n, k);
  REQUIRE_THROWS_WITH(gemm(matrix_view<float const>(a.data(), m, k), wv, matrix_view<float>(wf.data() + 8, m, n)),
                      Contains("argument 'C' overlaps argument 'W'"));
}

TEST_CASE("gemm_grouped: a problem's C overlapping another problem's A or C is an error", "[kernel][hostile]") {
  std::size_t const m = 2, n = 4, k = 32;
  std::vector<float> a0 = ramp(m * k), a1 = ramp(m * k), wf = ramp(n * k), c0(m * n, 5.0f), c1(m * n, 6.0f);
  auto const q = quantize<mxfp4>(matrix_view<float const>(wf.data(), n, k));
  using P = gemm_problem<float const, quantized_matrix<mxfp4>, float>;
  {
    // Problem 1 reads problem 0's C as its A.
    std::vector<float> shared = ramp(m * k);
    std::vector<P> ps = {
        make_gemm_problem(matrix_view<float const>(a0.data(), m, k), q, matrix_view<float>(shared.data(), m, n)),
        make_gemm_problem(matrix_view<float const>(shared.data(), m, k), q, matrix_view<float>(c1.data(), m, n))};
    std::vector<float> const keep = shared;
    REQUIRE_THROWS_WITH(gemm_grouped(ps),
                        Contains("argument 'c' of problem 0 overlaps argument 'a' of problem 1"));
    REQUIRE(shared == keep);
    for (float x : c1) REQUIRE(x == 6.0f);
  }
  {
    std::vector<P> ps = {make_gemm_problem(matrix_view<float const>(a0.data(), m, k), q, matrix_view<float>(c0.data(), m, n)),
                         make_gemm_problem(matrix_view<float const>(a1.data(), m, k), q, matrix_view<float>(c0.data(), m, n))};
    REQUIRE_THROWS_WITH(gemm_grouped(ps),
                        Contains("argument 'c' of problem 0 overlaps argument 'c' of problem 1"));
    for (float x : c0) REQUIRE(x == 5.0f);
  }
}

TEST_CASE("gemm, quantize: views whose data is not aligned for their elements are errors", "[kernel][hostile]") {
  std::size_t const m = 2, n = 4, k = 32;
  std::vector<float> wf = ramp(n * k), c(m * n, 3.0f);
  std::vector<float> const keep = c;
  auto const q = quantize<mxfp4>(matrix_view<float const>(wf.data(), n, k));
  // A float view one byte into a float array (a pointer computed from a byte offset in a file).
  std::vector<float> raw(m * k + 1);
  auto const* odd = reinterpret_cast<float const*>(reinterpret_cast<unsigned char const*>(raw.data()) + 1);
  REQUIRE_THROWS_WITH(gemm(matrix_view<float const>(odd, m, k), q, matrix_view<float>(c.data(), m, n)),
                      Contains("argument 'A'") && Contains("data is not aligned to 4 bytes"));
  REQUIRE(c == keep);
  auto* odd_c = reinterpret_cast<float*>(reinterpret_cast<unsigned char*>(c.data()) + 2);
  std::vector<float> a = ramp(m * k);
  REQUIRE_THROWS_WITH(gemm(matrix_view<float const>(a.data(), m, k), q, matrix_view<float>(odd_c, m, n - 1)),
                      Contains("argument 'C'") && Contains("not aligned"));
  REQUIRE(c == keep);
  std::vector<bfloat16> ab(m * k + 1);
  auto const* odd_b = reinterpret_cast<bfloat16 const*>(reinterpret_cast<unsigned char const*>(ab.data()) + 1);
  REQUIRE_THROWS_WITH(gemm(matrix_view<bfloat16 const>(odd_b, m, k), q, matrix_view<float>(c.data(), m, n)),
                      Contains("not aligned to 2 bytes"));
  REQUIRE_THROWS_AS(quantize<int4_group<32>>(matrix_view<float const>(odd, m, k)), invalid_argument);
  REQUIRE(c == keep);
}
