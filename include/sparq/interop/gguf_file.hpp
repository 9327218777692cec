// SPDX-License-Identifier: Apache-2.0
// The GGUF reader (v2 and v3, little-endian), the checkpoints of ggml and llama.cpp: the header,
// every metadata value (interop/gguf_metadata.hpp), the tensor infos and the data section, checked
// against the file's size when it opens; tensors are views of the file's bytes. interop/gguf.hpp
// adds what sparq does with them (dequantize, prepack, gemm).
//
//   auto f = sparq::gguf_file::open("model.gguf");          // mmap where the platform has it
//   std::string arch = f.find("general.architecture")->as_string();
//   sparq::gguf_tensor const& w = f.tensor("blk.0.ffn_up.weight");   // N x K, e.g. Q4_0
//   sparq::gemm(activations, w, out);                       // Q8_0, Q4_0, MXFP4, F32, F16, BF16
//   auto fast = sparq::prepack(w);                          // Q8_0, Q4_0, MXFP4: sparq's layout
//
// A tensor's dims are ggml's: dims()[0] is the fastest-moving (the K of a weight), so a weight of
// dims {K, N} is an N x K matrix; tensors of 3 or 4 dims read as (product of the outer dims) x K.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <sparq/core/config.hpp>
#include <sparq/core/error.hpp>
#include <sparq/interop/gguf_metadata.hpp>
#include <sparq/interop/mapped_file.hpp>
#include <sparq/layout/ggml_types.hpp>

SPARQ_NAMESPACE_BEGIN

/// One tensor of a GGUF file: its name, ggml type, dims and bytes (a view of the file's data,
/// valid while the gguf_file lives).
class gguf_tensor {
 public:
  std::string const& name() const noexcept { return name_; }
  std::uint32_t type_id() const noexcept { return type_; }
  ggml::type type() const noexcept { return static_cast<ggml::type>(type_); }
  std::string type_name() const { return ggml::type_name(type_); }
  /// ggml's dims: dims()[0] the fastest-moving.
  std::vector<std::uint64_t> const& dims() const noexcept { return dims_; }
  /// As a matrix: cols = dims()[0], rows = the product of the other dims.
  std::size_t rows() const noexcept { return rows_; }
  std::size_t cols() const noexcept { return cols_; }
  /// Offset of the data inside the file's data section, and its bytes.
  std::size_t offset() const noexcept { return offset_; }
  std::size_t bytes() const noexcept { return bytes_; }
  std::uint8_t const* data() const noexcept { return data_; }

 private:
  friend class gguf_file;
  std::string name_;
  std::uint32_t type_ = 0;
  std::vector<std::uint64_t> dims_;
  std::size_t rows_ = 0, cols_ = 0, offset_ = 0, bytes_ = 0;
  std::uint8_t const* data_ = nullptr;
};

/// A GGUF file opened once and checked whole: every count, string length, dim, type and offset
/// against the file's size (sparq::file_error names the field and where). Move-only; tensors and
/// metadata stay valid while it lives.
class gguf_file {
 public:
  /// The file at path, memory-mapped where the platform has mmap.
  static gguf_file open(std::string const& path) {
    gguf_file f;
    f.file_ = mapped_file(path, "sparq::gguf_file::open");
    f.parse(f.file_.data(), f.file_.size(), "sparq::gguf_file('" + path + "')");
    return f;
  }
  /// The caller's bytes (not copied: they must outlive the gguf_file and its tensors).
  static gguf_file over(std::uint8_t const* data, std::size_t size) {
    if (data == nullptr && size != 0) {
      SPARQ_THROW(invalid_argument, "sparq::gguf_file::over: argument 'data' is null with size " + std::to_string(size));
    }
    gguf_file f;
    f.parse(data, size, "sparq::gguf_file (caller's bytes)");
    return f;
  }

  gguf_file(gguf_file&&) noexcept = default;
  gguf_file& operator=(gguf_file&&) noexcept = default;
  gguf_file(gguf_file const&) = delete;
  gguf_file& operator=(gguf_file const&) = delete;

  std::uint32_t version() const noexcept { return version_; }
  /// general.alignment (32 when the file does not set it).
  std::size_t alignment() const noexcept { return alignment_; }
  /// Byte offset of the data section in the file.
  std::size_t data_offset() const noexcept { return data_at_; }

  /// Every metadata key and value, in file order.
  std::vector<std::pair<std::string, gguf_value>> const& metadata() const noexcept { return meta_; }
  /// The value of key, or null.
  gguf_value const* find(std::string const& key) const {
    auto const it = meta_index_.find(key);
    return it == meta_index_.end() ? nullptr : &meta_[it->second].second;
  }

  /// Every tensor, in file order.
  std::vector<gguf_tensor> const& tensors() const noexcept { return tensors_; }
  /// The tensor called name, or null.
  gguf_tensor const* find_tensor(std::string const& name) const {
    auto const it = tensor_index_.find(name);
    return it == tensor_index_.end() ? nullptr : &tensors_[it->second];
  }
  /// The tensor called name. @pre it exists; otherwise sparq::invalid_argument names it.
  gguf_tensor const& tensor(std::string const& name) const {
    gguf_tensor const* t = find_tensor(name);
    if (t == nullptr) {
      SPARQ_THROW(invalid_argument, "sparq::gguf_file::tensor: argument 'name' is '" + name +
                                        "', which is not a tensor of the file (" + std::to_string(tensors_.size()) +
                                        " tensors)");
    }
    return *t;
  }

 private:
  gguf_file() = default;

  void parse(std::uint8_t const* p, std::size_t size, std::string const& what) {
    detail::gguf_cursor c(p, size, what);
    if (size < 4 || p[0] != 'G' || p[1] != 'G' || p[2] != 'U' || p[3] != 'F') {
      c.fail("not a GGUF file (the first 4 bytes are not 'GGUF')");
    }
    c.bytes(4, "the magic");
    version_ = c.read<std::uint32_t>("the version");
    if (version_ != 2 && version_ != 3) {
      if (version_ == 1) c.fail("GGUF version 1 is not supported (versions 2 and 3 are)");
      if (version_ == 0x02000000u || version_ == 0x03000000u) c.fail("big-endian GGUF is not supported");
      c.fail("version " + std::to_string(version_) + " is not a GGUF version sparq reads (2 or 3)");
    }
    // A tensor info takes at least 8 (name) + 4 (dims) + 8 (one dim) + 4 (type) + 8 (offset) bytes,
    // a metadata pair 8 (key) + 4 (type) + 1 (value); the counts are checked against those.
    std::size_t const n_tensors = static_cast<std::size_t>(c.count("tensor_count", 32));
    std::size_t const n_meta = static_cast<std::size_t>(c.count("metadata_kv_count", 13));
    meta_.reserve(n_meta);
    std::size_t nested = 0;
    for (std::size_t i = 0; i < n_meta; ++i) {
      std::string key = c.string("a metadata key");
      if (meta_index_.count(key) != 0) c.fail("metadata key '" + key + "' appears twice");
      gguf_type const t = detail::gguf_read_type(c, key);
      gguf_value v;
      detail::gguf_read_value(c, t, v, key, 0, nested);
      meta_index_.emplace(key, meta_.size());
      meta_.emplace_back(std::move(key), std::move(v));
    }
    if (gguf_value const* a = find("general.alignment")) {
      if (a->type() != gguf_type::uint32 || a->as_uint() == 0 || (a->as_uint() & (a->as_uint() - 1)) != 0) {
        c.fail("metadata 'general.alignment' is " + a->text() + " (" + gguf_type_name(a->type()) +
               "), expected a uint32 power of two");
      }
      alignment_ = static_cast<std::size_t>(a->as_uint());
    }
    tensors_.resize(n_tensors);
    for (auto& t : tensors_) read_tensor_info(c, t);
    // The data section starts at the next multiple of the alignment (the file may end before it
    // when no tensor has bytes).
    std::size_t const end = c.pos();
    data_at_ = end + (alignment_ - end % alignment_) % alignment_;
    std::size_t const data_bytes = data_at_ <= size ? size - data_at_ : 0;
    for (auto& t : tensors_) {
      std::string const where = "tensor '" + t.name_ + "'";
      if (t.offset_ % alignment_ != 0) {
        c.fail(where + ": data offset " + std::to_string(t.offset_) + " is not a multiple of the alignment " +
               std::to_string(alignment_));
      }
      if (t.offset_ > data_bytes || t.bytes_ > data_bytes - t.offset_) {
        c.fail(where + ": " + std::to_string(t.bytes_) + " bytes at data offset " + std::to_string(t.offset_) +
               " run past the end of the file (data section of " + std::to_string(data_bytes) + " bytes at byte " +
               std::to_string(data_at_) + ")");
      }
      t.data_ = t.bytes_ == 0 ? nullptr : p + data_at_ + t.offset_;
    }
  }

  void read_tensor_info(detail::gguf_cursor& c, gguf_tensor& t) {
    std::size_t const at = c.pos();
    t.name_ = c.string("a tensor name");
    std::string const where = "tensor '" + t.name_ + "' (info at byte " + std::to_string(at) + ")";
    if (tensor_index_.count(t.name_) != 0) c.fail("tensor name '" + t.name_ + "' appears twice");
    std::uint32_t const n_dims = c.read<std::uint32_t>("a tensor's dimension count");
    if (n_dims == 0 || n_dims > 4) c.fail(where + ": " + std::to_string(n_dims) + " dimensions, expected 1 to 4");
    t.dims_.resize(n_dims);
    constexpr std::uint64_t limit = std::uint64_t{1} << 62;
    std::uint64_t outer = 1;  // the product of dims 1.. (the rows)
    for (std::size_t i = 0; i < n_dims; ++i) {
      std::uint64_t const d = t.dims_[i] = c.read<std::uint64_t>("a tensor dimension");
      if (d > limit) c.fail(where + ": dimension " + std::to_string(d) + " is too large");
      if (i == 0) continue;
      if (d != 0 && outer > limit / d) c.fail(where + ": its dimensions' product overflows");
      outer *= d;
    }
    if (t.dims_[0] != 0 && outer > limit / t.dims_[0]) c.fail(where + ": its dimensions' product overflows");
    std::uint64_t const elements = outer * t.dims_[0];
    t.type_ = c.read<std::uint32_t>("a tensor type");
    ggml::type_traits const tt = ggml::traits(t.type_);
    if (tt.name == nullptr) c.fail(where + ": type " + std::to_string(t.type_) + " is not a ggml type");
    if (t.dims_[0] % tt.block_values != 0) {
      c.fail(where + ": dims[0] = " + std::to_string(t.dims_[0]) + " is not a multiple of " + tt.name +
             "'s block of " + std::to_string(tt.block_values));
    }
    std::uint64_t const blocks = elements / tt.block_values;
    if (blocks > SIZE_MAX / tt.block_bytes) c.fail(where + ": its byte count overflows");
    t.bytes_ = static_cast<std::size_t>(blocks * tt.block_bytes);
    std::uint64_t const offset = c.read<std::uint64_t>("a tensor's data offset");
    if (offset > SIZE_MAX) c.fail(where + ": data offset " + std::to_string(offset) + " is too large");
    t.offset_ = static_cast<std::size_t>(offset);
    t.cols_ = static_cast<std::size_t>(t.dims_[0]);
    t.rows_ = static_cast<std::size_t>(outer);
    tensor_index_.emplace(t.name_, static_cast<std::size_t>(&t - tensors_.data()));
  }

  mapped_file file_;
  std::uint32_t version_ = 0;
  std::size_t alignment_ = 32, data_at_ = 0;
  std::vector<std::pair<std::string, gguf_value>> meta_;
  std::unordered_map<std::string, std::size_t> meta_index_;
  std::vector<gguf_tensor> tensors_;
  std::unordered_map<std::string, std::size_t> tensor_index_;
};

SPARQ_NAMESPACE_END
