// SPDX-License-Identifier: Apache-2.0
// safetensors files: a handle that maps the file once and reads any tensor on demand, raw or as
// float32. The header (8-byte little-endian length, then JSON) is checked against the file when it
// opens: offsets, sizes, dtype and shape must agree, or a sparq::file_error names what does not.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <sparq/core/config.hpp>
#include <sparq/core/error.hpp>
#include <sparq/core/span.hpp>
#include <sparq/interop/mapped_file.hpp>
#include <sparq/interop/dense_file.hpp>
#include <sparq/interop/json.hpp>

SPARQ_NAMESPACE_BEGIN
namespace detail {
/// Bytes per element of a safetensors dtype (0: a name sparq does not know; such tensors read as
/// bytes).
inline std::size_t safetensors_dtype_bytes(std::string const& d) noexcept {
  if (d == "F64" || d == "I64" || d == "U64") return 8;
  if (d == "F32" || d == "I32" || d == "U32") return 4;
  if (d == "F16" || d == "BF16" || d == "I16" || d == "U16") return 2;
  if (d == "F8_E4M3" || d == "F8_E5M2" || d == "U8" || d == "I8" || d == "BOOL") return 1;
  return 0;
}
}  // namespace detail

/// A safetensors file opened once: mapped into memory (mmap where available), its header parsed
/// and every entry checked against the file (dtype, shape, data offsets inside the data section,
/// byte count = shape x dtype size) when it opens, so that reading a tensor later only converts
/// its bytes. Tensors of any dtype can be read as raw bytes without a copy (bytes(): quantized
/// payloads, U8 / I8 / F8 codes); F32, F16, BF16, F8_E4M3, F8_E5M2, U8 and I8 tensors of one or
/// two dimensions read as float32 (read()).
///
///   sparq::safetensors_file f("model.safetensors");
///   for (auto const& name : f.names()) ...;
///   sparq::dense_matrix w = f.read("model.layers.0.mlp.up_proj.weight");
///   sparq::span<std::uint8_t const> raw = f.bytes("model.layers.0.mlp.up_proj.weight_packed");
class safetensors_file {
 public:
  struct tensor_info {
    std::string name;
    std::string dtype;               ///< as the file states it: "F32", "BF16", "F8_E4M3", "U8", ...
    std::vector<std::size_t> shape;
    std::size_t offset = 0, bytes = 0;  ///< inside the data section
  };

  explicit safetensors_file(std::string const& path) : path_(path), file_(path, "sparq::safetensors_file") {
    std::string const what = "sparq::safetensors_file('" + path + "')";
    std::uint8_t const* p = file_.data();
    std::size_t const size = file_.size();
    if (size < 8) SPARQ_THROW(file_error, what + ": shorter than the 8-byte header length");
    std::uint64_t n = 0;
    for (int b = 7; b >= 0; --b) n = (n << 8) | p[static_cast<std::size_t>(b)];
    if (n > size - 8) {
      SPARQ_THROW(file_error, what + ": header length " + std::to_string(n) + " runs past the end of the " +
                                  std::to_string(size) + "-byte file");
    }
    std::string const text(reinterpret_cast<char const*>(p) + 8, static_cast<std::size_t>(n));
    detail::json_value const header = detail::json_reader(text, what).parse();
    using kind = detail::json_value::kind;
    if (header.type != kind::object) SPARQ_THROW(file_error, what + ": the header is not a JSON object");
    data_at_ = 8 + static_cast<std::size_t>(n);
    std::size_t const data_bytes = size - data_at_;
    for (auto const& kv : header.object) {
      if (kv.first == "__metadata__") continue;
      std::string const where = what + ": tensor '" + kv.first + "'";
      auto const& t = kv.second;
      auto field = [&](char const* key, kind k) -> detail::json_value const& {
        auto const f = t.object.find(key);
        if (t.type != kind::object || f == t.object.end() || f->second.type != k) {
          SPARQ_THROW(file_error, where + " lacks a valid '" + key + "'");
        }
        return f->second;
      };
      tensor_info info;
      info.name = kv.first;
      info.dtype = field("dtype", kind::string).string;
      auto const& shape = field("shape", kind::array).array;
      auto const& offsets = field("data_offsets", kind::array).array;
      std::size_t count = 1;
      for (auto const& d : shape) {
        if (d.type != kind::number) SPARQ_THROW(file_error, where + ": shape holds a non-number, expected sizes");
        if (!d.is_integer) {
          SPARQ_THROW(file_error, where + ": shape holds " + detail::json_number_text(d.number) +
                                      ", expected non-negative integers (below 2^64)");
        }
        info.shape.push_back(static_cast<std::size_t>(d.integer));
        count = detail::checked_bytes(count, info.shape.back(), 1, where);
      }
      if (offsets.size() != 2 || !offsets[0].is_integer || !offsets[1].is_integer ||
          offsets[0].integer > offsets[1].integer) {
        SPARQ_THROW(file_error, where + ": data_offsets must be two integers [begin, end] with begin <= end");
      }
      if (offsets[1].integer > data_bytes) {
        SPARQ_THROW(file_error, where + ": data_offsets end at " + std::to_string(offsets[1].integer) + ", past the " +
                                    std::to_string(data_bytes) + " bytes of data in the file");
      }
      info.offset = static_cast<std::size_t>(offsets[0].integer);
      info.bytes = static_cast<std::size_t>(offsets[1].integer - offsets[0].integer);
      std::size_t const width = detail::safetensors_dtype_bytes(info.dtype);
      if (width != 0 && detail::checked_bytes(count, width, 1, where) != info.bytes) {
        SPARQ_THROW(file_error, where + ": shape needs " + std::to_string(count * width) + " bytes of " + info.dtype +
                                    " but data_offsets span " + std::to_string(info.bytes));
      }
      tensors_.push_back(std::move(info));
    }
  }

  std::string const& path() const noexcept { return path_; }
  /// Whether the file is memory-mapped (false: read into memory).
  bool mapped() const noexcept { return file_.mapped(); }
  /// The tensor names, in header order (sorted).
  std::vector<std::string> names() const {
    std::vector<std::string> n;
    for (auto const& t : tensors_) n.push_back(t.name);
    return n;
  }
  bool contains(std::string const& name) const noexcept { return find(name) != nullptr; }

  /// The entry of tensor `name`; sparq::file_error lists the names the file has when it has none.
  tensor_info const& info(std::string const& name) const {
    if (tensor_info const* t = find(name)) return *t;
    std::string known;
    for (auto const& t : tensors_) known += (known.empty() ? "" : ", ") + t.name;
    SPARQ_THROW(file_error, "sparq::safetensors_file('" + path_ + "'): no tensor '" + name +
                                "'; the file has: " + (known.empty() ? "none" : known));
  }

  /// The stored bytes of tensor `name`, in place (valid while this object lives).
  span<std::uint8_t const> bytes(std::string const& name) const {
    tensor_info const& t = info(name);
    return span<std::uint8_t const>(file_.data() + data_at_ + t.offset, t.bytes);
  }

  /// Tensor `name` (1-D or 2-D; F32, F16, BF16, F8_E4M3, F8_E5M2, U8 or I8) as float32.
  dense_matrix read(std::string const& name) const {
    tensor_info const& t = info(name);
    std::string const what = "sparq::safetensors_file('" + path_ + "').read('" + name + "')";
    detail::stored_type type;
    if (!stored(t.dtype, type)) {
      SPARQ_THROW(file_error, what + ": dtype '" + t.dtype +
                                  "' is not supported, expected F32, F16, BF16, F8_E4M3, F8_E5M2, U8 or I8 (bytes() "
                                  "reads any dtype)");
    }
    if (t.shape.empty() || t.shape.size() > 2) {
      SPARQ_THROW(file_error, what + ": a " + std::to_string(t.shape.size()) + "-D tensor, expected 1-D or 2-D");
    }
    dense_matrix m;
    m.rows = t.shape.size() == 2 ? t.shape[0] : 1;
    m.cols = t.shape.back();
    m.dtype = detail::stored_name(type);
    m.data.resize(m.rows * m.cols);
    detail::convert_stored(file_.data() + data_at_ + t.offset, m.data.size(), type, false, m.data.data());
    return m;
  }

 private:
  static bool stored(std::string const& d, detail::stored_type& t) noexcept {
    using st = detail::stored_type;
    if (d == "F32") t = st::f32;
    else if (d == "F16") t = st::f16;
    else if (d == "BF16") t = st::bf16;
    else if (d == "F8_E4M3") t = st::f8_e4m3;
    else if (d == "F8_E5M2") t = st::f8_e5m2;
    else if (d == "U8") t = st::u8;
    else if (d == "I8") t = st::i8;
    else return false;
    return true;
  }
  tensor_info const* find(std::string const& name) const noexcept {
    for (auto const& t : tensors_) {
      if (t.name == name) return &t;
    }
    return nullptr;
  }

  std::string path_;
  mapped_file file_;
  std::size_t data_at_ = 0;
  std::vector<tensor_info> tensors_;
};

/// The tensor names of a safetensors file, in header order (sorted).
inline std::vector<std::string> safetensors_names(std::string const& path) { return safetensors_file(path).names(); }

/// Reads tensor `name` of path as float32 (opens the file each call: keep a safetensors_file to
/// read several tensors).
inline dense_matrix read_safetensors(std::string const& path, std::string const& name) {
  return safetensors_file(path).read(name);
}

SPARQ_NAMESPACE_END
