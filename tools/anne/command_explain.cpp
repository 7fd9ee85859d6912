// SPDX-License-Identifier: MIT
// anne explain: every neuron of every layer for one input.
#include <cstdio>

#include "anne_host/explain.hpp"
#include "anne_host/model.hpp"
#include "anne_host/text.hpp"
#include "commands.hpp"
#include "options.hpp"

namespace anne::cli {

namespace {

int run_explain(const Args& args) {
  check_standardization_usage(args);
  const host::HostModel model = host::load_model(args.get("--model"));
  std::vector<float> input = host::parse_float_list(args.get("--input"), "--input");
  if (auto standardization = standardization_from(args, input.size())) standardize_rows(*standardization, input);
  const auto trace = host::explain(model.network(), input);
  if (args.has("--json")) {
    nlohmann::json document = host::explain_json(trace);
    document["model"] = model.name;
    std::printf("%s\n", document.dump().c_str());
    return kExitOk;
  }
  std::printf("%s: %s\n", model.name.c_str(), model.description.c_str());
  std::printf("%s", host::explain_text(trace).c_str());
  std::printf("output:");
  for (const host::NeuronTrace& neuron : trace.back().neurons) std::printf(" %s", host::format_float(neuron.output).c_str());
  std::printf("\n");
  return kExitOk;
}

}  // namespace

Command explain_command() {
  std::vector<Option> options = {model_option(), {"--input", "LIST", "the input values, comma-separated", true}};
  for (Option& option : standardization_options()) options.push_back(option);
  options.push_back(json_option());
  return {"explain", "show each neuron's weighted sum, bias, pre-activation and output for one input", "", options,
          &run_explain,
          "example: anne explain --model paper-8 --input 0.82,-0.22,-0.13,-0.65\n"
          "(the paper's networks take standardized inputs; add --standardize paper to give raw cm)\n"};
}

}  // namespace anne::cli
