// SPDX-License-Identifier: Apache-2.0
// sparq-explore: pick a format by its error, size and speed. Subcommands grow with the library.
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include <sparq/core/error.hpp>

#include "commands.hpp"

namespace {

void usage(std::ostream& out) {
  out << "usage: sparq-explore [COMMAND] [OPTIONS]\n"
         "\n"
         "commands:\n"
      << sparq_explore::quantize_usage()
      << "  formats [--json|--markdown]\n"
         "                     every element format's spec card, computed from the types\n"
         "  help               this text\n";
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  // The default command is quantize; options without a command go to it.
  std::string command = "quantize";
  if (!args.empty() && args.front().rfind("--", 0) != 0) {
    command = args.front();
    args.erase(args.begin());
  }
  try {
    if (command == "quantize") return sparq_explore::run_quantize(args, std::cout);
    if (command == "formats") return sparq_explore::run_formats(args, std::cout);
    if (command == "help" || command == "--help" || command == "-h") {
      usage(std::cout);
      return 0;
    }
    std::cerr << "sparq-explore: unknown command '" << command << "'\n";
    usage(std::cerr);
    return 2;
  } catch (sparq::invalid_argument const& e) {
    std::cerr << "sparq-explore: " << e.what() << "\n";
    usage(std::cerr);
    return 2;
  } catch (std::exception const& e) {
    std::cerr << "sparq-explore: " << e.what() << "\n";
    return 1;
  }
}
