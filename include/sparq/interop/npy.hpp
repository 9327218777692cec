// SPDX-License-Identifier: Apache-2.0
// Reads a 1-D or 2-D .npy file (NumPy format versions 1-3) of float32, float16 or bfloat16 into
// a float32 matrix. bfloat16 arrays saved by ml_dtypes carry descr '<V2'. Every inconsistency
// (magic, header, dtype, shape, size) is a sparq::file_error naming the file and the field.
#pragma once

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <sparq/core/config.hpp>
#include <sparq/core/error.hpp>
#include <sparq/interop/dense_file.hpp>

SPARQ_NAMESPACE_BEGIN

namespace detail {

/// The text of key's value in a NumPy header dict ("{'descr': '<f4', 'fortran_order': False,
/// 'shape': (2, 3), }"): a quoted string without quotes, a tuple with parentheses, or a word.
inline std::string npy_field(std::string const& header, std::string const& key, std::string const& what) {
  std::string const quoted = "'" + key + "'";
  std::size_t at = header.find(quoted);
  if (at == std::string::npos) SPARQ_THROW(file_error, what + ": header has no '" + key + "' field");
  at = header.find(':', at + quoted.size());
  if (at == std::string::npos) SPARQ_THROW(file_error, what + ": header field '" + key + "' has no value");
  ++at;
  while (at < header.size() && header[at] == ' ') ++at;
  if (at >= header.size()) SPARQ_THROW(file_error, what + ": header field '" + key + "' is cut short");
  char const open = header[at];
  if (open == '\'' || open == '"') {
    std::size_t const end = header.find(open, at + 1);
    if (end == std::string::npos) SPARQ_THROW(file_error, what + ": unterminated string in '" + key + "'");
    return header.substr(at + 1, end - at - 1);
  }
  if (open == '(') {
    std::size_t const end = header.find(')', at);
    if (end == std::string::npos) SPARQ_THROW(file_error, what + ": unterminated tuple in '" + key + "'");
    return header.substr(at, end - at + 1);
  }
  std::size_t end = at;
  while (end < header.size() && (std::isalnum(static_cast<unsigned char>(header[end])) || header[end] == '_')) ++end;
  return header.substr(at, end - at);
}

inline std::vector<std::size_t> npy_shape(std::string const& tuple, std::string const& what) {
  std::vector<std::size_t> dims;
  std::size_t i = 1;
  while (i < tuple.size()) {
    while (i < tuple.size() && (tuple[i] == ' ' || tuple[i] == ',')) ++i;
    if (i >= tuple.size() || tuple[i] == ')') break;
    if (!std::isdigit(static_cast<unsigned char>(tuple[i]))) {
      SPARQ_THROW(file_error, what + ": shape " + tuple + " is not a tuple of sizes");
    }
    std::size_t v = 0;
    while (i < tuple.size() && std::isdigit(static_cast<unsigned char>(tuple[i]))) {
      if (v > (static_cast<std::size_t>(1) << 40)) SPARQ_THROW(file_error, what + ": shape " + tuple + " is too large");
      v = v * 10 + static_cast<std::size_t>(tuple[i] - '0');
      ++i;
    }
    dims.push_back(v);
  }
  return dims;
}

}  // namespace detail

/// Reads path; throws sparq::file_error on anything but a well-formed 1-D or 2-D float32 /
/// float16 / bfloat16 array (little- or big-endian, C or Fortran order).
inline dense_matrix read_npy(std::string const& path) {
  std::string const what = "read_npy('" + path + "')";
  std::vector<std::uint8_t> const f = detail::read_file(path, "read_npy");
  static unsigned char const magic[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};
  if (f.size() < 10 || !std::equal(magic, magic + 6, f.begin())) {
    SPARQ_THROW(file_error, what + ": not a .npy file (the magic string \\x93NUMPY is missing)");
  }
  unsigned const major = f[6];
  std::size_t header_len = 0, header_at = 0;
  if (major == 1) {
    header_len = f[8] | (static_cast<std::size_t>(f[9]) << 8);
    header_at = 10;
  } else if (major == 2 || major == 3) {
    if (f.size() < 12) SPARQ_THROW(file_error, what + ": truncated before the header length");
    header_len = f[8] | (static_cast<std::size_t>(f[9]) << 8) | (static_cast<std::size_t>(f[10]) << 16) |
                 (static_cast<std::size_t>(f[11]) << 24);
    header_at = 12;
  } else {
    SPARQ_THROW(file_error, what + ": format version " + std::to_string(major) + " is not 1, 2 or 3");
  }
  if (header_len > f.size() - header_at) {
    SPARQ_THROW(file_error, what + ": header length " + std::to_string(header_len) + " runs past the end of the " +
                                std::to_string(f.size()) + "-byte file");
  }
  std::string const header(f.begin() + static_cast<std::ptrdiff_t>(header_at),
                           f.begin() + static_cast<std::ptrdiff_t>(header_at + header_len));
  std::string const descr = detail::npy_field(header, "descr", what);
  std::string const order = detail::npy_field(header, "fortran_order", what);
  std::vector<std::size_t> const shape = detail::npy_shape(detail::npy_field(header, "shape", what), what);

  detail::stored_type type;
  bool big_endian = false;
  if (descr == "<f4" || descr == "=f4" || descr == ">f4") {
    type = detail::stored_type::f32;
    big_endian = descr[0] == '>';
  } else if (descr == "<f2" || descr == "=f2" || descr == ">f2") {
    type = detail::stored_type::f16;
    big_endian = descr[0] == '>';
  } else if (descr == "<V2" || descr == "|V2" || descr == "bfloat16") {
    type = detail::stored_type::bf16;
  } else {
    SPARQ_THROW(file_error, what + ": dtype '" + descr +
                                "' is not supported, expected float32 ('<f4'), float16 ('<f2') or bfloat16 ('<V2')");
  }
  if (order != "False" && order != "True") {
    SPARQ_THROW(file_error, what + ": fortran_order is '" + order + "', expected True or False");
  }
  if (shape.empty() || shape.size() > 2) {
    SPARQ_THROW(file_error, what + ": a " + std::to_string(shape.size()) + "-D array, expected 1-D or 2-D");
  }
  dense_matrix m;
  m.rows = shape.size() == 2 ? shape[0] : 1;
  m.cols = shape.size() == 2 ? shape[1] : shape[0];
  m.dtype = detail::stored_name(type);
  std::size_t const bytes = detail::checked_bytes(m.rows, m.cols, detail::stored_size(type), what);
  std::size_t const data_at = header_at + header_len;
  if (f.size() - data_at != bytes) {
    SPARQ_THROW(file_error, what + ": the header promises " + std::to_string(m.rows) + " x " + std::to_string(m.cols) +
                                " " + m.dtype + " (" + std::to_string(bytes) + " bytes) but the file holds " +
                                std::to_string(f.size() - data_at) + " bytes of data");
  }
  m.data.resize(m.rows * m.cols);
  if (order == "True" && shape.size() == 2) {
    std::vector<float> column_major(m.data.size());
    detail::convert_stored(f.data() + data_at, m.data.size(), type, big_endian, column_major.data());
    for (std::size_t r = 0; r < m.rows; ++r) {
      for (std::size_t c = 0; c < m.cols; ++c) m.data[r * m.cols + c] = column_major[c * m.rows + r];
    }
  } else {
    detail::convert_stored(f.data() + data_at, m.data.size(), type, big_endian, m.data.data());
  }
  return m;
}

SPARQ_NAMESPACE_END
