// SPDX-License-Identifier: MIT
#include "anne_host/train/layers_spec.hpp"

#include "anne_host/error.hpp"
#include "anne_host/text.hpp"

namespace anne::host {

namespace {

constexpr long kMaxUnits = 4096;

uint16_t units_of(const std::string& text, const std::string& element) {
  const auto units = parse_index(text);
  if (!units || *units < 1 || *units > kMaxUnits) {
    throw Error("--layers: '" + element + "': the size must be a whole number from 1 to " + std::to_string(kMaxUnits));
  }
  return static_cast<uint16_t>(*units);
}

float* owned(HostModel& model, size_t count) {
  model.storage.push_back(std::make_unique<float[]>(count));  // zero-initialized
  return model.storage.back().get();
}

}  // namespace

HostModel model_from_layers_spec(const std::string& spec) {
  const std::vector<std::string> elements = split(spec, ',');
  if (elements.size() < 2) {
    throw Error("--layers: '" + spec + "' needs the input size and at least one layer, e.g. 4,3:relu,1:sigmoid");
  }
  HostModel model;
  model.name = "layers " + spec;
  model.description = "trained by anne from --layers " + spec;
  if (elements[0].find(':') != std::string::npos) {
    throw Error("--layers: the first element '" + elements[0] + "' is the number of inputs and takes no activation");
  }
  uint16_t width = units_of(elements[0], elements[0]);
  for (size_t k = 1; k < elements.size(); ++k) {
    const std::string& element = elements[k];
    const size_t colon = element.find(':');
    Layer layer;
    layer.kind = LayerKind::dense;
    layer.inputs = width;
    layer.units = units_of(element.substr(0, colon), element);
    const std::string activation = colon == std::string::npos ? "linear" : element.substr(colon + 1);
    const ActivationInfo* info = find_activation(activation.c_str());
    if (info == nullptr) {
      std::string names;
      for (const ActivationInfo& known : kActivations) names += (names.empty() ? "" : ", ") + std::string(known.name);
      throw Error("--layers: '" + element + "': unknown activation '" + activation + "' (known: " + names + ")");
    }
    layer.activation = default_spec(info->kind);
    layer.weights = owned(model, static_cast<size_t>(layer.units) * layer.inputs);
    layer.bias = owned(model, layer.units);
    if (info->kind == Activation::prelu) layer.activation.unit_alpha = owned(model, layer.units);
    model.layers.push_back(layer);
    width = layer.units;
  }
  return model;
}

}  // namespace anne::host
