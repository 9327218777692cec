// SPDX-License-Identifier: Apache-2.0
// sparq::span<T>: a non-owning (pointer, size) view, C++17 stand-in for std::span.
#pragma once

#include <array>
#include <cstddef>
#include <type_traits>
#include <vector>

#include <sparq/core/config.hpp>

SPARQ_NAMESPACE_BEGIN

/// A contiguous, non-owning range. Never allocates; the caller keeps the storage alive.
///
///   std::vector<float> v(8);
///   sparq::span<float const> s{v};   // s.size() == 8, s.data() == v.data()
template <class T>
class span {
 public:
  using element_type = T;
  using value_type = std::remove_cv_t<T>;

  constexpr span() noexcept = default;
  constexpr span(T* data, std::size_t size) noexcept : data_(data), size_(size) {}
  template <std::size_t N>
  constexpr span(T (&array)[N]) noexcept : data_(array), size_(N) {}
  template <class U, class A,
            class = std::enable_if_t<std::is_convertible<U (*)[], T (*)[]>::value>>
  span(std::vector<U, A>& v) noexcept : data_(v.data()), size_(v.size()) {}
  template <class U, class A,
            class = std::enable_if_t<std::is_convertible<U const (*)[], T (*)[]>::value>>
  span(std::vector<U, A> const& v) noexcept : data_(v.data()), size_(v.size()) {}
  template <class U, std::size_t N,
            class = std::enable_if_t<std::is_convertible<U (*)[], T (*)[]>::value>>
  constexpr span(std::array<U, N>& a) noexcept : data_(a.data()), size_(N) {}
  template <class U, class = std::enable_if_t<std::is_convertible<U (*)[], T (*)[]>::value>>
  constexpr span(span<U> const& other) noexcept : data_(other.data()), size_(other.size()) {}

  constexpr T* data() const noexcept { return data_; }
  constexpr std::size_t size() const noexcept { return size_; }
  constexpr bool empty() const noexcept { return size_ == 0; }
  constexpr T& operator[](std::size_t i) const noexcept { return data_[i]; }
  constexpr T* begin() const noexcept { return data_; }
  constexpr T* end() const noexcept { return data_ + size_; }
  constexpr span subspan(std::size_t offset, std::size_t count) const noexcept {
    return span(data_ + offset, count);
  }

 private:
  T* data_ = nullptr;
  std::size_t size_ = 0;
};

SPARQ_NAMESPACE_END
