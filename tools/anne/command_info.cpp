// SPDX-License-Identifier: MIT
// anne info: what a model holds, layer by layer; --json gives every weight (Keras layout).
#include <cstdio>

#include <nlohmann/json.hpp>

#include "anne_host/model.hpp"
#include "anne_host/quantize.hpp"
#include "anne_host/text.hpp"
#include "any_model.hpp"
#include "commands.hpp"
#include "options.hpp"

namespace anne::cli {

namespace {

/// A quantized model: scales and zero points of every layer; --json adds every integer.
int info_quantized(const host::QuantizedModel& q, bool json) {
  const quant::QuantizedNetwork net = q.network();
  if (json) {
    nlohmann::json layers = nlohmann::json::array();
    for (size_t k = 0; k < q.layers.size(); ++k) {
      const quant::QuantizedLayer& layer = q.layers[k];
      nlohmann::json kernel = nlohmann::json::array();  // Keras layout: [inputs][units]
      for (uint16_t i = 0; i < layer.inputs; ++i) {
        nlohmann::json row = nlohmann::json::array();
        for (uint16_t j = 0; j < layer.units; ++j) row.push_back(layer.weights[static_cast<size_t>(j) * layer.inputs + i]);
        kernel.push_back(row);
      }
      nlohmann::json requantizers = nlohmann::json::array();
      for (const quant::Requantizer& r : q.requantizers[k]) requantizers.push_back({r.multiplier, r.pre_shift, r.shift});
      layers.push_back({{"inputs", layer.inputs},
                        {"units", layer.units},
                        {"activation", host::activation_name(q.activations[k])},
                        {"output", quant::output_kind_name(layer.output)},
                        {"scale", q.outputs[k].scale},
                        {"zero_point", q.outputs[k].zero_point},
                        {"code_scale", q.preactivations[k].scale},
                        {"code_zero_point", q.preactivations[k].zero_point},
                        {"clamp", {layer.clamp_min, layer.clamp_max}},
                        {"kernel", kernel},
                        {"bias", q.biases[k]},
                        {"requantizers", requantizers},
                        {"table", q.tables[k]}});
    }
    const nlohmann::json document = {{"name", q.name},
                                     {"description", q.description},
                                     {"quantized", true},
                                     {"inputs", quant::quantized_inputs(net)},
                                     {"outputs", quant::quantized_outputs(net)},
                                     {"input", {{"scale", net.input.scale}, {"zero_point", net.input.zero_point}}},
                                     {"parameter_bytes", q.parameter_bytes()},
                                     {"layers", layers}};
    std::printf("%s\n", document.dump().c_str());
    return kExitOk;
  }
  std::printf("%s: %s\n", q.name.c_str(), q.description.c_str());
  std::printf("  quantized: int8 weights, int32 biases, 16-bit activation codes (real value = scale * (code - zero point))\n");
  std::printf("  input: scale %s, zero point %d\n", host::format_float(net.input.scale).c_str(), net.input.zero_point);
  std::printf("  %-3s %-12s %-8s %12s %14s %11s\n", "#", "activation", "as", "shape", "output scale", "zero point");
  for (size_t k = 0; k < q.layers.size(); ++k) {
    const quant::QuantizedLayer& layer = q.layers[k];
    const std::string shape = std::to_string(layer.inputs) + " -> " + std::to_string(layer.units);
    std::printf("  %-3zu %-12s %-8s %12s %14s %11d\n", k + 1, host::activation_name(q.activations[k]).c_str(),
                quant::output_kind_name(layer.output), shape.c_str(), host::format_float(q.outputs[k].scale).c_str(),
                q.outputs[k].zero_point);
  }
  std::printf("  inputs %u, outputs %u, %zu bytes of weights, biases, requantizers and tables\n", quant::quantized_inputs(net),
              quant::quantized_outputs(net), q.parameter_bytes());
  return kExitOk;
}

int run_info(const Args& args) {
  const std::string source = args.positional().at(0);
  const AnyModel any = load_any_model(source);
  if (any.quantized) return info_quantized(*any.quantized, args.has("--json"));
  const host::HostModel& model = *any.float_model;
  const Network net = model.network();
  if (args.has("--json")) {
    nlohmann::json layers = nlohmann::json::array();
    for (uint16_t k = 0; k < net.count; ++k) {
      const Layer& layer = net.layers[k];
      nlohmann::json entry = {{"kind", layer_kind_info(layer.kind)->name},
                              {"inputs", layer.inputs},
                              {"units", layer.units},
                              {"activation", host::activation_name(layer.activation)},
                              {"alpha", layer.activation.alpha},
                              {"threshold", layer.activation.threshold},
                              {"max_value", math::is_finite(layer.activation.max_value) ? nlohmann::json(layer.activation.max_value)
                                                                                        : nlohmann::json(nullptr)},
                              {"parameters", layer_parameter_count(layer)}};
      if (layer.kind == LayerKind::dense) {
        nlohmann::json kernel = nlohmann::json::array();  // Keras layout: [inputs][units]
        for (uint16_t i = 0; i < layer.inputs; ++i) {
          nlohmann::json row = nlohmann::json::array();
          for (uint16_t j = 0; j < layer.units; ++j) row.push_back(layer.weights[static_cast<size_t>(j) * layer.inputs + i]);
          kernel.push_back(row);
        }
        entry["kernel"] = kernel;
      } else if (layer.weights != nullptr) {
        entry["scale"] = std::vector<float>(layer.weights, layer.weights + layer.units);
      }
      if (layer.bias != nullptr) entry[layer.kind == LayerKind::dense ? "bias" : "shift"] = std::vector<float>(layer.bias, layer.bias + layer.units);
      if (layer.activation.unit_alpha != nullptr) {
        entry["prelu_alpha"] = std::vector<float>(layer.activation.unit_alpha, layer.activation.unit_alpha + layer.units);
      }
      layers.push_back(entry);
    }
    const nlohmann::json document = {{"name", model.name},       {"description", model.description},
                                     {"inputs", network_inputs(net)}, {"outputs", network_outputs(net)},
                                     {"parameters", network_parameter_count(net)}, {"layers", layers}};
    std::printf("%s\n", document.dump().c_str());
    return kExitOk;
  }
  std::printf("%s: %s\n", model.name.c_str(), model.description.c_str());
  std::printf("  %-3s %-12s %-12s %12s %8s\n", "#", "layer", "activation", "shape", "params");
  for (uint16_t k = 0; k < net.count; ++k) {
    const Layer& layer = net.layers[k];
    const std::string shape = std::to_string(layer.inputs) + " -> " + std::to_string(layer.units);
    std::printf("  %-3u %-12s %-12s %12s %8zu\n", k + 1, layer_kind_info(layer.kind)->name,
                host::activation_name(layer.activation).c_str(), shape.c_str(), layer_parameter_count(layer));
  }
  std::printf("  inputs %u, outputs %u, parameters %zu (%zu bytes of float32)\n", network_inputs(net), network_outputs(net),
              network_parameter_count(net), 4 * network_parameter_count(net));
  return kExitOk;
}

}  // namespace

Command info_command() {
  return {"info", "show a model's layers, activations and parameter counts (--json: every weight too)", "MODEL",
          {json_option()}, &run_info, ""};
}

}  // namespace anne::cli
