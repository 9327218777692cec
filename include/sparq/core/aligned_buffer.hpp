// SPDX-License-Identifier: Apache-2.0
// aligned_buffer: owning, 64-byte aligned, zero-initialized bytes (containers' storage).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>
#include <string>

#include <sparq/core/config.hpp>
#include <sparq/core/error.hpp>

SPARQ_NAMESPACE_BEGIN

/// size() bytes at a 64-byte aligned address, zero-filled; movable and copyable (deep copy).
class aligned_buffer {
 public:
  static constexpr std::size_t alignment = 64;
  /// The largest buffer: what a pointer difference can span, rounded down to the alignment.
  static constexpr std::size_t max_bytes = static_cast<std::size_t>(PTRDIFF_MAX) / alignment * alignment;

  aligned_buffer() noexcept = default;
  /// @throws sparq::invalid_argument when bytes exceed the address space (PTRDIFF_MAX), and
  /// sparq::out_of_memory when the allocation fails (never std::bad_alloc).
  explicit aligned_buffer(std::size_t bytes) : size_(bytes) {
    if (bytes == 0) return;
    if (bytes > max_bytes) {
      size_ = 0;
      SPARQ_THROW(invalid_argument, "sparq::aligned_buffer: " + std::to_string(bytes) +
                                        " bytes requested, more than the address space holds (" +
                                        std::to_string(max_bytes) + ")");
    }
    data_ = static_cast<std::uint8_t*>(::operator new(round_up(bytes), std::align_val_t{alignment}, std::nothrow));
    if (data_ == nullptr) {
      size_ = 0;
      SPARQ_THROW(out_of_memory, "sparq::aligned_buffer: cannot allocate " + std::to_string(bytes) + " bytes");
    }
    std::memset(data_, 0, round_up(bytes));
  }
  aligned_buffer(aligned_buffer const& other) : aligned_buffer(other.size_) {
    if (size_) std::memcpy(data_, other.data_, size_);
  }
  aligned_buffer(aligned_buffer&& other) noexcept : data_(other.data_), size_(other.size_) {
    other.data_ = nullptr;
    other.size_ = 0;
  }
  aligned_buffer& operator=(aligned_buffer other) noexcept {
    swap(other);
    return *this;
  }
  ~aligned_buffer() {
    if (data_) ::operator delete(data_, std::align_val_t{alignment});
  }

  void swap(aligned_buffer& other) noexcept {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
  }
  std::uint8_t* data() noexcept { return data_; }
  std::uint8_t const* data() const noexcept { return data_; }
  std::size_t size() const noexcept { return size_; }

 private:
  static std::size_t round_up(std::size_t n) noexcept { return (n + alignment - 1) / alignment * alignment; }
  std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
};

SPARQ_NAMESPACE_END
