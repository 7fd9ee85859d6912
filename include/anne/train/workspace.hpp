// SPDX-License-Identifier: MIT
// The trainer's memory: one caller-provided buffer, its size known before training starts.
// Constexpr, so a network known at compile time can size a static buffer:
//
//   alignas(anne::train::kWorkspaceAlign) static unsigned char memory[
//       anne::train::workspace_bytes(kNet, anne::train::Optimizer::adam, kRows)];
//
// Layout (P trainable parameters (a layer without a bias still gets room for one), U = sum of the layers' units, W = widest layer or input,
// L layers, R training rows):
//   Layer views          L            copies of the network's layers, pointing at the parameters
//   parameters           P floats     dense weights and biases, PReLU slopes (frozen elementwise
//                                     layers keep pointing at the caller's network)
//   gradients            P floats
//   parameters, again    P floats     the update goes here, then the two swap roles: the weights
//                                     before the last update stay for the divergence guard
//   optimizer state      0, P or 2P   none (SGD), m (momentum), m and v (Adam)
//   z and y per layer    2U floats    the forward pass kept for the backward pass
//   dy / dx scratch      2W floats
//   gradient norms       2L floats    this batch's squares and the epoch's sum of them
//   dead-unit share      L floats
//   sample order         R uint32     shuffled each epoch
//   unit was active      U bytes      for the dead-unit share
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "anne/network.hpp"
#include "anne/train/optimizers.hpp"

namespace anne {
namespace train {

constexpr size_t kWorkspaceAlign = alignof(Layer);

/// Parameters the trainer updates in one layer: dense weights and bias, PReLU slopes.
constexpr size_t trainable_parameter_count(const Layer& layer) {
  size_t count = 0;
  if (layer.kind == LayerKind::dense) count += static_cast<size_t>(layer.units) * layer.inputs + (layer.bias != nullptr ? layer.units : 0);
  if (layer.activation.kind == Activation::prelu) count += layer.units;
  return count;
}

/// Room for a layer's trainable parameters: as trainable_parameter_count, but counting a bias
/// whether or not the layer has one. (A size that depends on no pointer comparison stays a constant
/// expression for every compiler, also GCC with -fsanitize=undefined.)
constexpr size_t parameter_room(const Layer& layer) {
  size_t count = 0;
  if (layer.kind == LayerKind::dense) count += static_cast<size_t>(layer.units) * layer.inputs + layer.units;
  if (layer.activation.kind == Activation::prelu) count += layer.units;
  return count;
}

/// Byte offsets of each region in the workspace.
struct WorkspaceLayout {
  size_t parameters = 0;  ///< P, room for the trainable parameters
  size_t units = 0;       ///< U
  size_t widest = 0;      ///< W
  size_t params_offset = 0;
  size_t grads_offset = 0;
  size_t previous_offset = 0;
  size_t state_offset = 0;
  size_t z_offset = 0;
  size_t y_offset = 0;
  size_t scratch_offset = 0;
  size_t batch_squares_offset = 0;
  size_t epoch_norms_offset = 0;
  size_t dead_offset = 0;
  size_t order_offset = 0;
  size_t active_offset = 0;
  size_t total_bytes = 0;
};

constexpr WorkspaceLayout workspace_layout(const Network& net, Optimizer optimizer, uint32_t rows) {
  WorkspaceLayout w;
  for (uint16_t k = 0; k < net.count; ++k) w.parameters += parameter_room(net.layers[k]);
  w.widest = network_inputs(net);
  for (uint16_t k = 0; k < net.count; ++k) {
    w.units += net.layers[k].units;
    w.widest = net.layers[k].units > w.widest ? net.layers[k].units : w.widest;
  }
  const size_t f = sizeof(float);
  w.params_offset = static_cast<size_t>(net.count) * sizeof(Layer);
  w.grads_offset = w.params_offset + w.parameters * f;
  w.previous_offset = w.grads_offset + w.parameters * f;
  w.state_offset = w.previous_offset + w.parameters * f;
  w.z_offset = w.state_offset + optimizer_state_floats(optimizer, w.parameters) * f;
  w.y_offset = w.z_offset + w.units * f;
  w.scratch_offset = w.y_offset + w.units * f;
  w.batch_squares_offset = w.scratch_offset + 2 * w.widest * f;
  w.epoch_norms_offset = w.batch_squares_offset + net.count * f;
  w.dead_offset = w.epoch_norms_offset + net.count * f;
  w.order_offset = w.dead_offset + net.count * f;
  w.active_offset = w.order_offset + static_cast<size_t>(rows) * sizeof(uint32_t);
  w.total_bytes = w.active_offset + w.units;
  return w;
}

/// Bytes of workspace the trainer needs for this network, optimizer and number of training rows.
constexpr size_t workspace_bytes(const Network& net, Optimizer optimizer, uint32_t rows) {
  return workspace_layout(net, optimizer, rows).total_bytes;
}

}  // namespace train
}  // namespace anne
