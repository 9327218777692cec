// SPDX-License-Identifier: Apache-2.0
// A string as a JSON string literal's contents (quotes, backslashes and control characters
// escaped), for every JSON sparq-explore prints.
#pragma once

#include <cstdio>
#include <string>

namespace sparq_explore {

inline std::string json_escape(std::string const& s) {
  std::string r;
  for (char ch : s) {
    unsigned char const u = static_cast<unsigned char>(ch);
    if (ch == '"' || ch == '\\') {
      r += '\\';
      r += ch;
    } else if (u < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", u);
      r += buf;
    } else {
      r += ch;
    }
  }
  return r;
}

}  // namespace sparq_explore
