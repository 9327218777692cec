// SPDX-License-Identifier: Apache-2.0
// What the file readers (interop/npy.hpp, interop/safetensors.hpp) return: a dense float32
// matrix, converted exactly from float32 / float16 / bfloat16 storage.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <sparq/core/config.hpp>
#include <sparq/core/error.hpp>
#include <sparq/format/bfloat16.hpp>
#include <sparq/format/float16.hpp>
#include <sparq/format/float8_e4m3fn.hpp>
#include <sparq/format/float8_e5m2.hpp>
#include <sparq/layout/matrix_view.hpp>

SPARQ_NAMESPACE_BEGIN

/// A row-major float32 matrix read from a file; 1-D tensors are one row.
struct dense_matrix {
  std::vector<float> data;
  std::size_t rows = 0, cols = 0;
  std::string dtype;  ///< the stored element type: "float32", "float16", "bfloat16", "uint8", ...

  matrix_view<float const> view() const { return matrix_view<float const>(data.data(), rows, cols); }
};

namespace detail {

/// The whole file at path. A path that cannot be opened or read (a directory included) is a
/// sparq::file_error naming the reader and the path, never a raw stream exception.
inline std::vector<std::uint8_t> read_file(std::string const& path, char const* reader) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) SPARQ_THROW(file_error, std::string(reader) + ": cannot open '" + path + "'");
  std::vector<std::uint8_t> bytes;
  unsigned char buf[1 << 16];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) bytes.insert(bytes.end(), buf, buf + n);
  bool const failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) SPARQ_THROW(file_error, std::string(reader) + ": cannot read '" + path + "' (a directory, or a read error)");
  return bytes;
}

enum class stored_type { f32, f16, bf16, u8, i8, f8_e4m3, f8_e5m2 };

inline std::size_t stored_size(stored_type t) noexcept {
  switch (t) {
    case stored_type::f32: return 4;
    case stored_type::f16:
    case stored_type::bf16: return 2;
    default: return 1;
  }
}
inline char const* stored_name(stored_type t) noexcept {
  switch (t) {
    case stored_type::f32: return "float32";
    case stored_type::f16: return "float16";
    case stored_type::bf16: return "bfloat16";
    case stored_type::u8: return "uint8";
    case stored_type::i8: return "int8";
    case stored_type::f8_e4m3: return "float8_e4m3fn";
    default: return "float8_e5m2";
  }
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
    switch (t) {
      case stored_type::f32: std::memcpy(&out[i], &v, 4); break;
      case stored_type::f16: out[i] = static_cast<float>(float16::from_bits(v)); break;
      case stored_type::bf16: out[i] = static_cast<float>(bfloat16::from_bits(v)); break;
      case stored_type::u8: out[i] = static_cast<float>(v); break;
      case stored_type::i8: out[i] = static_cast<float>(static_cast<std::int8_t>(static_cast<std::uint8_t>(v))); break;
      case stored_type::f8_e4m3: out[i] = static_cast<float>(float8_e4m3fn::from_bits(v)); break;
      default: out[i] = static_cast<float>(float8_e5m2::from_bits(v)); break;
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
