// SPDX-License-Identifier: MIT
// anne eval: a network on a labelled CSV file: confusion matrix and metrics.
#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "anne/network.hpp"
#include "anne_host/csv.hpp"
#include "anne_host/error.hpp"
#include "anne_host/evaluate.hpp"
#include "anne_host/model.hpp"
#include "anne_host/text.hpp"
#include "anne_host/train/data.hpp"
#include "any_model.hpp"
#include "commands.hpp"
#include "options.hpp"

namespace anne::cli {

namespace {

/// The threshold of a one-output model's decisions (class 1 when p > threshold): --threshold, the
/// one with the best F1 of class 1 on these rows' outputs (--choose-threshold), or 0.5 as Keras's
/// accuracy.
float decision_threshold(const Args& args, const AnyModel& model, const std::vector<float>& outputs,
                         const std::vector<uint16_t>& labels) {
  const bool given = args.has("--threshold"), chosen = args.has("--choose-threshold");
  if (!given && !chosen) return 0.5f;
  if (given && chosen) throw UsageError("--threshold and --choose-threshold exclude each other");
  if (model.outputs() != 1) {
    throw host::Error(std::string(given ? "--threshold" : "--choose-threshold") + " is for a model with one sigmoid output; " +
                      model.name() + " has " + std::to_string(model.outputs()));
  }
  if (chosen) return host::best_f1_threshold(outputs, labels);
  const std::optional<float> threshold = host::parse_float(args.get("--threshold"));
  if (!threshold || !(*threshold >= 0.0f && *threshold <= 1.0f)) {
    throw UsageError("option --threshold needs a probability from 0 to 1, not '" + args.get("--threshold") + "'");
  }
  return *threshold;
}

int run_eval(const Args& args) {
  check_standardization_usage(args);
  const AnyModel model = load_any_model(args.get("--model"));
  const host::CsvTable table = host::read_csv(args.get("--csv"));
  std::vector<std::string> classes;
  if (args.has("--classes")) classes = host::split(args.get("--classes"), ',');
  host::LabeledData data = host::labeled_data(table, args.get("--label"), classes);
  if (auto standardization = standardization_from(args, data.features())) standardize_rows(*standardization, data.x);
  // One prediction serves both the chosen threshold and the evaluation; it checks the width first.
  std::vector<float> outputs = model.predict(data);
  const float threshold = decision_threshold(args, model, outputs, data.y);
  host::Evaluation evaluation = host::evaluate_outputs(std::move(outputs), model.outputs(), data, threshold);
  if (args.has("--json")) {
    nlohmann::json document = {{"model", model.name()}, {"csv", table.source}, {"skipped_rows", data.skipped_rows},
                               {"classes", evaluation.class_names}};
    // (the float's shortest decimal, which reads back as the same float: 0.3, not 0.30000001192092896)
    if (model.outputs() == 1) document["threshold"] = std::stod(host::format_float(threshold));
    document.update(host::metrics_json(evaluation));
    std::printf("%s\n", document.dump().c_str());
    return kExitOk;
  }
  std::printf("%s on %s: %zu rows", model.name().c_str(), table.source.c_str(), data.rows());
  if (data.skipped_rows > 0) std::printf(" (%zu rows with other labels skipped)", data.skipped_rows);
  if (args.has("--choose-threshold")) {
    std::printf("\ndecision threshold chosen on these rows (best F1 of class 1): %s", host::format_float(threshold).c_str());
  }
  if (args.has("--threshold") || args.has("--choose-threshold")) std::printf("\nclass 1 when p > %s", host::format_float(threshold).c_str());
  std::printf("\n%s", host::metrics_text(evaluation, "  ").c_str());
  return kExitOk;
}

}  // namespace

Command eval_command() {
  std::vector<Option> options = {model_option(),
                                 {"--csv", "FILE", "a CSV file with a header row", true},
                                 {"--label", "COLUMN", "the label column, by name or 0-based index", true},
                                 {"--classes", "LIST", "label values that are classes 0, 1, ... (other rows are skipped)"},
                                 {"--threshold", "P", "one sigmoid output: class 1 when p > P (default 0.5)"},
                                 {"--choose-threshold", "", "one sigmoid output: use the threshold with the best F1 of class 1 on these rows"}};
  for (Option& option : standardization_options()) options.push_back(option);
  options.push_back(json_option());
  return {"eval", "evaluate a network on a labelled CSV file (confusion matrix, accuracy, precision, recall, F1)", "",
          options, &run_eval,
          "Every column but the label is an input, in file order. Labels that are whole numbers are class\n"
          "indices; other labels are numbered in sorted order unless --classes names them.\n\n"
          "example: anne eval --model paper-8 --csv ../shared/data/iris/iris.csv --label species \\\n"
          "           --classes versicolor,virginica --standardize paper\n"};
}

}  // namespace anne::cli
