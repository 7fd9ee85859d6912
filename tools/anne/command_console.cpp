// SPDX-License-Identifier: MIT
// anne console: the device's console (include/anne/console/) on the PC, stdin to stdout, so a
// learner without a board has the same session; and --send, the other end of a model transfer.
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "anne/console/console.hpp"
#include "anne/models/builtin.hpp"
#include "anne_host/error.hpp"
#include "anne_host/model.hpp"
#include "commands.hpp"
#include "transfer.hpp"

namespace anne::cli {

namespace {

void write_stdout(void*, const char* text) { std::fputs(text, stdout); }

uint32_t nanoseconds(void*) {
  const auto now = std::chrono::steady_clock::now().time_since_epoch();
  return static_cast<uint32_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(now).count());
}

void feed(console::Console& console, const std::string& bytes) {
  for (char c : bytes) console.feed(static_cast<uint8_t>(c));
}

int run_console(const Args& args) {
  if (args.has("--send")) {
    if (args.has("--model")) throw UsageError("--send and --model exclude each other");
    const std::string text = model_transfer("receive", args.get("--send"));
    std::fwrite(text.data(), 1, text.size(), stdout);
    return kExitOk;
  }
  // Load what --model names before the console starts, so that a bad name is a plain error.
  std::string preselect;
  if (args.has("--model")) {
    const std::string& name = args.get("--model");
    if (find_builtin_model(name.c_str()) != nullptr) {
      preselect = "select " + name + "\n";
    } else if (name.find('/') == std::string::npos && name.find('.') == std::string::npos) {
      throw host::Error("unknown model '" + name + "' (built-in models: " + host::builtin_model_names() + "; or a .anne file)");
    } else {
      preselect = model_transfer("receive", name);
    }
  }

  static console::Console console;  // about 10 KB: not on the stack
  console::Platform platform;
  platform.write = &write_stdout;
  platform.ticks = &nanoseconds;
  platform.tick_unit = "ns";
  console::ConsoleOptions options;
  const bool terminal = isatty(STDIN_FILENO) != 0;
  if (terminal) options.prompt = "> ";
  console.begin(platform, options);
  feed(console, preselect);

  uint8_t buffer[4096];
  for (;;) {
    std::fflush(stdout);
    const ssize_t count = read(STDIN_FILENO, buffer, sizeof buffer);
    if (count < 0 && errno == EINTR) continue;
    if (count <= 0) break;
    for (ssize_t i = 0; i < count; ++i) console.feed(buffer[i]);
  }
  const bool cut = console.end_of_input();
  if (terminal) std::fputs("\n", stdout);
  std::fflush(stdout);
  return cut ? kExitError : kExitOk;
}

}  // namespace

Command console_command() {
  return {"console", "the device's command console on this PC (stdin to stdout)", "",
          {{"--model", "MODEL", "start with this network: a built-in one or a .anne file (sent as by receive)"},
           {"--send", "FILE", "print the receive line and FILE's bytes, for another console's input"}},
          &run_console,
          "Type help in the console for its commands (docs/console.md). The prompt \"> \" shows only when\n"
          "stdin is a terminal, so a piped script gives a plain transcript. Exit status 0 at the end of\n"
          "the input, 1 when the input ended in the middle of a model transfer.\n"
          "example: anne console --send model.anne | anne console\n"};
}

}  // namespace anne::cli
