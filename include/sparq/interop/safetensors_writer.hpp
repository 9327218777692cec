// SPDX-License-Identifier: Apache-2.0
// Writes safetensors files that the `safetensors` package (Python, Rust) and sparq's
// safetensors_file read: an 8-byte little-endian header length, the JSON header (padded with
// spaces to a multiple of 8 bytes), then the tensors' bytes back to back with no gaps, ordered as
// the reference writer orders them (wider dtypes first, then by name), so every tensor starts
// aligned to its element size.
//
//   sparq::safetensors_writer w;
//   w.add_metadata("format", "pt");
//   w.add("lm_head.weight", "BF16", {vocab, hidden}, bytes, size);
//   sparq::add_nvfp4(w, "model.layers.0.mlp.up_proj", q);   // interop/quantized_safetensors.hpp
//   w.write("model.safetensors");
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <sparq/core/config.hpp>
#include <sparq/core/error.hpp>
#include <sparq/format/bfloat16.hpp>
#include <sparq/format/float16.hpp>
#include <sparq/interop/json.hpp>
#include <sparq/interop/mapped_file.hpp>
#include <sparq/interop/safetensors.hpp>
#include <sparq/layout/matrix_view.hpp>

SPARQ_NAMESPACE_BEGIN

class safetensors_writer {
 public:
  /// A `__metadata__` entry (string to string). @pre key not added before.
  void add_metadata(std::string key, std::string value) {
    if (!metadata_.emplace(key, std::move(value)).second) {
      SPARQ_THROW(invalid_argument,
                  "sparq::safetensors_writer::add_metadata: argument 'key' is '" + key + "', added before");
    }
  }

  /// A tensor of a safetensors dtype ("F32", "BF16", "F8_E4M3", "U8", ...) and shape, its bytes
  /// copied. @pre bytes = product(shape) * the dtype's size; the name is new and not
  /// "__metadata__"; otherwise sparq::invalid_argument names the argument.
  void add(std::string name, std::string dtype, std::vector<std::size_t> shape, std::uint8_t const* data,
           std::size_t bytes) {
    std::string const fn = "sparq::safetensors_writer::add('" + name + "')";
    std::size_t const width = detail::safetensors_dtype_bytes(dtype);
    if (width == 0) {
      SPARQ_THROW(invalid_argument,
                  fn + ": argument 'dtype' is '" + dtype +
                      "', expected a safetensors dtype (F64, F32, F16, BF16, F8_E4M3, F8_E5M2, "
                      "I64, I32, I16, I8, U64, U32, U16, U8, BOOL)");
    }
    std::size_t count = 1;
    for (std::size_t d : shape) {
      if (d != 0 && count > static_cast<std::size_t>(PTRDIFF_MAX) / width / d) {
        SPARQ_THROW(invalid_argument,
                    fn + ": argument 'shape' has more elements than the address space holds");
      }
      count *= d;
    }
    if (count * width != bytes) {
      SPARQ_THROW(invalid_argument, fn + ": argument 'bytes' is " + std::to_string(bytes) + ", expected " +
                                        std::to_string(count * width) + " for the shape and dtype");
    }
    if (data == nullptr && bytes != 0) SPARQ_THROW(invalid_argument, fn + ": argument 'data' is null");
    if (name == "__metadata__" || !names_.emplace(name, tensors_.size()).second) {
      SPARQ_THROW(invalid_argument, fn + ": argument 'name' is reserved or added before");
    }
    tensors_.push_back(entry{std::move(name), std::move(dtype), std::move(shape),
                             std::vector<std::uint8_t>(data, data + bytes), width});
  }
  /// A plain matrix: float as F32, float16 as F16, bfloat16 as BF16 (shape {rows, cols}).
  template <class T>
  void add(std::string name, matrix_view<T> const& w) {
    using V = std::remove_const_t<T>;
    static_assert(
        std::is_same<V, float>::value || std::is_same<V, float16>::value || std::is_same<V, bfloat16>::value,
        "sparq::safetensors_writer::add: plain matrices of float, float16 or bfloat16");
    detail::check_view(w, "sparq::safetensors_writer::add", "w");
    std::vector<std::uint8_t> b(w.rows() * w.cols() * sizeof(V));
    for (std::size_t r = 0; r < w.rows(); ++r) {
      if (w.cols() != 0) std::memcpy(b.data() + r * w.cols() * sizeof(V), w.row(r), w.cols() * sizeof(V));
    }
    char const* dtype = std::is_same<V, float>::value     ? "F32"
                        : std::is_same<V, float16>::value ? "F16"
                                                          : "BF16";
    add(std::move(name), dtype, {w.rows(), w.cols()}, b.data(), b.size());
  }

  /// The file's bytes.
  std::vector<std::uint8_t> bytes() const {
    std::vector<entry const*> order;
    for (auto const& t : tensors_) order.push_back(&t);
    std::stable_sort(order.begin(), order.end(), [](entry const* a, entry const* b) {
      return a->width != b->width ? a->width > b->width : a->name < b->name;
    });
    std::string header = "{";
    if (!metadata_.empty()) {
      header += "\"__metadata__\":{";
      bool first = true;
      for (auto const& kv : metadata_) {
        header += (first ? "" : ",") + detail::json_quote(kv.first) + ":" + detail::json_quote(kv.second);
        first = false;
      }
      header += "}";
    }
    std::size_t offset = 0;
    for (entry const* t : order) {
      header += (header.size() > 1 ? "," : "") + detail::json_quote(t->name) +
                ":{\"dtype\":" + detail::json_quote(t->dtype) + ",\"shape\":[";
      for (std::size_t i = 0; i < t->shape.size(); ++i)
        header += (i ? "," : "") + std::to_string(t->shape[i]);
      header += "],\"data_offsets\":[" + std::to_string(offset) + "," +
                std::to_string(offset + t->data.size()) + "]}";
      offset += t->data.size();
    }
    header += "}";
    header.resize((header.size() + 7) / 8 * 8, ' ');
    std::vector<std::uint8_t> out;
    out.reserve(8 + header.size() + offset);
    for (int i = 0; i < 8; ++i)
      out.push_back(static_cast<std::uint8_t>(static_cast<std::uint64_t>(header.size()) >> (8 * i)));
    out.insert(out.end(), header.begin(), header.end());
    for (entry const* t : order) out.insert(out.end(), t->data.begin(), t->data.end());
    return out;
  }

  /// Writes the file (sparq::file_error when it cannot).
  void write(std::string const& path) const {
    detail::write_file(path, bytes(), "sparq::safetensors_writer::write");
  }

 private:
  struct entry {
    std::string name, dtype;
    std::vector<std::size_t> shape;
    std::vector<std::uint8_t> data;
    std::size_t width;
  };
  std::map<std::string, std::string> metadata_;
  std::map<std::string, std::size_t> names_;
  std::vector<entry> tensors_;
};

SPARQ_NAMESPACE_END
