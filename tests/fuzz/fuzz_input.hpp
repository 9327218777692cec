// SPDX-License-Identifier: Apache-2.0
// The libFuzzer harnesses' reader of their input: typed values and byte runs taken from the
// front; past the end every value is zero, so any input is a complete case.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace sparq_fuzz {

class input {
 public:
  input(std::uint8_t const* data, std::size_t size) noexcept : p_(data), n_(size) {}

  template <class T>
  T take() noexcept {
    T v{};
    std::size_t const k = n_ < sizeof(T) ? n_ : sizeof(T);
    if (k != 0) std::memcpy(&v, p_, k);
    p_ += k;
    n_ -= k;
    return v;
  }
  /// A value in [lo, hi].
  std::size_t in(std::size_t lo, std::size_t hi) noexcept { return lo + take<std::uint16_t>() % (hi - lo + 1); }
  /// k bytes (zeros past the end).
  std::vector<std::uint8_t> bytes(std::size_t k) {
    std::vector<std::uint8_t> b(k, 0);
    std::size_t const m = n_ < k ? n_ : k;
    if (m != 0) std::memcpy(b.data(), p_, m);
    p_ += m;
    n_ -= m;
    return b;
  }
  std::size_t left() const noexcept { return n_; }

 private:
  std::uint8_t const* p_;
  std::size_t n_;
};

/// A finding: libFuzzer reports the crash and saves the input.
[[noreturn]] inline void finding() { std::abort(); }

}  // namespace sparq_fuzz
