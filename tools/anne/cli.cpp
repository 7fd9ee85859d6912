// SPDX-License-Identifier: MIT
#include "cli.hpp"

#include <algorithm>

#include "anne_host/text.hpp"

namespace anne::cli {

const std::string& Args::get(const std::string& name) const {
  const auto it = values_.find(name);
  if (it == values_.end()) throw UsageError("missing option " + name);
  return it->second;
}

std::string Args::get_or(const std::string& name, const std::string& fallback) const {
  const auto it = values_.find(name);
  return it == values_.end() ? fallback : it->second;
}

Args parse(const Command& command, const std::vector<std::string>& words) {
  Args args;
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& word = words[i];
    const bool declared_short = std::any_of(command.options.begin(), command.options.end(), [&](const Option& o) {
      return o.name.size() == 2 && word.compare(0, 2, o.name) == 0 && (word.size() == 2 || word[2] == '=');
    });
    if (!declared_short && (word.size() < 2 || word.compare(0, 2, "--") != 0)) {
      if (command.positional.empty() || !args.positional_.empty()) {
        throw UsageError("unexpected argument '" + word + "'");
      }
      args.positional_.push_back(word);
      continue;
    }
    const size_t equals = word.find('=');
    const std::string name = word.substr(0, equals);
    const auto option = std::find_if(command.options.begin(), command.options.end(),
                                     [&](const Option& o) { return o.name == name; });
    if (option == command.options.end()) throw UsageError("unknown option " + name);
    if (args.values_.count(name) > 0) throw UsageError("option " + name + " given twice");
    if (option->value.empty()) {
      if (equals != std::string::npos) throw UsageError("option " + name + " takes no value");
      args.values_[name] = "";
    } else if (equals != std::string::npos) {
      args.values_[name] = word.substr(equals + 1);
    } else {
      if (i + 1 >= words.size()) throw UsageError("option " + name + " needs a value " + option->value);
      args.values_[name] = words[++i];
    }
  }
  for (const Option& option : command.options) {
    if (option.required && args.values_.count(option.name) == 0) throw UsageError("missing option " + option.name);
  }
  if (!command.positional.empty() && args.positional_.empty()) throw UsageError("missing " + command.positional);
  return args;
}

std::string usage_line(const Command& command) {
  std::string line = "usage: anne " + command.name;
  if (!command.positional.empty()) line += " " + command.positional;
  for (const Option& option : command.options) {
    std::string text = option.name + (option.value.empty() ? "" : " " + option.value);
    line += option.required ? " " + text : " [" + text + "]";
  }
  return line;
}

std::string command_help(const Command& command) {
  std::string text = usage_line(command) + "\n\n" + command.summary + "\n";
  if (!command.options.empty()) text += "\noptions:\n";
  for (const Option& option : command.options) {
    std::string left = "  " + option.name + (option.value.empty() ? "" : " " + option.value);
    if (left.size() < 24) left.resize(24, ' ');
    else left += "\n" + std::string(24, ' ');
    text += left + option.help + "\n";
  }
  text += "  --help                show this help\n";
  if (!command.details.empty()) text += "\n" + command.details;
  return text;
}

long integer_option(const Args& args, const std::string& name, long fallback, long low, long high) {
  if (!args.has(name)) return fallback;
  const auto value = host::parse_index(args.get(name));
  if (!value || *value < low || *value > high) {
    throw UsageError("option " + name + " needs a whole number from " + std::to_string(low) + " to " +
                     std::to_string(high) + ", not '" + args.get(name) + "'");
  }
  return *value;
}

}  // namespace anne::cli
