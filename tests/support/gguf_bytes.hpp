// SPDX-License-Identifier: Apache-2.0
// GGUF bytes built field by field for the reader tests (valid files, and files broken on purpose):
// little-endian numbers, strings, metadata pairs, tensor infos, padding to the alignment.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace sparq {
namespace test {

struct gguf_bytes {
  std::vector<std::uint8_t> b;

  gguf_bytes& u8(std::uint8_t v) {
    b.push_back(v);
    return *this;
  }
  gguf_bytes& le(std::uint64_t v, int n) {
    for (int i = 0; i < n; ++i) b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
    return *this;
  }
  gguf_bytes& u32(std::uint32_t v) { return le(v, 4); }
  gguf_bytes& u64(std::uint64_t v) { return le(v, 8); }
  gguf_bytes& f32(float f) {
    std::uint32_t u;
    std::memcpy(&u, &f, 4);
    return u32(u);
  }
  gguf_bytes& str(std::string const& s) {
    u64(s.size());
    b.insert(b.end(), s.begin(), s.end());
    return *this;
  }
  /// "GGUF", version, tensor count, metadata count.
  gguf_bytes& header(std::uint32_t version, std::uint64_t tensors, std::uint64_t kvs) {
    for (char ch : {'G', 'G', 'U', 'F'}) b.push_back(static_cast<std::uint8_t>(ch));
    return u32(version).u64(tensors).u64(kvs);
  }
  /// A metadata key and its type (the value follows).
  gguf_bytes& key(std::string const& k, std::uint32_t type) { return str(k).u32(type); }
  /// A tensor info: name, dims (ggml order), ggml type, data offset.
  gguf_bytes& tensor(std::string const& name, std::vector<std::uint64_t> const& dims, std::uint32_t type,
                     std::uint64_t offset) {
    str(name).u32(static_cast<std::uint32_t>(dims.size()));
    for (auto d : dims) u64(d);
    return u32(type).u64(offset);
  }
  gguf_bytes& pad(std::size_t alignment) {
    while (b.size() % alignment != 0) b.push_back(0);
    return *this;
  }
  gguf_bytes& raw(std::vector<std::uint8_t> const& data) {
    b.insert(b.end(), data.begin(), data.end());
    return *this;
  }
};

}  // namespace test
}  // namespace sparq
