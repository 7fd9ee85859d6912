// SPDX-License-Identifier: MIT
// The command line: each command declares its options once; parsing, --help and usage errors
// come from that declaration.
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace anne::cli {

/// Exit statuses: success, bad input (file, data, model), bad command line.
constexpr int kExitOk = 0;
constexpr int kExitError = 1;
constexpr int kExitUsage = 2;

struct Option {
  std::string name;   ///< "--model"
  std::string value;  ///< "NAME"; empty for a flag
  std::string help;
  bool required = false;
};

class Args;

struct Command {
  std::string name;
  std::string summary;
  std::string positional;  ///< e.g. "MODEL" (empty: no positional argument)
  std::vector<Option> options;
  int (*run)(const Args& args);
  std::string details;  ///< extra help text (examples)
};

/// A wrong command line: the message is printed with the command's usage, exit status 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Args {
 public:
  bool has(const std::string& name) const { return values_.count(name) > 0; }
  /// The option's value; throws UsageError when it is missing.
  const std::string& get(const std::string& name) const;
  std::string get_or(const std::string& name, const std::string& fallback) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  friend Args parse(const Command& command, const std::vector<std::string>& words);
  std::map<std::string, std::string> values_;
  std::vector<std::string> positional_;
};

/// Parses the words after the command name ("--name value", "--name=value", flags).
Args parse(const Command& command, const std::vector<std::string>& words);

std::string usage_line(const Command& command);
std::string command_help(const Command& command);

/// Parses an option as a whole number in [low, high]; throws UsageError.
long integer_option(const Args& args, const std::string& name, long fallback, long low, long high);

}  // namespace anne::cli
