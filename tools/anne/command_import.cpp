// SPDX-License-Identifier: MIT
// anne import: a Keras model file into a .anne file, with a summary like Keras's model.summary().
#include <cstdio>

#include "anne_host/anne_file.hpp"
#include "anne_host/import/keras.hpp"
#include "commands.hpp"

namespace anne::cli {

namespace {

int run_import(const Args& args) {
  host::ImportOptions options;
  options.weights_path = args.get_or("--weights", "");
  options.allow_nonfinite = args.has("--allow-nonfinite");
  host::ImportReport report;
  host::HostModel model = host::import_keras(args.positional().at(0), options, report);
  if (args.has("--name")) model.name = args.get("--name");
  host::save_anne(model, args.get("-o"));

  size_t parameters = 0;
  std::printf("%s: %s, Keras %s\n", args.positional()[0].c_str(), report.format.c_str(), report.keras_version.c_str());
  std::printf("  %-3s %-36s %-12s %-12s %12s %8s\n", "#", "Keras layers", "anne layer", "activation", "shape", "params");
  for (size_t k = 0; k < report.rows.size(); ++k) {
    const host::ImportReport::Row& row = report.rows[k];
    const std::string shape = std::to_string(row.inputs) + " -> " + std::to_string(row.units);
    std::printf("  %-3zu %-36s %-12s %-12s %12s %8zu\n", k + 1, row.keras_layers.c_str(), row.kind.c_str(),
                row.activation.c_str(), shape.c_str(), row.parameters);
    parameters += row.parameters;
  }
  std::printf("  parameters: %zu (%zu bytes of float32)\n", parameters, 4 * parameters);
  for (const std::string& note : report.notes) std::printf("  note: %s\n", note.c_str());
  std::printf("wrote %s\n", args.get("-o").c_str());
  return kExitOk;
}

}  // namespace

Command import_command() {
  return {"import", "read a Keras model (.keras, .h5, or architecture .json with --weights) and write a .anne file",
          "MODEL",
          {{"-o", "FILE", "the .anne file to write (written whole or not at all)", true},
           {"--weights", "FILE", "the weights-only .h5 (save_weights) for an architecture JSON"},
           {"--name", "NAME", "the model's name in the file (default: the input file's name)"},
           {"--allow-nonfinite", "", "import NaN or infinite weights with a warning instead of refusing"}},
          &run_import,
          "examples:\n  anne import model.keras -o model.anne\n  anne import model.h5 -o model.anne\n"
          "  anne import architecture.json --weights weights.h5 -o model.anne\n"};
}

}  // namespace anne::cli
