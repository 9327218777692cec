// SPDX-License-Identifier: Apache-2.0
// sparq-explore's subcommands. Each is one function: main.cpp maps names to them.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace sparq_explore {

/// `sparq-explore formats [--json|--markdown]`: the spec card of every element format, computed from the
/// format types (bits, bias, max, min normal, min subnormal, specials, int8 image).
int run_formats(std::vector<std::string> const& args, std::ostream& out);

/// `sparq-explore [quantize] ...` (the default command): see quantize_usage().
int run_quantize(std::vector<std::string> const& args, std::ostream& out);
std::string quantize_usage();

}  // namespace sparq_explore
