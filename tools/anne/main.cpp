// SPDX-License-Identifier: MIT
// anne: the host command. Dispatches to the command table; turns errors into messages and exit
// statuses (1 bad input, 2 bad command line).
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "anne/version.hpp"
#include "anne_host/error.hpp"
#include "commands.hpp"

namespace {

void print_general_help(std::FILE* out) {
  std::fprintf(out, "anne %s: neural networks from Keras onto microcontrollers, every number visible\n\n",
               ANNE_VERSION_STRING);
  std::fprintf(out, "usage: anne COMMAND [options]    (anne COMMAND --help for its options)\n\ncommands:\n");
  for (const anne::cli::Command& command : anne::cli::commands()) {
    std::fprintf(out, "  %-10s %s\n", command.name.c_str(), command.summary.c_str());
  }
  std::fprintf(out, "\n  --help      show this help\n  --version   print the version\n");
}

int run(int argc, char** argv) {
  using namespace anne::cli;
  if (argc < 2) {
    print_general_help(stderr);
    return kExitUsage;
  }
  const std::string name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    print_general_help(stdout);
    return kExitOk;
  }
  if (name == "--version" || name == "-V") {
    std::printf("anne %s\n", ANNE_VERSION_STRING);
    return kExitOk;
  }
  for (const Command& command : commands()) {
    if (command.name != name) continue;
    const std::vector<std::string> words(argv + 2, argv + argc);
    for (const std::string& word : words) {
      if (word == "--help" || word == "-h") {
        std::printf("%s", command_help(command).c_str());
        return kExitOk;
      }
    }
    try {
      return command.run(parse(command, words));
    } catch (const UsageError& error) {
      std::fprintf(stderr, "anne %s: %s\n%s\n", name.c_str(), error.what(), usage_line(command).c_str());
      return kExitUsage;
    }
  }
  std::fprintf(stderr, "anne: unknown command '%s'\n\n", name.c_str());
  print_general_help(stderr);
  return kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const anne::host::Error& error) {
    std::fprintf(stderr, "anne: error: %s\n", error.what());
  } catch (const std::exception& error) {
    std::fprintf(stderr, "anne: internal error: %s\n", error.what());
  }
  return anne::cli::kExitError;
}
