// SPDX-License-Identifier: Apache-2.0
// sparq-explore: pick a format by its error, size and speed. Subcommands grow with the library.
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "commands.hpp"

namespace {

void usage(std::ostream& out) {
  out << "usage: sparq-explore [COMMAND] [OPTIONS]\n"
         "\n"
         "commands:\n"
         "  formats [--json|--markdown]\n"
         "                     every element format's spec card, computed from the types (default)\n"
         "  help               this text\n";
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string const command = args.empty() ? "formats" : args.front();
  if (!args.empty()) args.erase(args.begin());
  try {
    if (command == "formats") return sparq_explore::run_formats(args, std::cout);
    if (command == "help" || command == "--help" || command == "-h") {
      usage(std::cout);
      return 0;
    }
    std::cerr << "sparq-explore: unknown command '" << command << "'\n";
    usage(std::cerr);
    return 2;
  } catch (std::exception const& e) {
    std::cerr << "sparq-explore: " << e.what() << "\n";
    return 1;
  }
}
