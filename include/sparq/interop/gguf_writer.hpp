// SPDX-License-Identifier: Apache-2.0
// Writes GGUF v3 files that ggml, llama.cpp and gguf-py read: metadata of every GGUF type, and
// tensors given as ggml blocks, as sparq matrices of a format with a ggml equivalent
// (int8_group<32, float16> as Q8_0, int4_group<32, float16> as Q4_0, mxfp4 as MXFP4; converted
// losslessly), or as plain float32 / float16 / bfloat16 matrices.
//
//   sparq::gguf_writer w;
//   w.add("general.architecture", sparq::gguf_value::make_string("llama"));
//   w.add_tensor("blk.0.ffn_up.weight", sparq::quantize<sparq::int4_group<32, sparq::float16>>(up));
//   w.add_tensor("blk.0.ffn_down.weight", sparq::ggml::quantize<sparq::ggml::q4_0>(down));  // ggml's rounding
//   w.write("model.gguf");
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <type_traits>
#include <unordered_set>
#include <utility>
#include <vector>

#include <sparq/core/config.hpp>
#include <sparq/core/error.hpp>
#include <sparq/format/bfloat16.hpp>
#include <sparq/format/float16.hpp>
#include <sparq/interop/gguf_metadata.hpp>
#include <sparq/interop/mapped_file.hpp>
#include <sparq/layout/ggml_blocks.hpp>
#include <sparq/layout/ggml_types.hpp>
#include <sparq/layout/matrix_view.hpp>
#include <sparq/layout/quantized_matrix.hpp>
#include <sparq/quantize/ggml_blocks.hpp>

SPARQ_NAMESPACE_BEGIN

class gguf_writer {
 public:
  /// alignment: of the data section and of each tensor's data (a power of two; a value other
  /// than GGUF's default 32 is stored as general.alignment).
  explicit gguf_writer(std::size_t alignment = 32) : alignment_(alignment) {
    if (alignment == 0 || (alignment & (alignment - 1)) != 0 || alignment > 0xFFFFFFFFu) {
      SPARQ_THROW(invalid_argument, "sparq::gguf_writer: argument 'alignment' is " + std::to_string(alignment) +
                                        ", expected a power of two");
    }
    if (alignment != 32) {
      add("general.alignment", gguf_value::make_uint(gguf_type::uint32, alignment));
    }
  }

  /// A metadata pair (in the order added). @pre key not added before (sparq::invalid_argument).
  void add(std::string key, gguf_value value) {
    if (!keys_.insert(key).second) {
      SPARQ_THROW(invalid_argument, "sparq::gguf_writer::add: argument 'key' is '" + key + "', added before");
    }
    meta_.emplace_back(std::move(key), std::move(value));
  }

  /// A tensor of ggml type t with ggml's dims (dims[0] fastest) and its bytes (copied).
  /// @pre the byte count is what the type and dims need; the name is new.
  void add_tensor(std::string name, ggml::type t, std::vector<std::uint64_t> dims, std::uint8_t const* data,
                  std::size_t bytes) {
    std::string const fn = "sparq::gguf_writer::add_tensor('" + name + "')";
    ggml::type_traits const tt = ggml::traits(static_cast<std::uint32_t>(t));
    if (tt.name == nullptr) SPARQ_THROW(invalid_argument, fn + ": argument 't' is not a ggml type");
    if (dims.empty() || dims.size() > 4) {
      SPARQ_THROW(invalid_argument, fn + ": argument 'dims' has " + std::to_string(dims.size()) + " dims, expected 1 to 4");
    }
    std::uint64_t elements = 1;
    for (auto d : dims) {
      if (d != 0 && elements > (std::uint64_t{1} << 62) / d) {
        SPARQ_THROW(invalid_argument, fn + ": argument 'dims' has a product past 2^62");
      }
      elements *= d;
    }
    if (dims[0] % tt.block_values != 0 || elements / tt.block_values * tt.block_bytes != bytes) {
      SPARQ_THROW(invalid_argument, fn + ": argument 'bytes' is " + std::to_string(bytes) + ", expected " +
                                        std::to_string(elements / tt.block_values * tt.block_bytes) + " for " +
                                        tt.name + " with dims[0] a multiple of " + std::to_string(tt.block_values));
    }
    if (!names_.insert(name).second) SPARQ_THROW(invalid_argument, fn + ": argument 'name' is added before");
    if (data == nullptr && bytes != 0) SPARQ_THROW(invalid_argument, fn + ": argument 'data' is null");
    tensors_.push_back(entry{std::move(name), t, std::move(dims), std::vector<std::uint8_t>(data, data + bytes)});
  }
  /// An N x K matrix of ggml blocks (dims {K, N}).
  template <class Block>
  void add_tensor(std::string name, ggml_matrix_view<Block> const& w) {
    std::vector<std::uint8_t> rows(w.storage_bytes());
    std::size_t const row_bytes = w.blocks_per_row() * Block::bytes;
    for (std::size_t r = 0; r < w.rows(); ++r) std::memcpy(rows.data() + r * row_bytes, w.block_at(r, 0), row_bytes);
    add_tensor(std::move(name), Block::id, {w.cols(), w.rows()}, rows.data(), rows.size());
  }
  template <class Block>
  void add_tensor(std::string name, ggml_matrix<Block> const& w) {
    add_tensor(std::move(name), w.view());
  }
  /// A sparq matrix of a format with a ggml block type, converted losslessly (sparq::to_ggml).
  template <class F>
  void add_tensor(std::string name, quantized_matrix_view<F> const& q) {
    add_tensor(std::move(name), to_ggml(q).view());
  }
  template <class F>
  void add_tensor(std::string name, quantized_matrix<F> const& q) {
    add_tensor(std::move(name), q.view());
  }
  /// Plain weights: float as F32, float16 as F16, bfloat16 as BF16 (dims {K, N}).
  template <class T>
  void add_tensor(std::string name, matrix_view<T> const& w) {
    using V = std::remove_const_t<T>;
    constexpr ggml::type t = std::is_same<V, float>::value     ? ggml::type::f32
                             : std::is_same<V, float16>::value ? ggml::type::f16
                                                               : ggml::type::bf16;
    static_assert(std::is_same<V, float>::value || std::is_same<V, float16>::value || std::is_same<V, bfloat16>::value,
                  "sparq::gguf_writer::add_tensor: plain matrices of float, float16 or bfloat16");
    sparq::detail::check_view(w, "sparq::gguf_writer::add_tensor", "w");
    std::vector<std::uint8_t> rows(w.rows() * w.cols() * sizeof(V));
    for (std::size_t r = 0; r < w.rows(); ++r) std::memcpy(rows.data() + r * w.cols() * sizeof(V), w.row(r), w.cols() * sizeof(V));
    add_tensor(std::move(name), t, {w.cols(), w.rows()}, rows.data(), rows.size());
  }

  /// The file's bytes.
  std::vector<std::uint8_t> bytes() const {
    std::vector<std::uint8_t> out = {'G', 'G', 'U', 'F'};
    auto const le = [&out](std::uint64_t x, std::size_t n) {
      for (std::size_t i = 0; i < n; ++i) out.push_back(static_cast<std::uint8_t>(x >> (8 * i)));
    };
    auto const str = [&](std::string const& s) {
      le(s.size(), 8);
      out.insert(out.end(), s.begin(), s.end());
    };
    le(3, 4);
    le(tensors_.size(), 8);
    le(meta_.size(), 8);
    for (auto const& kv : meta_) {
      str(kv.first);
      le(static_cast<std::uint32_t>(kv.second.type()), 4);
      kv.second.append_to(out);
    }
    std::size_t offset = 0;
    for (auto const& t : tensors_) {
      str(t.name);
      le(t.dims.size(), 4);
      for (auto d : t.dims) le(d, 8);
      le(static_cast<std::uint32_t>(t.type), 4);
      le(offset, 8);
      offset += padded(t.data.size());
    }
    out.resize(padded(out.size()), 0);
    for (auto const& t : tensors_) {
      out.insert(out.end(), t.data.begin(), t.data.end());
      out.resize(padded(out.size()), 0);
    }
    return out;
  }

  /// Writes the file (sparq::file_error when it cannot).
  void write(std::string const& path) const { detail::write_file(path, bytes(), "sparq::gguf_writer::write"); }

 private:
  struct entry {
    std::string name;
    ggml::type type;
    std::vector<std::uint64_t> dims;
    std::vector<std::uint8_t> data;
  };
  std::size_t padded(std::size_t n) const noexcept { return (n + alignment_ - 1) / alignment_ * alignment_; }

  std::size_t alignment_;
  std::vector<std::pair<std::string, gguf_value>> meta_;
  std::unordered_set<std::string> keys_, names_;
  std::vector<entry> tensors_;
};

SPARQ_NAMESPACE_END
