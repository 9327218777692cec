// SPDX-License-Identifier: Apache-2.0
// Temporary files for the reader tests.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

namespace sparq {
namespace test {

/// A path in $TMPDIR (or /tmp) private to this test process.
inline std::string temp_path(std::string const& name) {
  char const* dir = std::getenv("TMPDIR");
  return std::string(dir ? dir : "/tmp") + "/sparq_test_" + std::to_string(::getpid()) + "_" + name;
}

inline void write_bytes(std::string const& path, std::vector<std::uint8_t> const& bytes) {
  std::ofstream f(path, std::ios::binary);
  f.write(reinterpret_cast<char const*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

}  // namespace test
}  // namespace sparq
