// SPDX-License-Identifier: MIT
#include "anne_host/explain.hpp"

#include <cstdio>

#include "anne_host/error.hpp"
#include "anne_host/model.hpp"

namespace anne::host {

std::vector<LayerTrace> explain(const Network& net, const std::vector<float>& input) {
  uint16_t bad_layer = 0;
  const Status valid = validate_network(net, &bad_layer);
  if (valid != Status::ok) {
    throw Error("the network is not valid: " + std::string(status_message(valid)) + " at layer " +
                std::to_string(bad_layer + 1));
  }
  if (input.size() != network_inputs(net)) {
    throw Error("the input has " + std::to_string(input.size()) + " values but the network takes " +
                std::to_string(network_inputs(net)));
  }
  std::vector<LayerTrace> trace;
  std::vector<float> x = input;
  for (uint16_t k = 0; k < net.count; ++k) {
    const Layer& layer = net.layers[k];
    std::vector<float> z(layer.units);
    std::vector<float> y(layer.units);
    layer_preactivation(layer, x.data(), z.data());
    activation_forward(layer.activation, z.data(), y.data(), layer.units);
    LayerTrace step{&layer, x, {}};
    for (uint16_t j = 0; j < layer.units; ++j) {
      const float bias = layer.bias != nullptr ? layer.bias[j] : 0.0f;
      const float sum = layer.kind == LayerKind::dense
                            ? weighted_sum(layer.weights + static_cast<size_t>(j) * layer.inputs, x.data(), layer.inputs)
                            : (layer.weights != nullptr ? x[j] * layer.weights[j] : x[j]);
      step.neurons.push_back({sum, bias, z[j], y[j]});
    }
    trace.push_back(std::move(step));
    x = std::move(y);
  }
  return trace;
}

nlohmann::json explain_json(const std::vector<LayerTrace>& trace) {
  nlohmann::json layers = nlohmann::json::array();
  for (size_t k = 0; k < trace.size(); ++k) {
    const Layer& layer = *trace[k].layer;
    nlohmann::json neurons = nlohmann::json::array();
    for (const NeuronTrace& n : trace[k].neurons) {
      neurons.push_back({{"weighted_sum", n.weighted_sum},
                         {"bias", n.bias},
                         {"preactivation", n.preactivation},
                         {"output", n.output}});
    }
    layers.push_back({{"layer", k + 1},
                      {"kind", layer_kind_info(layer.kind)->name},
                      {"inputs", layer.inputs},
                      {"units", layer.units},
                      {"activation", activation_name(layer.activation)},
                      {"input", trace[k].input},
                      {"neurons", neurons}});
  }
  return {{"layers", layers}, {"output", trace.empty() ? nlohmann::json::array() : [&] {
                                 nlohmann::json out = nlohmann::json::array();
                                 for (const NeuronTrace& n : trace.back().neurons) out.push_back(n.output);
                                 return out;
                               }()}};
}

std::string explain_text(const std::vector<LayerTrace>& trace) {
  std::string text;
  char line[256];
  for (size_t k = 0; k < trace.size(); ++k) {
    const Layer& layer = *trace[k].layer;
    std::snprintf(line, sizeof line, "layer %zu: %s %u -> %u, activation %s\n", k + 1, layer_kind_info(layer.kind)->name,
                  layer.inputs, layer.units, activation_name(layer.activation).c_str());
    text += line;
    text += "  input   ";
    for (float v : trace[k].input) {
      std::snprintf(line, sizeof line, " %.6g", static_cast<double>(v));
      text += line;
    }
    text += "\n  neuron  weighted sum          bias  pre-activation        output\n";
    for (size_t j = 0; j < trace[k].neurons.size(); ++j) {
      const NeuronTrace& n = trace[k].neurons[j];
      std::snprintf(line, sizeof line, "  %6zu %13.6f + %11.6f = %12.6f -> %12.6f\n", j + 1, static_cast<double>(n.weighted_sum),
                    static_cast<double>(n.bias), static_cast<double>(n.preactivation), static_cast<double>(n.output));
      text += line;
    }
  }
  return text;
}

}  // namespace anne::host
