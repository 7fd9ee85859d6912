// SPDX-License-Identifier: MIT
// anne explain: every neuron of every layer for one input.
#include <cstdio>

#include <nlohmann/json.hpp>

#include "anne_host/error.hpp"
#include "anne_host/explain.hpp"
#include "anne_host/model.hpp"
#include "anne_host/quantize.hpp"
#include "anne_host/text.hpp"
#include "any_model.hpp"
#include "commands.hpp"
#include "options.hpp"

namespace anne::cli {

namespace {

std::string code_text(int32_t code, quant::QuantParams p) {
  return std::to_string(code) + " (" + host::format_float(quant::dequantize_value(code, p)) + ")";
}

/// A quantized model's integers for one input: each layer's input codes, and each unit's int32
/// sum, its requantized code c_j and its output code, every code with its real value in brackets.
int explain_quantized(const host::QuantizedModel& q, const std::vector<float>& input, bool json) {
  if (input.size() != quant::quantized_inputs(q.network())) {
    throw host::Error("--input has " + std::to_string(input.size()) + " values, but " + q.name + " takes " +
                      std::to_string(quant::quantized_inputs(q.network())));
  }
  const std::vector<host::QuantizedLayerTrace> trace = host::trace_quantized(q, input.data());
  if (json) {
    nlohmann::json layers = nlohmann::json::array();
    for (size_t k = 0; k < trace.size(); ++k) {
      nlohmann::json units = nlohmann::json::array();
      for (const host::QuantizedUnitTrace& unit : trace[k].units) {
        units.push_back({{"sum", unit.sum},
                         {"code", unit.code},
                         {"output", unit.output},
                         {"output_value", quant::dequantize_value(unit.output, q.outputs[k])}});
      }
      layers.push_back({{"input", trace[k].input}, {"units", units}});
    }
    std::printf("%s\n", nlohmann::json{{"model", q.name}, {"layers", layers}}.dump().c_str());
    return kExitOk;
  }
  std::printf("%s: %s\n", q.name.c_str(), q.description.c_str());
  std::printf("16-bit codes with their real values in brackets: value = scale * (code - zero point)\n");
  quant::QuantParams in = q.input;
  for (size_t k = 0; k < trace.size(); ++k) {
    const quant::QuantizedLayer& layer = q.layers[k];
    std::printf("layer %zu: dense %u -> %u, %s as %s\n  input", k + 1, layer.inputs, layer.units,
                host::activation_name(q.activations[k]).c_str(), quant::output_kind_name(layer.output));
    for (int16_t code : trace[k].input) std::printf(" %s", code_text(code, in).c_str());
    std::printf("\n  unit       int32 sum   code c = requantize(sum)            output code\n");
    for (size_t j = 0; j < trace[k].units.size(); ++j) {
      const host::QuantizedUnitTrace& unit = trace[k].units[j];
      std::printf("  %4zu  %14d   %-32s %s\n", j + 1, unit.sum, code_text(unit.code, q.preactivations[k]).c_str(),
                  code_text(unit.output, q.outputs[k]).c_str());
    }
    in = q.outputs[k];
  }
  std::printf("output:");
  for (const host::QuantizedUnitTrace& unit : trace.back().units) {
    std::printf(" %s", host::format_float(quant::dequantize_value(unit.output, q.outputs.back())).c_str());
  }
  std::printf("\n");
  return kExitOk;
}

int run_explain(const Args& args) {
  check_standardization_usage(args);
  std::vector<float> input = host::parse_float_list(args.get("--input"), "--input");
  if (auto standardization = standardization_from(args, input.size())) standardize_rows(*standardization, input);
  const AnyModel any = load_any_model(args.get("--model"));
  if (any.quantized) return explain_quantized(*any.quantized, input, args.has("--json"));
  const host::HostModel& model = *any.float_model;
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
          "(the paper's networks take standardized inputs; add --standardize paper to give raw cm)\n"
          "A quantized MODEL (anne quantize -o) shows its integers: each unit's int32 sum, its code and\n"
          "its output code, each code with the real value it stands for.\n"};
}

}  // namespace anne::cli
