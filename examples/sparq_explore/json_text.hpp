// SPDX-License-Identifier: Apache-2.0
// A string as a JSON string literal's contents (quotes, backslashes and control characters
// escaped), for every JSON sparq-explore prints: sparq's own quoting without the quotes.
#pragma once

#include <string>

#include <sparq/interop/json.hpp>

namespace sparq_explore {

inline std::string json_escape(std::string const& s) {
  std::string const q = sparq::detail::json_quote(s);
  return q.substr(1, q.size() - 2);
}

}  // namespace sparq_explore
