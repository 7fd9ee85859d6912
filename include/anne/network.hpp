// SPDX-License-Identifier: MIT
// A Sequential network: an array of layers, run one after the other through two ping-pong buffers.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "anne/layer.hpp"
#include "anne/status.hpp"

namespace anne {

struct Network {
  const Layer* layers = nullptr;
  uint16_t count = 0;
};

constexpr uint16_t network_inputs(const Network& net) { return net.count > 0 ? net.layers[0].inputs : 0; }
constexpr uint16_t network_outputs(const Network& net) {
  return net.count > 0 ? net.layers[net.count - 1].units : 0;
}

/// The widest layer output, which bounds every intermediate vector.
constexpr uint16_t network_max_units(const Network& net) {
  uint16_t widest = 0;
  for (uint16_t k = 0; k < net.count; ++k) widest = net.layers[k].units > widest ? net.layers[k].units : widest;
  return widest;
}

/// Floats of scratch `forward` needs: two buffers as wide as the widest hidden layer (the last
/// layer writes straight into the caller's output). Constexpr, so a model known at compile time
/// can size a static buffer: `static float scratch[anne::forward_scratch_floats(kNet)];`
constexpr size_t forward_scratch_floats(const Network& net) {
  uint16_t widest = 0;
  for (uint16_t k = 0; k + 1 < net.count; ++k) widest = net.layers[k].units > widest ? net.layers[k].units : widest;
  return 2u * widest;
}

constexpr size_t network_parameter_count(const Network& net) {
  size_t total = 0;
  for (uint16_t k = 0; k < net.count; ++k) total += layer_parameter_count(net.layers[k]);
  return total;
}

/// Checks every layer and that each layer's inputs equal the previous layer's units.
/// On failure, `*bad_layer` (when given) is the index of the first offending layer.
[[gnu::always_inline]] constexpr Status validate_network(const Network& net, uint16_t* bad_layer = nullptr) {
  if (net.layers == nullptr || net.count == 0) return Status::invalid_argument;
  uint16_t width = net.layers[0].inputs;  // of the vector each layer reads
  for (uint16_t k = 0; k < net.count; ++k) {
    const Layer& layer = net.layers[k];
    Status status = validate_layer(layer);
    if (status == Status::ok && layer.inputs != width) status = Status::shape_mismatch;
    if (status != Status::ok) {
      if (bad_layer != nullptr) *bad_layer = k;
      return status;
    }
    width = layer.units;
  }
  return Status::ok;
}

/// Runs the network on one input vector. `input_len` and `output_len` must equal the network's
/// inputs and outputs; `scratch` holds at least forward_scratch_floats(net) floats and must not
/// overlap input or output. `Activations` is the set of activations linked in (activation.hpp).
template <class Activations = AllActivations>
inline Status forward(const Network& net, const float* input, size_t input_len, float* output, size_t output_len,
                      float* scratch, size_t scratch_len) {
  // The checks come first, in a pass of their own: for a network known at compile time the
  // compiler can then do them all at compile time.
  const Status valid = validate_network(net);
  if (valid != Status::ok) return valid;
  if (input == nullptr || output == nullptr) return Status::invalid_argument;
  if (input_len != network_inputs(net) || output_len != network_outputs(net)) return Status::shape_mismatch;
  // The hidden layers alternate between the two halves of the scratch buffer; each is checked to
  // fit before it is written (one pass over the layers, not a second one to find the widest).
  const size_t half = scratch == nullptr ? 0 : scratch_len / 2;
  size_t offset = 0;  // of the next hidden layer's half: 0, half, 0, ...
  const float* x = input;
  const Layer* const last = net.layers + (net.count - 1);
  for (const Layer* layer = net.layers; layer <= last; ++layer) {
    if (layer != last && layer->units > half) return Status::buffer_too_small;
    float* y = layer == last ? output : scratch + offset;
    if (!layer_forward<Activations>(*layer, x, y)) return Status::activation_not_linked;
    offset = half - offset;
    x = y;
  }
  return Status::ok;
}

}  // namespace anne
