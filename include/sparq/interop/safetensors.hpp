// SPDX-License-Identifier: Apache-2.0
// Reads one 1-D or 2-D tensor (F32, F16 or BF16) from a .safetensors file into a float32 matrix.
// The header (8-byte little-endian length, then JSON) is checked against the file: offsets,
// sizes, dtype and shape must agree, or a sparq::file_error names what does not.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <sparq/core/config.hpp>
#include <sparq/core/error.hpp>
#include <sparq/interop/dense_file.hpp>
#include <sparq/interop/json.hpp>

SPARQ_NAMESPACE_BEGIN

/// The tensor names of a safetensors file, in header order (sorted).
inline std::vector<std::string> safetensors_names(std::string const& path);

namespace detail {
struct safetensors_file {
  std::vector<std::uint8_t> bytes;
  json_value header;
  std::size_t data_at = 0;
};

inline safetensors_file open_safetensors(std::string const& path, std::string const& what) {
  safetensors_file s;
  s.bytes = read_file(path, "read_safetensors");
  if (s.bytes.size() < 8) SPARQ_THROW(file_error, what + ": shorter than the 8-byte header length");
  std::uint64_t n = 0;
  for (int b = 7; b >= 0; --b) n = (n << 8) | s.bytes[static_cast<std::size_t>(b)];
  if (n > s.bytes.size() - 8) {
    SPARQ_THROW(file_error, what + ": header length " + std::to_string(n) + " runs past the end of the " +
                                std::to_string(s.bytes.size()) + "-byte file");
  }
  std::string const text(s.bytes.begin() + 8, s.bytes.begin() + 8 + static_cast<std::ptrdiff_t>(n));
  s.header = json_reader(text, what).parse();
  if (s.header.type != json_value::kind::object) SPARQ_THROW(file_error, what + ": the header is not a JSON object");
  s.data_at = 8 + static_cast<std::size_t>(n);
  return s;
}
}  // namespace detail

inline std::vector<std::string> safetensors_names(std::string const& path) {
  auto const s = detail::open_safetensors(path, "read_safetensors('" + path + "')");
  std::vector<std::string> names;
  for (auto const& kv : s.header.object) {
    if (kv.first != "__metadata__") names.push_back(kv.first);
  }
  return names;
}

/// Reads tensor `name` of path as float32.
inline dense_matrix read_safetensors(std::string const& path, std::string const& name) {
  std::string const what = "read_safetensors('" + path + "', '" + name + "')";
  auto const s = detail::open_safetensors(path, what);
  auto const it = s.header.object.find(name);
  if (it == s.header.object.end() || name == "__metadata__") {
    std::string known;
    for (auto const& kv : s.header.object) {
      if (kv.first != "__metadata__") known += (known.empty() ? "" : ", ") + kv.first;
    }
    SPARQ_THROW(file_error, what + ": no tensor of that name; the file has: " + (known.empty() ? "none" : known));
  }
  using kind = detail::json_value::kind;
  auto const& t = it->second;
  auto field = [&](char const* key, kind k) -> detail::json_value const& {
    auto const f = t.object.find(key);
    if (t.type != kind::object || f == t.object.end() || f->second.type != k) {
      SPARQ_THROW(file_error, what + ": tensor entry lacks a valid '" + key + "'");
    }
    return f->second;
  };
  std::string const& dtype = field("dtype", kind::string).string;
  auto const& shape = field("shape", kind::array).array;
  auto const& offsets = field("data_offsets", kind::array).array;
  detail::stored_type type;
  if (dtype == "F32") {
    type = detail::stored_type::f32;
  } else if (dtype == "F16") {
    type = detail::stored_type::f16;
  } else if (dtype == "BF16") {
    type = detail::stored_type::bf16;
  } else {
    SPARQ_THROW(file_error, what + ": dtype '" + dtype + "' is not supported, expected F32, F16 or BF16");
  }
  if (shape.empty() || shape.size() > 2) {
    SPARQ_THROW(file_error, what + ": a " + std::to_string(shape.size()) + "-D tensor, expected 1-D or 2-D");
  }
  for (auto const& d : shape) {
    if (d.type != kind::number || !d.is_integer) SPARQ_THROW(file_error, what + ": shape holds a non-integer");
  }
  if (offsets.size() != 2 || !offsets[0].is_integer || !offsets[1].is_integer ||
      offsets[0].integer > offsets[1].integer) {
    SPARQ_THROW(file_error, what + ": data_offsets must be two integers [begin, end] with begin <= end");
  }
  dense_matrix m;
  m.rows = shape.size() == 2 ? static_cast<std::size_t>(shape[0].integer) : 1;
  m.cols = static_cast<std::size_t>(shape.back().integer);
  m.dtype = detail::stored_name(type);
  std::size_t const bytes = detail::checked_bytes(m.rows, m.cols, detail::stored_size(type), what);
  std::uint64_t const begin = offsets[0].integer, end = offsets[1].integer;
  if (end - begin != bytes) {
    SPARQ_THROW(file_error, what + ": shape " + std::to_string(m.rows) + " x " + std::to_string(m.cols) + " " + dtype +
                                " needs " + std::to_string(bytes) + " bytes but data_offsets span " +
                                std::to_string(end - begin));
  }
  if (end > s.bytes.size() - s.data_at) {
    SPARQ_THROW(file_error, what + ": data_offsets end at " + std::to_string(end) + ", past the " +
                                std::to_string(s.bytes.size() - s.data_at) + " bytes of data in the file");
  }
  m.data.resize(m.rows * m.cols);
  detail::convert_stored(s.bytes.data() + s.data_at + begin, m.data.size(), type, false, m.data.data());
  return m;
}

SPARQ_NAMESPACE_END
