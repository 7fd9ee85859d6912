// SPDX-License-Identifier: MIT
// A network copied into fixed RAM arrays: its layer table and every parameter (weights, biases or
// shifts, elementwise scales, PReLU slopes), so that the console may change activations and
// weights of a network whose original lies in flash or in a buffer about to be reused.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "anne/network.hpp"

namespace anne {
namespace console {

template <uint16_t MaxLayers, size_t MaxParameters, uint16_t MaxUnits>
class ModelCopy {
 public:
  /// Whether `net` fits: at most MaxLayers layers, MaxParameters parameters, and no layer (nor the
  /// input) wider than MaxUnits (the console's vectors have that many floats).
  static bool fits(const Network& net) {
    if (net.count == 0 || net.count > MaxLayers || network_parameter_count(net) > MaxParameters) return false;
    return network_inputs(net) <= MaxUnits && network_max_units(net) <= MaxUnits;
  }

  /// Copies `from` (which must fit). `from` may be this copy's own network, or a network whose
  /// arrays lie at the same places in this copy (the trainer's frozen layers): each value is then
  /// copied onto itself.
  void assign(const Network& from) {
    float* next = parameters_;
    for (uint16_t k = 0; k < from.count; ++k) {
      Layer layer = from.layers[k];
      layer.weights = take(layer.weights, layer_weight_count(layer), next);
      layer.bias = take(layer.bias, layer.units, next);
      if (layer.activation.kind == Activation::prelu) {
        layer.activation.unit_alpha = take(layer.activation.unit_alpha, layer.units, next);
      }
      layers_.at[k] = layer;
    }
    count_ = from.count;
  }

  Network network() const { return Network{layers_.at, count_}; }
  Layer& layer(uint16_t k) { return layers_.at[k]; }

 private:
  /// Copies n floats from `source` to `next` and returns where they now are; nullptr stays nullptr.
  static const float* take(const float* source, size_t n, float*& next) {
    if (source == nullptr || n == 0) return source;
    float* copy = next;
    for (size_t i = 0; i < n; ++i) copy[i] = source[i];
    next += n;
    return copy;
  }

  /// Layers whose every byte is zero (a Layer's defaults have max_value = +inf), so that a static
  /// console is all zeros and lands in .bss, zeroed at start-up, instead of .data, which would
  /// cost its whole size again in flash for the initial image.
  struct ZeroLayers {
    Layer at[MaxLayers];
    constexpr ZeroLayers() : at() {
      for (Layer& layer : at) layer.activation.max_value = 0.0f;
    }
  };

  ZeroLayers layers_;
  float parameters_[MaxParameters] = {};
  uint16_t count_ = 0;
};

}  // namespace console
}  // namespace anne
