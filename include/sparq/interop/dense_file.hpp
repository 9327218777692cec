// SPDX-License-Identifier: Apache-2.0
// What the file readers (interop/npy.hpp, interop/safetensors.hpp) return: a dense float32
// matrix, converted exactly from float32 / float16 / bfloat16 storage.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <sparq/core/config.hpp>
#include <sparq/core/error.hpp>
#include <sparq/format/bfloat16.hpp>
#include <sparq/format/float16.hpp>
#include <sparq/layout/matrix_view.hpp>

SPARQ_NAMESPACE_BEGIN

/// A row-major float32 matrix read from a file; 1-D tensors are one row.
struct dense_matrix {
  std::vector<float> data;
  std::size_t rows = 0, cols = 0;
  std::string dtype;  ///< the stored element type: "float32", "float16" or "bfloat16"

  matrix_view<float const> view() const { return matrix_view<float const>(data.data(), rows, cols); }
};

namespace detail {

inline std::vector<std::uint8_t> read_file(std::string const& path, char const* reader) {
  std::ifstream f(path, std::ios::binary);
  if (!f) SPARQ_THROW(file_error, std::string(reader) + ": cannot open '" + path + "'");
  std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  return bytes;
}

enum class stored_type { f32, f16, bf16 };

inline std::size_t stored_size(stored_type t) noexcept { return t == stored_type::f32 ? 4 : 2; }
inline char const* stored_name(stored_type t) noexcept {
  return t == stored_type::f32 ? "float32" : (t == stored_type::f16 ? "float16" : "bfloat16");
}

/// Converts count little- or big-endian elements at p to float32.
inline void convert_stored(std::uint8_t const* p, std::size_t count, stored_type t, bool big_endian, float* out) {
  std::size_t const w = stored_size(t);
  for (std::size_t i = 0; i < count; ++i) {
    std::uint32_t v = 0;
    for (std::size_t b = 0; b < w; ++b) {
      std::uint32_t const byte = p[i * w + (big_endian ? w - 1 - b : b)];
      v |= byte << (8 * b);
    }
    if (t == stored_type::f32) {
      std::memcpy(&out[i], &v, 4);
    } else if (t == stored_type::f16) {
      out[i] = static_cast<float>(float16::from_bits(v));
    } else {
      out[i] = static_cast<float>(bfloat16::from_bits(v));
    }
  }
}

/// rows * cols * width without overflow, or throws naming the file.
inline std::size_t checked_bytes(std::size_t rows, std::size_t cols, std::size_t width, std::string const& what) {
  std::size_t const limit = static_cast<std::size_t>(-1) / 8;
  if (cols != 0 && rows > limit / cols) SPARQ_THROW(file_error, what + ": shape too large");
  std::size_t const count = rows * cols;
  if (width != 0 && count > limit / width) SPARQ_THROW(file_error, what + ": shape too large");
  return count * width;
}

}  // namespace detail
SPARQ_NAMESPACE_END
