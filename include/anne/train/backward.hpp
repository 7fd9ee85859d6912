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
// a BatchNormalization layer with trainable = False. A batch sums its samples' contributions: the
// first sample writes its gradients (=), the others add theirs (+=), so no pass clears them first.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "anne/layer.hpp"
#include "anne/train/vectors.hpp"

namespace anne {
namespace train {

/// Where a layer's parameter gradients go; nullptr for parameters the layer does not train.
struct LayerGradients {
  float* weights = nullptr;  ///< [units][inputs], dense only
  float* bias = nullptr;     ///< [units], dense with a bias only
  float* alpha = nullptr;    ///< [units], PReLU only
};

/// How a sample's parameter gradients meet those already there: the batch's first sample writes
/// them, every later one adds to them.
enum class GradientWrite : uint8_t {
  assign,
  add,
};

inline void write_gradient(float* gradient, float value, GradientWrite how) {
  *gradient = how == GradientWrite::assign ? value : *gradient + value;
}

/// The forward pass of one layer, keeping z (the pre-activation) and y for the backward pass.
inline void layer_forward_cached(const Layer& layer, const float* x, float* z, float* y) {
  layer_preactivation(layer, x, z);
  kActivations[static_cast<uint8_t>(layer.activation.kind)].forward(layer.activation, z, y, layer.units);
}

/// dz from dy through the activation, and the PReLU slopes' gradient. dz must not alias dy.
inline void activation_backward_with_slopes(const Layer& layer, const float* z, const float* y, const float* dy,
                                            float* dz, float* d_alpha, GradientWrite how) {
  kActivations[static_cast<uint8_t>(layer.activation.kind)].backward(layer.activation, z, y, dy, dz, layer.units);
  if (d_alpha != nullptr) {
    for (uint16_t j = 0; j < layer.units; ++j) write_gradient(&d_alpha[j], z[j] > 0.0f ? 0.0f : dy[j] * z[j], how);
  }
}

/// dW[j][i] = dz_j x_i and db_j = dz_j, written or added (`how`) row by row.
inline void dense_parameter_gradients(const Layer& layer, const float* x, const float* dz, const LayerGradients& grads,
                                      GradientWrite how) {
  const uint16_t inputs = layer.inputs;
  float* row = grads.weights;
  for (uint16_t j = 0; j < layer.units; ++j, row += inputs) {
    if (how == GradientWrite::assign) {
      scaled(dz[j], x, row, inputs);
    } else {
      add_scaled(row, dz[j], x, row, inputs);
    }
  }
  if (grads.bias == nullptr) return;
  if (how == GradientWrite::assign) {
    copy_floats(dz, grads.bias, layer.units);
  } else {
    for (uint16_t j = 0; j < layer.units; ++j) grads.bias[j] += dz[j];
  }
}

/// dx_i = sum_j W[j][i] dz_j, summed over j in order (the order fixes the bits). The weights are
/// stored row by row, so dx is built as dz_0 W[0], then + dz_j W[j] for each later row j.
inline void dense_input_gradient(const Layer& layer, const float* dz, float* dx) {
  const uint16_t inputs = layer.inputs;
  const float* row = layer.weights;
  scaled(dz[0], row, dx, inputs);
  for (uint16_t j = 1; j < layer.units; ++j) {
    row += inputs;
    add_scaled(dx, dz[j], row, dx, inputs);
  }
}

/// From dz: the weight and bias gradients (written or added, `how`) and dx (skipped when dx is
/// nullptr).
inline void layer_backward_from_dz(const Layer& layer, const float* x, const float* dz, const LayerGradients& grads,
                                   GradientWrite how, float* dx) {
  if (layer.kind == LayerKind::elementwise) {
    if (dx != nullptr) {
      for (uint16_t j = 0; j < layer.units; ++j) dx[j] = layer.weights != nullptr ? dz[j] * layer.weights[j] : dz[j];
    }
    return;
  }
  dense_parameter_gradients(layer, x, dz, grads, how);
  if (dx != nullptr) dense_input_gradient(layer, dz, dx);
}

}  // namespace train
}  // namespace anne
