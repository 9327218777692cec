// SPDX-License-Identifier: Apache-2.0
// A small, strict JSON reader for file headers (safetensors): objects, arrays, strings, integers,
// numbers, true/false/null. Depth- and size-limited; malformed input is a sparq::file_error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <sparq/core/config.hpp>
#include <sparq/core/error.hpp>

SPARQ_NAMESPACE_BEGIN
namespace detail {

struct json_value {
  enum class kind { null, boolean, number, string, array, object } type = kind::null;
  bool boolean = false;
  double number = 0;
  bool is_integer = false;
  std::uint64_t integer = 0;  ///< for non-negative integer literals
  std::string string;
  std::vector<json_value> array;
  std::map<std::string, json_value> object;
};

class json_reader {
 public:
  json_reader(std::string const& text, std::string what) : s_(text), what_(std::move(what)) {}

  json_value parse() {
    json_value v = value(0);
    skip();
    if (i_ != s_.size()) fail("trailing characters after the JSON value");
    return v;
  }

 private:
  [[noreturn]] void fail(std::string const& why) const {
    SPARQ_THROW(file_error, what_ + ": malformed JSON header at byte " + std::to_string(i_) + ": " + why);
  }
  void skip() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\r' || s_[i_] == '\t')) ++i_;
  }
  void expect(char c) {
    skip();
    if (i_ >= s_.size() || s_[i_] != c) fail(std::string("expected '") + c + "'");
    ++i_;
  }
  json_value value(int depth) {
    if (depth > 32) fail("nesting deeper than 32");
    skip();
    if (i_ >= s_.size()) fail("unexpected end");
    char const c = s_[i_];
    json_value v;
    if (c == '{') {
      v.type = json_value::kind::object;
      ++i_;
      skip();
      if (i_ < s_.size() && s_[i_] == '}') {
        ++i_;
        return v;
      }
      for (;;) {
        skip();
        std::string key = string_literal();
        expect(':');
        json_value item = value(depth + 1);
        if (!v.object.emplace(std::move(key), std::move(item)).second) fail("duplicate key");
        skip();
        if (i_ < s_.size() && s_[i_] == ',') {
          ++i_;
          continue;
        }
        expect('}');
        return v;
      }
    }
    if (c == '[') {
      v.type = json_value::kind::array;
      ++i_;
      skip();
      if (i_ < s_.size() && s_[i_] == ']') {
        ++i_;
        return v;
      }
      for (;;) {
        v.array.push_back(value(depth + 1));
        skip();
        if (i_ < s_.size() && s_[i_] == ',') {
          ++i_;
          continue;
        }
        expect(']');
        return v;
      }
    }
    if (c == '"') {
      v.type = json_value::kind::string;
      v.string = string_literal();
      return v;
    }
    if (s_.compare(i_, 4, "true") == 0 || s_.compare(i_, 5, "false") == 0) {
      v.type = json_value::kind::boolean;
      v.boolean = s_[i_] == 't';
      i_ += v.boolean ? 4 : 5;
      return v;
    }
    if (s_.compare(i_, 4, "null") == 0) {
      i_ += 4;
      return v;
    }
    return number();
  }
  std::string string_literal() {
    if (i_ >= s_.size() || s_[i_] != '"') fail("expected a string");
    ++i_;
    std::string out;
    while (i_ < s_.size() && s_[i_] != '"') {
      char ch = s_[i_++];
      if (ch == '\\') {
        if (i_ >= s_.size()) fail("unterminated escape");
        char const e = s_[i_++];
        if (e == 'u') {
          if (i_ + 4 > s_.size()) fail("short \\u escape");
          i_ += 4;  // names in sparq's use are ASCII; a \u escape is kept as '?'
          ch = '?';
        } else {
          ch = e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e == 'b' ? '\b' : e == 'f' ? '\f' : e;
        }
      }
      out += ch;
    }
    if (i_ >= s_.size()) fail("unterminated string");
    ++i_;
    return out;
  }
  json_value number() {
    std::size_t const start = i_;
    if (i_ < s_.size() && s_[i_] == '-') ++i_;
    bool digits = false, integer = true;
    while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') {
      ++i_;
      digits = true;
    }
    if (i_ < s_.size() && (s_[i_] == '.' || s_[i_] == 'e' || s_[i_] == 'E')) {
      integer = false;
      ++i_;
      while (i_ < s_.size() && ((s_[i_] >= '0' && s_[i_] <= '9') || s_[i_] == 'e' || s_[i_] == 'E' ||
                                s_[i_] == '+' || s_[i_] == '-' || s_[i_] == '.')) {
        ++i_;
      }
    }
    if (!digits) fail("expected a value");
    json_value v;
    v.type = json_value::kind::number;
    std::string const text = s_.substr(start, i_ - start);
    v.number = std::strtod(text.c_str(), nullptr);
    if (integer && text[0] != '-' && text.size() <= 19) {
      v.is_integer = true;
      v.integer = std::strtoull(text.c_str(), nullptr, 10);
    }
    return v;
  }

  std::string const& s_;
  std::string what_;
  std::size_t i_ = 0;
};

/// A number as the error messages print it (%.17g: integers exactly, -8 as "-8").
inline std::string json_number_text(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

/// s as a JSON string literal, quotes included: '"' and '\\' escaped, control bytes as \\u00XX,
/// other bytes (UTF-8) as they are.
inline std::string json_quote(std::string const& s) {
  std::string out = "\"";
  for (char ch : s) {
    unsigned char const c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
      out += buf;
    } else {
      out += ch;
    }
  }
  return out + "\"";
}

}  // namespace detail
SPARQ_NAMESPACE_END
