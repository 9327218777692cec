// SPDX-License-Identifier: Apache-2.0
// The .npy and .safetensors readers on files written here: every supported dtype and layout
// reads back exactly; truncated files, wrong dtypes and lying headers give a clear
// sparq::file_error, never a crash.
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include <sparq/format/all.hpp>
#include <sparq/interop/npy.hpp>
#include <sparq/interop/safetensors.hpp>

#include "../support/files.hpp"

using namespace sparq;

namespace {

using test::temp_path;
using test::write_bytes;

std::vector<std::uint8_t> npy_bytes(std::string const& descr, std::string const& shape, bool fortran,
                                    std::vector<std::uint8_t> const& data) {
  std::string header = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") +
                       ", 'shape': " + shape + ", }";
  while ((10 + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  // Assembled in a string: GCC 12 warns falsely about vector inserts after a braced init.
  std::string b = "\x93NUMPY";
  b += static_cast<char>(1);
  b += static_cast<char>(0);
  b += static_cast<char>(header.size() & 0xFF);
  b += static_cast<char>(header.size() >> 8);
  b += header;
  b.append(data.begin(), data.end());
  return std::vector<std::uint8_t>(b.begin(), b.end());
}

template <class T>
std::vector<std::uint8_t> raw(std::vector<T> const& v) {
  std::vector<std::uint8_t> b(v.size() * sizeof(T));
  std::memcpy(b.data(), v.data(), b.size());
  return b;
}

std::vector<std::uint8_t> safetensors_bytes(std::string const& header, std::vector<std::uint8_t> const& data) {
  std::string b;
  std::uint64_t const n = header.size();
  for (int i = 0; i < 8; ++i) b += static_cast<char>((n >> (8 * i)) & 0xFF);
  b += header;
  b.append(data.begin(), data.end());
  return std::vector<std::uint8_t>(b.begin(), b.end());
}

std::vector<float> const values = {1.0f, -2.5f, 0.125f, 3.0f, -0.0f, 65504.0f};

}  // namespace

TEST_CASE("read_npy reads float32, float16 and bfloat16 in every layout", "[interop]") {
  std::string const p = temp_path("ok.npy");
  write_bytes(p, npy_bytes("<f4", "(2, 3)", false, raw(values)));
  dense_matrix m = read_npy(p);
  CHECK(m.rows == 2);
  CHECK(m.cols == 3);
  CHECK(m.dtype == "float32");
  CHECK(m.data == values);

  std::vector<std::uint16_t> h, bf;
  for (float v : values) {
    h.push_back(float16(v).bits());
    bf.push_back(bfloat16(v).bits());
  }
  write_bytes(p, npy_bytes("<f2", "(6,)", false, raw(h)));
  m = read_npy(p);
  CHECK(m.rows == 1);
  CHECK(m.cols == 6);
  CHECK(m.data == values);
  write_bytes(p, npy_bytes("<V2", "(3, 2)", false, raw(bf)));
  m = read_npy(p);
  CHECK(m.dtype == "bfloat16");
  CHECK(m.data[1] == -2.5f);

  // Fortran order: the file holds columns; the result is row-major.
  std::vector<float> const col_major = {1, 4, 2, 5, 3, 6};
  write_bytes(p, npy_bytes("<f4", "(2, 3)", true, raw(col_major)));
  m = read_npy(p);
  CHECK(m.data == std::vector<float>({1, 2, 3, 4, 5, 6}));
  // Big-endian float32.
  std::vector<std::uint8_t> be = raw(values);
  for (std::size_t i = 0; i < be.size(); i += 4) {
    std::swap(be[i], be[i + 3]);
    std::swap(be[i + 1], be[i + 2]);
  }
  write_bytes(p, npy_bytes(">f4", "(2, 3)", false, be));
  CHECK(read_npy(p).data == values);
}

TEST_CASE("read_npy rejects bad files with the reason", "[interop]") {
  std::string const p = temp_path("bad.npy");
  auto const good = npy_bytes("<f4", "(2, 3)", false, raw(values));
  auto truncated = good;
  truncated.resize(truncated.size() - 5);
  write_bytes(p, truncated);
  CHECK_THROWS_WITH(read_npy(p), Catch::Contains("header promises 2 x 3 float32 (24 bytes)") &&
                                     Catch::Contains("19 bytes"));
  write_bytes(p, npy_bytes("<i4", "(2, 3)", false, raw(values)));
  CHECK_THROWS_WITH(read_npy(p), Catch::Contains("dtype '<i4' is not supported"));
  write_bytes(p, npy_bytes("<f4", "(4, 3)", false, raw(values)));  // a lying shape
  CHECK_THROWS_AS(read_npy(p), file_error);
  write_bytes(p, npy_bytes("<f4", "(1, 2, 3)", false, raw(values)));
  CHECK_THROWS_WITH(read_npy(p), Catch::Contains("3-D array"));
  auto long_header = good;
  long_header[8] = 0xFF;
  long_header[9] = 0x7F;
  write_bytes(p, long_header);
  CHECK_THROWS_WITH(read_npy(p), Catch::Contains("runs past the end"));
  write_bytes(p, {'P', 'K', 3, 4});
  CHECK_THROWS_WITH(read_npy(p), Catch::Contains("not a .npy file"));
  write_bytes(p, npy_bytes("<f4", "(2, x)", false, raw(values)));
  CHECK_THROWS_WITH(read_npy(p), Catch::Contains("not a tuple of sizes"));
  write_bytes(p, npy_bytes("<f4", "(99999999999999999999, 3)", false, raw(values)));
  CHECK_THROWS_AS(read_npy(p), file_error);
  CHECK_THROWS_WITH(read_npy(temp_path("missing.npy")), Catch::Contains("cannot open"));
}

TEST_CASE("read_safetensors reads F32, F16 and BF16 tensors by name", "[interop]") {
  std::string const p = temp_path("ok.safetensors");
  std::vector<std::uint16_t> h;
  for (float v : values) h.push_back(bfloat16(v).bits());
  std::vector<std::uint8_t> data = raw(values);
  auto const more = raw(h);
  data.insert(data.end(), more.begin(), more.end());
  std::string const header =
      R"({"__metadata__": {"format": "pt"}, "w": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]},)"
      R"( "b": {"dtype": "BF16", "shape": [6], "data_offsets": [24, 36]}})";
  write_bytes(p, safetensors_bytes(header, data));
  dense_matrix const w = read_safetensors(p, "w");
  CHECK(w.rows == 2);
  CHECK(w.cols == 3);
  CHECK(w.data == values);
  dense_matrix const b = read_safetensors(p, "b");
  CHECK(b.rows == 1);
  CHECK(b.dtype == "bfloat16");
  for (std::size_t i = 0; i < values.size(); ++i) CHECK(b.data[i] == static_cast<float>(bfloat16(values[i])));
  CHECK(b.data[5] == 65536.0f);  // 65504 is not a bfloat16
  CHECK(safetensors_names(p) == std::vector<std::string>({"b", "w"}));
}

TEST_CASE("read_safetensors rejects bad files with the reason", "[interop]") {
  std::string const p = temp_path("bad.safetensors");
  auto const data = raw(values);
  auto check = [&](std::string const& header, std::vector<std::uint8_t> const& d, char const* reason) {
    write_bytes(p, safetensors_bytes(header, d));
    CHECK_THROWS_WITH(read_safetensors(p, "w"), Catch::Contains(reason));
  };
  check(R"({"w": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]}})", {1, 2, 3}, "past the 3 bytes");
  check(R"({"w": {"dtype": "I32", "shape": [2, 3], "data_offsets": [0, 24]}})", data, "dtype 'I32' is not supported");
  check(R"({"w": {"dtype": "F32", "shape": [3, 3], "data_offsets": [0, 24]}})", data, "needs 36 bytes");
  check(R"({"w": {"dtype": "F32", "shape": [2, 3], "data_offsets": [8, 0]}})", data, "begin <= end");
  check(R"({"w": {"dtype": "F32", "shape": [2, 3]}})", data, "lacks a valid 'data_offsets'");
  check(R"({"v": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]}})", data, "the file has: v");
  check(R"({"w": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]})", data, "malformed JSON");
  check(R"({"w": {"dtype": "F32", "shape": [1, 2, 3], "data_offsets": [0, 24]}})", data, "3-D tensor");
  check(R"({"w": {"dtype": "F32", "shape": [2, -3], "data_offsets": [0, 24]}})", data,
        "shape holds -3, expected non-negative integers");
  check(R"({"w": {"dtype": "F32", "shape": [2, 1.5], "data_offsets": [0, 24]}})", data, "shape holds 1.5");
  check(R"({"w": {"dtype": "F32", "shape": [2, "3"], "data_offsets": [0, 24]}})", data, "shape holds a non-number");
  auto lying = safetensors_bytes(R"({})", data);
  lying[0] = 0xFF;
  lying[5] = 0x01;
  write_bytes(p, lying);
  CHECK_THROWS_WITH(read_safetensors(p, "w"), Catch::Contains("runs past the end"));
  write_bytes(p, {1, 2, 3});
  CHECK_THROWS_WITH(read_safetensors(p, "w"), Catch::Contains("shorter than the 8-byte header length"));
}

TEST_CASE("safetensors_file opens once, maps the file, and reads F8, U8, I8 tensors and raw bytes", "[interop]") {
  std::string const p = temp_path("handle.safetensors");
  // a: F8_E4M3 2 x 2, b: U8 3, c: I8 1 x 2, d: F32 1 x 2, q: an unknown dtype (read as bytes only).
  std::vector<std::uint8_t> data = {0x38, 0x40, 0xB8, 0x7E,  // 1, 2, -1, 448
                                    0, 7, 255,               // U8
                                    0x80, 0x7F,              // I8: -128, 127
                                    0, 0, 0x80, 0x3F, 0, 0, 0x00, 0xC0,  // F32: 1, -2
                                    9, 8, 7};
  std::string const header =
      R"({"__metadata__": {"format": "pt"}, "a": {"dtype": "F8_E4M3", "shape": [2, 2], "data_offsets": [0, 4]},)"
      R"( "b": {"dtype": "U8", "shape": [3], "data_offsets": [4, 7]},)"
      R"( "c": {"dtype": "I8", "shape": [1, 2], "data_offsets": [7, 9]},)"
      R"( "d": {"dtype": "F32", "shape": [1, 2], "data_offsets": [9, 17]},)"
      R"( "q": {"dtype": "Q4_PACKED", "shape": [3], "data_offsets": [17, 20]}})";
  write_bytes(p, safetensors_bytes(header, data));
  safetensors_file const f(p);
  CHECK(f.mapped());
  CHECK(f.names() == std::vector<std::string>({"a", "b", "c", "d", "q"}));
  CHECK(f.contains("c"));
  CHECK_FALSE(f.contains("__metadata__"));
  dense_matrix const a = f.read("a");
  CHECK(a.rows == 2);
  CHECK(a.cols == 2);
  CHECK(a.dtype == "float8_e4m3fn");
  CHECK(a.data == std::vector<float>({1.0f, 2.0f, -1.0f, 448.0f}));
  CHECK(f.read("b").data == std::vector<float>({0.0f, 7.0f, 255.0f}));
  CHECK(f.read("c").data == std::vector<float>({-128.0f, 127.0f}));
  CHECK(f.read("d").data == std::vector<float>({1.0f, -2.0f}));
  auto const raw_q = f.bytes("q");
  REQUIRE(raw_q.size() == 3);
  CHECK(raw_q.data()[0] == 9);
  CHECK(raw_q.data()[2] == 7);
  CHECK(f.info("q").dtype == "Q4_PACKED");
  CHECK(f.info("a").shape == std::vector<std::size_t>({2, 2}));
  CHECK_THROWS_WITH(f.read("q"), Catch::Contains("dtype 'Q4_PACKED' is not supported"));
  CHECK_THROWS_WITH(f.bytes("zz"), Catch::Contains("no tensor 'zz'; the file has: a, b, c, d, q"));
  // Every entry is checked when the file opens, not when a tensor is read.
  write_bytes(p, safetensors_bytes(
                     R"({"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}, "z": {"dtype": "F32", "shape": [2], "data_offsets": [4, 8]}})",
                     {0, 0, 0x80, 0x3F, 0, 0, 0, 0}));
  CHECK_THROWS_WITH(safetensors_file(p), Catch::Contains("tensor 'z': shape needs 8 bytes of F32 but data_offsets span 4"));
  CHECK_THROWS_WITH(safetensors_file(temp_path("missing.safetensors")), Catch::Contains("cannot open"));
}
