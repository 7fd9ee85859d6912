// SPDX-License-Identifier: MIT
#include "commands.hpp"

namespace anne::cli {

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      demo_command(),
      explain_command(),
      eval_command(),
      bench_command(),
      quantize_command(),
      import_command(),
      info_command(),
      predict_command(),
      export_command(),
      train_command(),
      console_command(),
      stream_command(),
  };
  return table;
}

}  // namespace anne::cli
