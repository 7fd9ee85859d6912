// SPDX-License-Identifier: MIT
// anne info: what a model holds, layer by layer; --json gives every weight (Keras layout).
#include <cstdio>

#include <nlohmann/json.hpp>

#include "anne_host/model.hpp"
#include "commands.hpp"
#include "options.hpp"

namespace anne::cli {

namespace {

int run_info(const Args& args) {
  const host::HostModel model = host::load_model(args.positional().at(0));
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
