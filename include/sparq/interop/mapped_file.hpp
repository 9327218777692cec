// SPDX-License-Identifier: Apache-2.0
// A read-only view of a whole file: memory-mapped where the platform has mmap (the pages load on
// demand and are shared with the page cache), read into memory elsewhere.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#if defined(__unix__) || defined(__APPLE__)
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#define SPARQ_HAS_MMAP 1
#else
#define SPARQ_HAS_MMAP 0
#endif

#include <sparq/core/config.hpp>
#include <sparq/core/error.hpp>
#include <sparq/interop/dense_file.hpp>

SPARQ_NAMESPACE_BEGIN

class mapped_file {
 public:
  mapped_file() = default;
  /// Opens path; sparq::file_error names the reader and the path when it cannot.
  mapped_file(std::string const& path, char const* reader) {
#if SPARQ_HAS_MMAP
    int const fd = ::open(path.c_str(), O_RDONLY);
    if (fd < 0) SPARQ_THROW(file_error, std::string(reader) + ": cannot open '" + path + "'");
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
      ::close(fd);
      SPARQ_THROW(file_error, std::string(reader) + ": '" + path + "' is not a regular file");
    }
    size_ = static_cast<std::size_t>(st.st_size);
    if (size_ != 0) {
      void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
      if (p != MAP_FAILED) {
        data_ = static_cast<std::uint8_t const*>(p);
        mapped_ = true;
      }
    }
    ::close(fd);
    if (size_ != 0 && !mapped_) {
      copy_ = detail::read_file(path, reader);
      data_ = copy_.data();
      size_ = copy_.size();
    }
#else
    copy_ = detail::read_file(path, reader);
    data_ = copy_.data();
    size_ = copy_.size();
#endif
  }
  mapped_file(mapped_file&& o) noexcept { swap(o); }
  mapped_file& operator=(mapped_file&& o) noexcept {
    mapped_file t(std::move(o));
    swap(t);
    return *this;
  }
  mapped_file(mapped_file const&) = delete;
  mapped_file& operator=(mapped_file const&) = delete;
  ~mapped_file() {
#if SPARQ_HAS_MMAP
    if (mapped_) ::munmap(const_cast<std::uint8_t*>(data_), size_);
#endif
  }

  std::uint8_t const* data() const noexcept { return data_; }
  std::size_t size() const noexcept { return size_; }
  /// Whether the file is memory-mapped (false: read into memory).
  bool mapped() const noexcept { return mapped_; }

 private:
  void swap(mapped_file& o) noexcept {
    std::swap(data_, o.data_);
    std::swap(size_, o.size_);
    std::swap(mapped_, o.mapped_);
    copy_.swap(o.copy_);  // a vector swap keeps its buffer, so data_ still points into it
  }

  std::uint8_t const* data_ = nullptr;
  std::size_t size_ = 0;
  bool mapped_ = false;
  std::vector<std::uint8_t> copy_;
};

namespace detail {
/// Writes bytes to path (created or truncated); sparq::file_error names `writer` when it cannot.
inline void write_file(std::string const& path, std::vector<std::uint8_t> const& bytes, char const* writer) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) SPARQ_THROW(file_error, std::string(writer) + ": cannot create '" + path + "'");
  bool const ok = bytes.empty() || std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  if (std::fclose(f) != 0 || !ok) SPARQ_THROW(file_error, std::string(writer) + ": cannot write '" + path + "'");
}
}  // namespace detail

SPARQ_NAMESPACE_END
