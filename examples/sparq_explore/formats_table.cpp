// SPDX-License-Identifier: Apache-2.0
// `sparq-explore formats`: the spec card of every format in sparq::element_formats, computed from
// the types (nothing here is typed in per format).
#include <cmath>
#include <cstdio>
#include <limits>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include <sparq/sparq.hpp>

#include "commands.hpp"
#include "json_text.hpp"

namespace sparq_explore {
namespace {

struct card {
  std::string name, layout, bias, lowest, max, min_normal, min_subnormal, specials, int8_image;
  int bits;
};

std::string number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

template <class F>
card card_of() {
  using S = typename F::spec;
  using L = std::numeric_limits<F>;
  card c;
  c.name = sparq::format_name_v<F>;
  c.bits = sparq::bits_of_v<F>;
  c.max = number(sparq::max_finite_v<F>);
  c.lowest = number(static_cast<float>(L::lowest()));
  if constexpr (S::is_integer) {
    c.layout = S::is_signed ? "two's complement" : "unsigned";
    c.bias = "-";
    c.min_normal = "-";
    c.min_subnormal = "-";
    c.specials = "none";
  } else {
    c.layout = std::string(S::is_signed ? "" : "U") + "E" + std::to_string(S::exp_bits) + "M" + std::to_string(S::man_bits);
    c.bias = std::to_string(S::bias);
    c.min_normal = number(static_cast<float>(L::min()));
    c.min_subnormal = L::has_denorm == std::denorm_present ? number(static_cast<float>(L::denorm_min())) : "-";
    std::string sp;
    if (S::has_inf) sp += "inf ";
    if (S::has_nan) sp += S::has_signed_nan ? "nan(+-) " : "nan(1) ";
    if (S::has_negative_zero) sp += "-0 ";
    if (!S::has_zero) sp += "no-zero ";
    c.specials = sp.empty() ? "finite" : sp.substr(0, sp.size() - 1);
  }
  c.int8_image = sparq::int8_image<F>::exists ? "x" + std::to_string(sparq::int8_image<F>::factor) : "-";
  return c;
}

}  // namespace

int run_formats(std::vector<std::string> const& args, std::ostream& out) {
  bool json = false, markdown = false;
  for (auto const& a : args) {
    if (a == "--json") {
      json = true;
    } else if (a == "--markdown") {
      markdown = true;
    } else {
      throw sparq::invalid_argument("formats: unknown option '" + a + "', expected --json or --markdown");
    }
  }
  std::vector<card> cards;
  sparq::for_each_type(sparq::element_formats{}, [&](auto f) { cards.push_back(card_of<decltype(f)>()); });
  if (json) {
    out << "[\n";
    for (std::size_t i = 0; i < cards.size(); ++i) {
      card const& c = cards[i];
      out << "  {\"name\": \"" << c.name << "\", \"bits\": " << c.bits << ", \"layout\": \"" << json_escape(c.layout)
          << "\", \"bias\": \"" << c.bias << "\", \"lowest\": \"" << c.lowest << "\", \"max\": \"" << c.max << "\", \"min_normal\": \"" << c.min_normal
          << "\", \"min_subnormal\": \"" << c.min_subnormal << "\", \"specials\": \"" << c.specials
          << "\", \"int8_image\": \"" << c.int8_image << "\"}" << (i + 1 < cards.size() ? "," : "") << "\n";
    }
    out << "]\n";
    return 0;
  }
  if (markdown) {
    out << "| format | bits | layout | bias | lowest | max | min normal | min subnormal | specials | int8 image |\n"
        << "|---|---|---|---|---|---|---|---|---|---|\n";
    for (card const& c : cards) {
      out << "| `" << c.name << "` | " << c.bits << " | " << c.layout << " | " << c.bias << " | " << c.lowest
          << " | " << c.max << " | " << c.min_normal << " | " << c.min_subnormal << " | " << c.specials << " | "
          << c.int8_image << " |\n";
    }
    return 0;
  }
  char line[256];
  std::snprintf(line, sizeof line, "%-16s %4s  %-16s %4s  %-15s %-14s %-14s %-14s %-16s %s\n", "format", "bits",
                "layout", "bias", "lowest", "max", "min normal", "min subnormal", "specials", "int8 image");
  out << line;
  for (card const& c : cards) {
    std::snprintf(line, sizeof line, "%-16s %4d  %-16s %4s  %-15s %-14s %-14s %-14s %-16s %s\n", c.name.c_str(), c.bits,
                  c.layout.c_str(), c.bias.c_str(), c.lowest.c_str(), c.max.c_str(), c.min_normal.c_str(), c.min_subnormal.c_str(),
                  c.specials.c_str(), c.int8_image.c_str());
    out << line;
  }
  out << "(int8 image: every code times the factor is an exact int8; nan(1): a single NaN code)\n";
  return 0;
}

}  // namespace sparq_explore
