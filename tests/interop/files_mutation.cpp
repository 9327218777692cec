// SPDX-License-Identifier: Apache-2.0
// The readers on thousands of corrupted files (flipped header bytes, truncations, appended
// garbage): each either reads a matrix whose size matches its header or throws
// sparq::file_error, and nothing else happens (the sanitizer pass runs this too).
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <sparq/interop/npy.hpp>
#include <sparq/interop/safetensors.hpp>

#include "../support/files.hpp"

using namespace sparq;

namespace {

using test::temp_path;
using test::write_bytes;

std::vector<std::uint8_t> from_string(std::string const& s) { return std::vector<std::uint8_t>(s.begin(), s.end()); }

std::vector<std::uint8_t> good_npy() {
  std::string header = "{'descr': '<f2', 'fortran_order': False, 'shape': (3, 4), }";
  while ((10 + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::string b = "\x93NUMPY";
  b += '\x01';
  b += '\x00';
  b += static_cast<char>(header.size());
  b += '\x00';
  b += header;
  b += std::string(24, '\x3c');
  return from_string(b);
}

std::vector<std::uint8_t> good_safetensors() {
  std::string const header = R"({"w": {"dtype": "BF16", "shape": [3, 4], "data_offsets": [0, 24]}})";
  std::string b;
  for (int i = 0; i < 8; ++i) b += static_cast<char>(i == 0 ? header.size() : 0);
  b += header;
  b += std::string(24, '\x3f');
  return from_string(b);
}

template <class Read>
void mutate_and_read(std::vector<std::uint8_t> const& good, std::string const& path, Read read) {
  std::mt19937 rng(1234);
  std::size_t ok = 0, rejected = 0;
  for (int trial = 0; trial < 1500; ++trial) {
    std::vector<std::uint8_t> b = good;
    int const kind = static_cast<int>(rng() % 4);
    if (kind == 0 || kind == 3) {
      for (int f = 0; f < 1 + static_cast<int>(rng() % 4); ++f) {
        std::size_t const at = rng() % std::min<std::size_t>(b.size(), 96);  // mostly the header
        b[at] = static_cast<std::uint8_t>(rng());
      }
    }
    if (kind == 1 || kind == 3) b.resize(rng() % (b.size() + 1));
    if (kind == 2) {
      for (int g = 0; g < 1 + static_cast<int>(rng() % 40); ++g) b.push_back(static_cast<std::uint8_t>(rng()));
    }
    write_bytes(path, b);
    try {
      dense_matrix const m = read(path);
      REQUIRE(m.data.size() == m.rows * m.cols);
      ++ok;
    } catch (file_error const&) {
      ++rejected;
    }
  }
  CHECK(rejected > 0);
  CHECK(ok + rejected == 1500);
}

}  // namespace

TEST_CASE("read_npy reads or rejects every corrupted file", "[interop]") {
  mutate_and_read(good_npy(), temp_path("m.npy"), [](std::string const& p) { return read_npy(p); });
}

TEST_CASE("read_safetensors reads or rejects every corrupted file", "[interop]") {
  mutate_and_read(good_safetensors(), temp_path("m.safetensors"),
                  [](std::string const& p) { return read_safetensors(p, "w"); });
}
