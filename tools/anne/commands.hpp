// SPDX-License-Identifier: MIT
// The table of anne's commands. A new command: write command_NAME.cpp with a function returning
// its Command, declare it here, and add it to the list in commands.cpp.
#pragma once

#include <vector>

#include "cli.hpp"

namespace anne::cli {

Command demo_command();
Command explain_command();
Command eval_command();
Command bench_command();
Command quantize_command();
Command import_command();
Command info_command();
Command predict_command();
Command export_command();
Command train_command();
Command console_command();
Command stream_command();

const std::vector<Command>& commands();

}  // namespace anne::cli
