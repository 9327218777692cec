// SPDX-License-Identifier: Apache-2.0
// sparq-explore: pick a format by its error, size and speed. Subcommands grow with the library.
//
// Exit codes: 0 success (and --help); 1 the run failed (a file that cannot be read or is not a
// valid .npy / .safetensors, or any other error while running); 2 a usage error (unknown command
// or option, a missing or bad value, options that do not apply together). With --json, an error
// is printed as JSON on stdout, {"error": "...", "exit_code": N}, as well as on stderr.
#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include <sparq/core/error.hpp>

#include "commands.hpp"
#include "json_text.hpp"

namespace {

void usage(std::ostream& out) {
  out << "usage: sparq-explore [COMMAND] [OPTIONS]\n"
         "\n"
         "commands:\n"
      << sparq_explore::quantize_usage()
      << "  formats [--json|--markdown]\n"
         "                     every element format's spec card, computed from the types\n"
         "  help, --help, -h   this text\n"
         "\n"
         "exit codes: 0 success; 1 the run failed (unreadable or invalid file, ...); 2 usage error.\n"
         "With --json, errors are printed as {\"error\": MESSAGE, \"exit_code\": N} on stdout too.\n";
}

int fail(int code, std::string const& message, bool json) {
  std::cerr << "sparq-explore: " << message << "\n";
  if (code == 2) std::cerr << "(sparq-explore --help lists the commands and options)\n";
  if (json) std::cout << "{\"error\": \"" << sparq_explore::json_escape(message) << "\", \"exit_code\": " << code << "}\n";
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  bool const json = std::find(args.begin(), args.end(), "--json") != args.end();
  for (auto const& a : args) {
    if (a == "--help" || a == "-h" || a == "help") {
      usage(std::cout);
      return 0;
    }
  }
  // The default command is quantize; options without a command go to it.
  std::string command = "quantize";
  if (!args.empty() && args.front().rfind("-", 0) != 0) {
    command = args.front();
    args.erase(args.begin());
  }
  try {
    if (command == "quantize") return sparq_explore::run_quantize(args, std::cout);
    if (command == "formats") return sparq_explore::run_formats(args, std::cout);
    return fail(2, "unknown command '" + command + "', expected quantize, formats or help", json);
  } catch (sparq::file_error const& e) {
    return fail(1, e.what(), json);
  } catch (sparq::invalid_argument const& e) {
    return fail(2, e.what(), json);
  } catch (std::exception const& e) {
    return fail(1, e.what(), json);
  }
}
