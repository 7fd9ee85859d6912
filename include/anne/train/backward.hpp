// SPDX-License-Identifier: MIT
// The backward pass of one layer for one sample: from dL/dy (the gradient at the layer's output)
// to the gradients of its parameters and dL/dx (the gradient at its input), by the chain rule.
//
// Forward (layer.hpp):   Dense        z_j = sum_i W[j][i] x_i + b_j       y_j = f(z_j)
//                        Elementwise  z_j = x_j s_j + c_j                 y_j = f(z_j)
// Backward:
//   dz_j       = dL/dy_j f'(z_j)            (the activation table's backward; a Jacobian
//                                             product for softmax)
//   dW[j][i]  += dz_j x_i                   dense only
//   db_j      += dz_j                       dense with a bias only
//   dalpha_j  += dL/dy_j min(z_j, 0)        PReLU only: y_j = alpha_j z_j where z_j <= 0
//   dx_i       = sum_j W[j][i] dz_j         dense
//   dx_j       = dz_j s_j                   elementwise
//
// Elementwise layers (an unfolded BatchNormalization in inference mode, Normalization, Rescaling)
// are frozen: their scale s and shift c get no gradient, only pass it through, as Keras does for
// a BatchNormalization layer with trainable = False. Gradients accumulate (+=), so a batch sums
// its samples' contributions; the caller clears them before the batch.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "anne/layer.hpp"

namespace anne {
namespace train {

/// Where a layer's parameter gradients accumulate; nullptr for parameters the layer does not train.
struct LayerGradients {
  float* weights = nullptr;  ///< [units][inputs], dense only
  float* bias = nullptr;     ///< [units], dense with a bias only
  float* alpha = nullptr;    ///< [units], PReLU only
};

/// The forward pass of one layer, keeping z (the pre-activation) and y for the backward pass.
inline void layer_forward_cached(const Layer& layer, const float* x, float* z, float* y) {
  layer_preactivation(layer, x, z);
  kActivations[static_cast<uint8_t>(layer.activation.kind)].forward(layer.activation, z, y, layer.units);
}

/// dz from dy through the activation, and the PReLU slopes' gradient. dz must not alias dy.
inline void activation_backward_with_slopes(const Layer& layer, const float* z, const float* y, const float* dy,
                                            float* dz, float* d_alpha) {
  kActivations[static_cast<uint8_t>(layer.activation.kind)].backward(layer.activation, z, y, dy, dz, layer.units);
  if (d_alpha != nullptr) {
    for (uint16_t j = 0; j < layer.units; ++j) d_alpha[j] += z[j] > 0.0f ? 0.0f : dy[j] * z[j];
  }
}

/// From dz: the weight and bias gradients (added to `grads`) and dx (skipped when dx is nullptr).
inline void layer_backward_from_dz(const Layer& layer, const float* x, const float* dz, const LayerGradients& grads,
                                   float* dx) {
  if (layer.kind == LayerKind::elementwise) {
    if (dx != nullptr) {
      for (uint16_t j = 0; j < layer.units; ++j) dx[j] = layer.weights != nullptr ? dz[j] * layer.weights[j] : dz[j];
    }
    return;
  }
  for (uint16_t j = 0; j < layer.units; ++j) {
    if (grads.weights != nullptr) {
      float* row = grads.weights + static_cast<size_t>(j) * layer.inputs;
      for (uint16_t i = 0; i < layer.inputs; ++i) row[i] += dz[j] * x[i];
    }
    if (grads.bias != nullptr) grads.bias[j] += dz[j];
  }
  if (dx == nullptr) return;
  for (uint16_t i = 0; i < layer.inputs; ++i) {
    float sum = 0.0f;
    for (uint16_t j = 0; j < layer.units; ++j) sum += layer.weights[static_cast<size_t>(j) * layer.inputs + i] * dz[j];
    dx[i] = sum;
  }
}

}  // namespace train
}  // namespace anne
