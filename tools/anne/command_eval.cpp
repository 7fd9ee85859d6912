// SPDX-License-Identifier: MIT
// anne eval: a network on a labelled CSV file: confusion matrix and metrics.
#include <cstdio>

#include "anne/network.hpp"
#include "anne_host/csv.hpp"
#include "anne_host/evaluate.hpp"
#include "anne_host/model.hpp"
#include "anne_host/text.hpp"
#include "any_model.hpp"
#include "commands.hpp"
#include "options.hpp"

namespace anne::cli {

namespace {

int run_eval(const Args& args) {
  check_standardization_usage(args);
  const AnyModel model = load_any_model(args.get("--model"));
  const host::CsvTable table = host::read_csv(args.get("--csv"));
  std::vector<std::string> classes;
  if (args.has("--classes")) classes = host::split(args.get("--classes"), ',');
  host::LabeledData data = host::labeled_data(table, args.get("--label"), classes);
  if (auto standardization = standardization_from(args, data.features())) standardize_rows(*standardization, data.x);
  host::Evaluation evaluation = model.evaluate(data);
  if (args.has("--json")) {
    nlohmann::json document = {{"model", model.name()}, {"csv", table.source}, {"skipped_rows", data.skipped_rows},
                               {"classes", evaluation.class_names}};
    document.update(host::metrics_json(evaluation));
    std::printf("%s\n", document.dump().c_str());
    return kExitOk;
  }
  std::printf("%s on %s: %zu rows", model.name().c_str(), table.source.c_str(), data.rows());
  if (data.skipped_rows > 0) std::printf(" (%zu rows with other labels skipped)", data.skipped_rows);
  std::printf("\n%s", host::metrics_text(evaluation, "  ").c_str());
  return kExitOk;
}

}  // namespace

Command eval_command() {
  std::vector<Option> options = {model_option(),
                                 {"--csv", "FILE", "a CSV file with a header row", true},
                                 {"--label", "COLUMN", "the label column, by name or 0-based index", true},
                                 {"--classes", "LIST", "label values that are classes 0, 1, ... (other rows are skipped)"}};
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
