// SPDX-License-Identifier: MIT
// anne predict: a model's outputs for every row of a CSV file.
#include <cstdio>

#include <nlohmann/json.hpp>

#include "anne_host/csv.hpp"
#include "anne_host/dataset.hpp"
#include "anne_host/error.hpp"
#include "anne_host/evaluate.hpp"
#include "anne_host/model.hpp"
#include "anne_host/text.hpp"
#include "any_model.hpp"
#include "commands.hpp"
#include "options.hpp"

namespace anne::cli {

namespace {

int run_predict(const Args& args) {
  check_standardization_usage(args);
  const AnyModel model = load_any_model(args.positional().at(0));
  const host::CsvTable table = host::read_csv(args.get("--csv"));
  const size_t skip = args.has("--label") ? table.column(args.get("--label")) : table.header.size();
  std::vector<float> x = host::feature_matrix(table, skip);
  const size_t features = table.header.size() - (skip < table.header.size() ? 1 : 0);
  if (features != model.inputs()) {
    throw host::Error(table.source + ": " + std::to_string(features) + " input columns, but " + model.name() + " takes " +
                      std::to_string(model.inputs()) + " inputs");
  }
  if (auto standardization = standardization_from(args, features)) standardize_rows(*standardization, x);
  const size_t rows = table.rows.size();
  const std::vector<float> y = model.predict(x.data(), rows);
  const uint16_t outputs = model.outputs();
  if (args.has("--json")) {
    nlohmann::json predictions = nlohmann::json::array();
    for (size_t r = 0; r < rows; ++r) predictions.push_back(std::vector<float>(y.begin() + r * outputs, y.begin() + (r + 1) * outputs));
    std::printf("%s\n", nlohmann::json{{"predictions", predictions}}.dump().c_str());
    return kExitOk;
  }
  for (size_t r = 0; r < rows; ++r) {
    for (uint16_t j = 0; j < outputs; ++j) std::printf("%s%s", j > 0 ? "," : "", host::format_float(y[r * outputs + j]).c_str());
    std::printf("\n");
  }
  return kExitOk;
}

}  // namespace

Command predict_command() {
  std::vector<Option> options = {{"--csv", "FILE", "a CSV file with a header row: every column is an input but --label", true},
                                 {"--label", "COLUMN", "a column to leave out (the label)"}};
  for (Option& option : standardization_options()) options.push_back(option);
  options.push_back(json_option());
  return {"predict", "print a model's outputs for every row of a CSV file", "MODEL", options, &run_predict,
          "Text output: one line per row, the outputs comma-separated, each with the digits that read back\n"
          "to the same float. --json: {\"predictions\": [[row 1 outputs], [row 2 outputs], ...]}.\n"
          "A quantized MODEL (anne quantize -o) runs in integers; its outputs are printed dequantized.\n"};
}

}  // namespace anne::cli
