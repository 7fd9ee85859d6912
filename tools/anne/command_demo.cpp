// SPDX-License-Identifier: MIT
// anne demo: the working paper's two networks on its 20 IRIS test rows.
#include <cstdio>

#include "anne/models/builtin.hpp"
#include "anne_host/evaluate.hpp"
#include "anne_host/model.hpp"
#include "anne_host/paper_split.hpp"
#include "commands.hpp"
#include "options.hpp"

namespace anne::cli {

namespace {

int run_demo(const Args& args) {
  const host::LabeledData test = host::paper_test_set();
  nlohmann::json networks = nlohmann::json::array();
  const bool json = args.has("--json");
  if (!json) {
    std::printf("The working paper's networks on its IRIS test split: 20 rows, versicolor (0) vs virginica (1),\n"
                "standardized with the paper's mean and std. Predicted class: 1 when p > 0.5.\n");
  }
  for (const BuiltinModel& builtin : kBuiltinModels) {
    const host::HostModel model = host::load_model(builtin.name);
    host::Evaluation evaluation = host::evaluate(model.network(), test);
    if (json) {
      nlohmann::json entry = {{"name", model.name},
                              {"predictions", evaluation.output_values},
                              {"classes", evaluation.predicted},
                              {"labels", evaluation.actual}};
      entry.update(host::metrics_json(evaluation));
      networks.push_back(entry);
      continue;
    }
    std::printf("\n%s: %s\n", model.name.c_str(), model.description.c_str());
    std::printf("  row  actual  probability  predicted\n");
    for (size_t r = 0; r < test.rows(); ++r) {
      std::printf("  %3zu  %6u  %11.6f  %9u%s\n", r + 1, evaluation.actual[r],
                  static_cast<double>(evaluation.output_values[r]), evaluation.predicted[r],
                  evaluation.actual[r] == evaluation.predicted[r] ? "" : "  (wrong)");
    }
    std::printf("%s", host::metrics_text(evaluation, "  ").c_str());
  }
  if (json) std::printf("%s\n", nlohmann::json{{"networks", networks}}.dump().c_str());
  return kExitOk;
}

}  // namespace

Command demo_command() {
  return {"demo", "run the working paper's two IRIS networks and report their predictions and metrics", "",
          {json_option()}, &run_demo,
          "Both networks reach accuracy 0.90 (confusion matrix [[8,2],[0,10]]), as Keras computes them.\n"};
}

}  // namespace anne::cli
