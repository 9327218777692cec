// SPDX-License-Identifier: Apache-2.0
// GGUF's metadata values (every type GGUF v2/v3 defines, arrays nested to any sane depth) and the
// bounds-checked little-endian reader the GGUF parser (interop/gguf.hpp) reads a file with: every
// length and count is checked against the bytes left before it is used, so a hostile file gives a
// sparq::file_error naming the field and its byte offset, never a read out of bounds or a huge
// allocation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <sparq/core/config.hpp>
#include <sparq/core/error.hpp>

SPARQ_NAMESPACE_BEGIN

/// GGUF's value types (the ids a file stores).
enum class gguf_type : std::uint32_t {
  uint8 = 0, int8 = 1, uint16 = 2, int16 = 3, uint32 = 4, int32 = 5, float32 = 6, boolean = 7,
  string = 8, array = 9, uint64 = 10, int64 = 11, float64 = 12,
};

inline char const* gguf_type_name(gguf_type t) noexcept {
  switch (t) {
    case gguf_type::uint8: return "uint8";
    case gguf_type::int8: return "int8";
    case gguf_type::uint16: return "uint16";
    case gguf_type::int16: return "int16";
    case gguf_type::uint32: return "uint32";
    case gguf_type::int32: return "int32";
    case gguf_type::float32: return "float32";
    case gguf_type::boolean: return "bool";
    case gguf_type::string: return "string";
    case gguf_type::array: return "array";
    case gguf_type::uint64: return "uint64";
    case gguf_type::int64: return "int64";
    case gguf_type::float64: return "float64";
  }
  return "unknown";
}

/// One metadata value: a number, a bool, a string or an array of values of one type. Arrays keep
/// numbers in the file's bytes (at most the file's size), strings as strings, and nested arrays
/// as values; at(i) decodes element i.
class gguf_value {
 public:
  gguf_type type() const noexcept { return type_; }
  bool is_array() const noexcept { return type_ == gguf_type::array; }
  bool is_string() const noexcept { return type_ == gguf_type::string; }
  bool is_integer() const noexcept { return integer(type_); }
  bool is_signed() const noexcept {
    return type_ == gguf_type::int8 || type_ == gguf_type::int16 || type_ == gguf_type::int32 ||
           type_ == gguf_type::int64;
  }

  /// An integer value that is not negative; sparq::invalid_argument otherwise.
  std::uint64_t as_uint() const {
    if (!is_integer() || (is_signed() && i_ < 0)) mismatch("a non-negative integer");
    return is_signed() ? static_cast<std::uint64_t>(i_) : u_;
  }
  /// An integer value that fits int64.
  std::int64_t as_int() const {
    if (!is_integer() || (!is_signed() && u_ > static_cast<std::uint64_t>(INT64_MAX))) mismatch("an int64 integer");
    return is_signed() ? i_ : static_cast<std::int64_t>(u_);
  }
  /// A float32 or float64 value (float32 widened exactly), or an integer converted.
  double as_float() const {
    if (type_ == gguf_type::float32 || type_ == gguf_type::float64) return f_;
    if (is_integer()) return is_signed() ? static_cast<double>(i_) : static_cast<double>(u_);
    mismatch("a number");
  }
  bool as_bool() const {
    if (type_ != gguf_type::boolean) mismatch("a bool");
    return u_ != 0;
  }
  std::string const& as_string() const {
    if (type_ != gguf_type::string) mismatch("a string");
    return s_;
  }

  /// An array's element type and length.
  gguf_type element_type() const {
    if (type_ != gguf_type::array) mismatch("an array");
    return elem_;
  }
  std::size_t size() const {
    if (type_ != gguf_type::array) mismatch("an array");
    return n_;
  }
  /// Element i of an array. @pre i < size(); otherwise sparq::invalid_argument.
  gguf_value at(std::size_t i) const {
    if (i >= size()) {
      SPARQ_THROW(invalid_argument, "sparq::gguf_value::at: argument 'i' is " + std::to_string(i) +
                                        ", expected less than the array's " + std::to_string(n_));
    }
    if (elem_ == gguf_type::string) return string_value(strings_[i]);
    if (elem_ == gguf_type::array) return arrays_[i];
    gguf_value v;
    v.set_scalar(elem_, bytes_.data() + i * scalar_bytes(elem_));
    return v;
  }
  /// An array of strings (tokenizer.ggml.tokens, ...).
  std::vector<std::string> const& strings() const {
    if (type_ != gguf_type::array || elem_ != gguf_type::string) mismatch("an array of strings");
    return strings_;
  }

  /// A short text of the value: numbers, quoted strings, arrays as [n x type: first few].
  std::string text() const {
    switch (type_) {
      case gguf_type::string: return "\"" + s_ + "\"";
      case gguf_type::boolean: return u_ ? "true" : "false";
      case gguf_type::float32:
      case gguf_type::float64: return std::to_string(f_);
      case gguf_type::array: {
        std::string t = "[" + std::to_string(n_) + " x " + gguf_type_name(elem_) + ":";
        for (std::size_t i = 0; i < n_ && i < 4; ++i) t += " " + at(i).text();
        return t + (n_ > 4 ? " ...]" : "]");
      }
      default: return is_signed() ? std::to_string(i_) : std::to_string(u_);
    }
  }

  /// Values to write (interop/gguf_writer.hpp): a number of an integer type t (range checked),
  /// float32 / float64, a bool, a string, an array of values of one type, an array of strings.
  /// A value that does not fit its type is a sparq::invalid_argument.
  static gguf_value make_uint(gguf_type t, std::uint64_t x) {
    gguf_value v;
    v.type_ = t;
    if (!integer(t) || signed_type(t) || (scalar_bytes(t) < 8 && x >> (8 * scalar_bytes(t)) != 0)) {
      v.mismatch_make(std::to_string(x));
    }
    v.u_ = x;
    return v;
  }
  static gguf_value make_int(gguf_type t, std::int64_t x) {
    gguf_value v;
    v.type_ = t;
    if (!signed_type(t)) v.mismatch_make(std::to_string(x));
    int const bits = static_cast<int>(8 * scalar_bytes(t));
    if (bits < 64 && (x < -(std::int64_t{1} << (bits - 1)) || x >= (std::int64_t{1} << (bits - 1)))) {
      v.mismatch_make(std::to_string(x));
    }
    v.i_ = x;
    return v;
  }
  static gguf_value make_float(gguf_type t, double x) {
    gguf_value v;
    v.type_ = t;
    if (t != gguf_type::float32 && t != gguf_type::float64) v.mismatch_make(std::to_string(x));
    v.f_ = t == gguf_type::float32 ? static_cast<double>(static_cast<float>(x)) : x;
    return v;
  }
  static gguf_value make_bool(bool b) {
    gguf_value v;
    v.type_ = gguf_type::boolean;
    v.u_ = b ? 1 : 0;
    return v;
  }
  static gguf_value make_string(std::string s) { return string_value(std::move(s)); }
  static gguf_value make_strings(std::vector<std::string> s) {
    gguf_value v;
    v.type_ = gguf_type::array, v.elem_ = gguf_type::string, v.n_ = s.size();
    v.strings_ = std::move(s);
    return v;
  }
  static gguf_value make_array(gguf_type elem, std::vector<gguf_value> const& items) {
    gguf_value v;
    v.type_ = gguf_type::array, v.elem_ = elem, v.n_ = items.size();
    for (auto const& e : items) {
      if (e.type_ != elem) {
        SPARQ_THROW(invalid_argument, std::string("sparq::gguf_value::make_array: argument 'items' holds a ") +
                                          gguf_type_name(e.type_) + ", expected " + gguf_type_name(elem) + " only");
      }
      if (elem == gguf_type::string) {
        v.strings_.push_back(e.s_);
      } else if (elem == gguf_type::array) {
        v.arrays_.push_back(e);
      } else {
        e.append_scalar(v.bytes_);
      }
    }
    return v;
  }

  /// The value in a file's bytes, appended to out (its type id not included).
  void append_to(std::vector<std::uint8_t>& out) const {
    auto const le = [&out](std::uint64_t x, std::size_t n) {
      for (std::size_t i = 0; i < n; ++i) out.push_back(static_cast<std::uint8_t>(x >> (8 * i)));
    };
    if (type_ == gguf_type::string) {
      le(s_.size(), 8);
      out.insert(out.end(), s_.begin(), s_.end());
    } else if (type_ == gguf_type::array) {
      le(static_cast<std::uint32_t>(elem_), 4);
      le(n_, 8);
      if (elem_ == gguf_type::string) {
        for (auto const& s : strings_) {
          le(s.size(), 8);
          out.insert(out.end(), s.begin(), s.end());
        }
      } else if (elem_ == gguf_type::array) {
        for (auto const& a : arrays_) a.append_to(out);
      } else {
        out.insert(out.end(), bytes_.begin(), bytes_.end());
      }
    } else {
      std::vector<unsigned char> b;
      append_scalar(b);
      out.insert(out.end(), b.begin(), b.end());
    }
  }

  /// Bytes of one value of a number or bool type in a file (0 for strings and arrays).
  static std::size_t scalar_bytes(gguf_type t) noexcept {
    switch (t) {
      case gguf_type::uint8: case gguf_type::int8: case gguf_type::boolean: return 1;
      case gguf_type::uint16: case gguf_type::int16: return 2;
      case gguf_type::uint32: case gguf_type::int32: case gguf_type::float32: return 4;
      case gguf_type::uint64: case gguf_type::int64: case gguf_type::float64: return 8;
      default: return 0;
    }
  }

 private:
  friend struct detail_gguf_access;
  static bool integer(gguf_type t) noexcept {
    return t != gguf_type::float32 && t != gguf_type::float64 && t != gguf_type::boolean && t != gguf_type::string &&
           t != gguf_type::array;
  }
  static gguf_value string_value(std::string s) {
    gguf_value v;
    v.type_ = gguf_type::string;
    v.s_ = std::move(s);
    return v;
  }
  /// The value of a number or bool type from its little-endian bytes at p.
  void set_scalar(gguf_type t, unsigned char const* p) noexcept {
    std::size_t const n = scalar_bytes(t);
    std::uint64_t u = 0;
    for (std::size_t i = n; i-- > 0;) u = (u << 8) | p[i];
    type_ = t;
    switch (t) {
      case gguf_type::int8: i_ = static_cast<std::int8_t>(u); break;
      case gguf_type::int16: i_ = static_cast<std::int16_t>(u); break;
      case gguf_type::int32: i_ = static_cast<std::int32_t>(u); break;
      case gguf_type::int64: i_ = static_cast<std::int64_t>(u); break;
      case gguf_type::float32: {
        std::uint32_t const w = static_cast<std::uint32_t>(u);
        float f;
        std::memcpy(&f, &w, 4);
        f_ = static_cast<double>(f);
        break;
      }
      case gguf_type::float64: std::memcpy(&f_, &u, 8); break;
      default: u_ = u;
    }
  }
  static bool signed_type(gguf_type t) noexcept {
    return t == gguf_type::int8 || t == gguf_type::int16 || t == gguf_type::int32 || t == gguf_type::int64;
  }
  /// A number or bool's little-endian bytes appended to out.
  void append_scalar(std::vector<unsigned char>& out) const {
    std::uint64_t u = u_;
    if (signed_type(type_)) u = static_cast<std::uint64_t>(i_);
    if (type_ == gguf_type::float32) {
      float const f = static_cast<float>(f_);
      std::uint32_t w;
      std::memcpy(&w, &f, 4);
      u = w;
    } else if (type_ == gguf_type::float64) {
      std::memcpy(&u, &f_, 8);
    }
    for (std::size_t i = 0; i < scalar_bytes(type_); ++i) out.push_back(static_cast<unsigned char>(u >> (8 * i)));
  }
  [[noreturn]] void mismatch_make(std::string const& x) const {
    SPARQ_THROW(invalid_argument, std::string("sparq::gguf_value: ") + x + " is not a value of type " +
                                      gguf_type_name(type_));
  }
  [[noreturn]] void mismatch(char const* expected) const {
    SPARQ_THROW(invalid_argument, std::string("sparq::gguf_value: the value is ") + gguf_type_name(type_) +
                                      ", expected " + expected);
  }

  gguf_type type_ = gguf_type::uint8, elem_ = gguf_type::uint8;
  std::uint64_t u_ = 0;
  std::int64_t i_ = 0;
  double f_ = 0.0;
  std::string s_;
  std::size_t n_ = 0;                  // array length
  std::vector<unsigned char> bytes_;   // arrays of numbers / bools: the file's bytes
  std::vector<std::string> strings_;   // arrays of strings
  std::vector<gguf_value> arrays_;     // arrays of arrays
};

/// The parser's access to gguf_value's members (not part of the API).
struct detail_gguf_access {
  static void set_scalar(gguf_value& v, gguf_type t, unsigned char const* p) { v.set_scalar(t, p); }
  static void set_string(gguf_value& v, std::string s) { v = gguf_value::string_value(std::move(s)); }
  static void set_array(gguf_value& v, gguf_type elem, std::size_t n) {
    v.type_ = gguf_type::array, v.elem_ = elem, v.n_ = n;
  }
  static std::vector<unsigned char>& bytes(gguf_value& v) { return v.bytes_; }
  static std::vector<std::string>& strings(gguf_value& v) { return v.strings_; }
  static std::vector<gguf_value>& arrays(gguf_value& v) { return v.arrays_; }
};

namespace detail {

/// Little-endian reads from bytes [0, size), each checked; errors name `what`, the field and the
/// byte offset.
class gguf_cursor {
 public:
  gguf_cursor(std::uint8_t const* p, std::size_t size, std::string what) : p_(p), size_(size), what_(std::move(what)) {}

  std::size_t pos() const noexcept { return pos_; }
  std::size_t left() const noexcept { return size_ - pos_; }
  [[noreturn]] void fail(std::string const& msg) const { SPARQ_THROW(file_error, what_ + ": " + msg); }

  /// An unsigned little-endian integer (uint32 / uint64).
  template <class T>
  T read(char const* field) {
    static_assert(std::is_unsigned<T>::value, "gguf_cursor::read: unsigned types");
    if (left() < sizeof(T)) {
      fail("the file ends at byte " + std::to_string(size_) + " inside " + field + " (at byte " +
           std::to_string(pos_) + ")");
    }
    T v = 0;
    for (std::size_t i = sizeof(T); i-- > 0;) v = static_cast<T>((v << 8) | p_[pos_ + i]);
    pos_ += sizeof(T);
    return v;
  }

  /// A count of items of at least `min_bytes` each, checked against the bytes left.
  std::uint64_t count(char const* field, std::size_t min_bytes) {
    std::size_t const at = pos_;
    std::uint64_t const n = read<std::uint64_t>(field);
    if (n > left() / min_bytes) {
      fail(std::string(field) + " at byte " + std::to_string(at) + " is " + std::to_string(n) + ", more than the " +
           std::to_string(left()) + " bytes left could hold");
    }
    return n;
  }

  std::string string(char const* field) {
    std::size_t const at = pos_;
    std::uint64_t const n = read<std::uint64_t>(field);
    if (n > left()) {
      fail(std::string(field) + ": a string of " + std::to_string(n) + " bytes at byte " + std::to_string(at) +
           " runs past the end of the file (" + std::to_string(left()) + " bytes left)");
    }
    std::string s(reinterpret_cast<char const*>(p_ + pos_), static_cast<std::size_t>(n));
    pos_ += static_cast<std::size_t>(n);
    return s;
  }

  /// The next n bytes (checked), and moves past them.
  unsigned char const* bytes(std::size_t n, char const* field) {
    if (left() < n) {
      fail(std::string(field) + ": " + std::to_string(n) + " bytes at byte " + std::to_string(pos_) +
           " run past the end of the file (" + std::to_string(left()) + " bytes left)");
    }
    unsigned char const* p = p_ + pos_;
    pos_ += n;
    return p;
  }

 private:
  std::uint8_t const* p_;
  std::size_t size_, pos_ = 0;
  std::string what_;
};

/// The fewest bytes a value of type t takes in a file (a string: its length; an array: its type
/// and length).
inline std::size_t gguf_min_bytes(gguf_type t) noexcept {
  if (t == gguf_type::string) return 8;
  if (t == gguf_type::array) return 12;
  return gguf_value::scalar_bytes(t);
}

/// Arrays nest at most this deep, and a file holds at most gguf_max_nested arrays inside arrays
/// (GGUF writers nest none; the limits bound the parser's stack and memory).
inline constexpr int gguf_max_nesting = 8;
inline constexpr std::size_t gguf_max_nested = std::size_t{1} << 20;

inline gguf_type gguf_read_type(gguf_cursor& c, std::string const& key) {
  std::size_t const at = c.pos();
  std::uint32_t const t = c.read<std::uint32_t>("a value type");
  if (t > static_cast<std::uint32_t>(gguf_type::float64)) {
    c.fail("metadata '" + key + "': value type " + std::to_string(t) + " at byte " + std::to_string(at) +
           " is not a GGUF type (0 to 12)");
  }
  return static_cast<gguf_type>(t);
}

/// Reads a value of type t into v; `nested` counts the arrays inside arrays read so far.
inline void gguf_read_value(gguf_cursor& c, gguf_type t, gguf_value& v, std::string const& key, int depth,
                            std::size_t& nested) {
  using A = detail_gguf_access;
  if (t == gguf_type::string) {
    A::set_string(v, c.string(("metadata '" + key + "' value").c_str()));
    return;
  }
  if (t != gguf_type::array) {
    std::size_t const at = c.pos();
    unsigned char const* p = c.bytes(gguf_value::scalar_bytes(t), ("metadata '" + key + "' value").c_str());
    if (t == gguf_type::boolean && *p > 1) {
      c.fail("metadata '" + key + "': bool at byte " + std::to_string(at) + " is " + std::to_string(*p) +
             ", expected 0 or 1");
    }
    A::set_scalar(v, t, p);
    return;
  }
  if (depth >= gguf_max_nesting) {
    c.fail("metadata '" + key + "': arrays nested deeper than " + std::to_string(gguf_max_nesting));
  }
  gguf_type const elem = gguf_read_type(c, key);
  std::size_t const n = static_cast<std::size_t>(c.count(("metadata '" + key + "' array length").c_str(), gguf_min_bytes(elem)));
  A::set_array(v, elem, n);
  if (elem == gguf_type::string) {
    auto& out = A::strings(v);
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i) out.push_back(c.string(("metadata '" + key + "' element").c_str()));
  } else if (elem == gguf_type::array) {
    if (n > gguf_max_nested - nested) {
      c.fail("metadata '" + key + "': more than " + std::to_string(gguf_max_nested) + " arrays inside arrays");
    }
    nested += n;
    auto& out = A::arrays(v);
    out.resize(n);
    for (auto& e : out) gguf_read_value(c, elem, e, key, depth + 1, nested);
  } else {
    std::size_t const bytes = n * gguf_value::scalar_bytes(elem);
    unsigned char const* p = c.bytes(bytes, ("metadata '" + key + "' array").c_str());
    if (elem == gguf_type::boolean) {
      for (std::size_t i = 0; i < n; ++i) {
        if (p[i] > 1) c.fail("metadata '" + key + "': bool element " + std::to_string(i) + " is not 0 or 1");
      }
    }
    A::bytes(v).assign(p, p + bytes);
  }
}

}  // namespace detail
SPARQ_NAMESPACE_END
