// SPDX-License-Identifier: MIT
// Layers: a plain description (sizes, weights, activation) and the forward pass of one layer.
//
// Dense:        z_j = sum_i W[j][i] * x_i + b_j      y_j = f(z_j)
// Elementwise:  z_j = x_j * scale_j + shift_j        y_j = f(z_j)
//   (what BatchNormalization, Normalization and Rescaling become when there is no Dense to fold
//   them into, and a bare Activation layer with neither scale nor shift)
//
// Weights are stored [units][inputs], the transpose of Keras's kernel [inputs][units], so each
// neuron's weights are contiguous and its weighted sum is one pass over memory.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "anne/activation.hpp"
#include "anne/status.hpp"

namespace anne {

/// Layer kind codes, stored in .anne files: never renumber, only append.
enum class LayerKind : uint8_t {
  dense = 0,
  elementwise = 1,
};

struct Layer {
  LayerKind kind = LayerKind::dense;
  uint16_t inputs = 0;
  uint16_t units = 0;              ///< outputs; equals inputs for an elementwise layer
  const float* weights = nullptr;  ///< dense: [units][inputs]; elementwise: per-unit scale or nullptr (1)
  const float* bias = nullptr;     ///< per-unit bias / shift, or nullptr (0)
  ActivationSpec activation;
};

#if defined(ANNE_SOFTFLOAT_DOT)
extern "C" float anne_fdot(const float* w, const float* x, uint32_t n);
/// dense_preactivation in assembly (firmware/softfloat/dot.S), which reads these fields of Layer.
extern "C" void anne_dense(const Layer& layer, const float* x, float* z);
static_assert(offsetof(Layer, inputs) == 2 && offsetof(Layer, units) == 4 && offsetof(Layer, weights) == 8 &&
                  offsetof(Layer, bias) == 12,
              "firmware/softfloat/dot.S reads a Layer's fields at these offsets");
#endif

/// The weighted sum of one neuron: sum_i w_i x_i, added in index order, each product and each sum
/// rounded to float (the order and the roundings fix the result, so the device and the PC agree
/// to the bit). On ARMv6-M images that link firmware/softfloat (ANNE_SOFTFLOAT_DOT), the same
/// sum, bit for bit, in assembly: anne_fdot in firmware/softfloat/dot.S.
inline float weighted_sum(const float* w, const float* x, uint16_t n) {
#if defined(ANNE_SOFTFLOAT_DOT)
  return anne_fdot(w, x, n);
#else
  float sum = 0.0f;
  for (uint16_t i = 0; i < n; ++i) sum += w[i] * x[i];
  return sum;
#endif
}

/// z_j = sum_i W[j][i] x_i + b_j. The bias is added after the sum, as Keras adds it after the
/// matrix product.
inline void dense_preactivation(const Layer& layer, const float* x, float* z) {
  // The layer's fields in locals, so that they stay in registers: on a chip without an FPU every
  // float operation is a call, after which fields read through `layer` would be loaded again.
  // (Such chips run anne_dense, dot.S, instead, unless built without ANNE_SOFTFLOAT_DOT.)
  const uint16_t inputs = layer.inputs, units = layer.units;
  const float* w = layer.weights;
  const float* bias = layer.bias;
  for (uint16_t j = 0; j < units; ++j, w += inputs) {
    const float sum = weighted_sum(w, x, inputs);
    z[j] = bias != nullptr ? sum + bias[j] : sum;
  }
}

/// z_j = x_j * scale_j + shift_j (scale 1 and shift 0 where absent).
inline void elementwise_preactivation(const Layer& layer, const float* x, float* z) {
  for (uint16_t j = 0; j < layer.units; ++j) {
    const float scaled = layer.weights != nullptr ? x[j] * layer.weights[j] : x[j];
    z[j] = layer.bias != nullptr ? scaled + layer.bias[j] : scaled;
  }
}

using LayerPreactivation = void (*)(const Layer& layer, const float* x, float* z);

struct LayerKindInfo {
  LayerKind kind;
  const char* name;
  LayerPreactivation preactivation;
};

/// A dense layer's pre-activation: dense_preactivation, or on ARMv6-M images that link
/// firmware/softfloat (ANNE_SOFTFLOAT_DOT) the same bits from its assembly twin anne_dense.
#if defined(ANNE_SOFTFLOAT_DOT)
inline constexpr LayerPreactivation kDensePreactivation = &anne_dense;
#else
inline constexpr LayerPreactivation kDensePreactivation = &dense_preactivation;
#endif

/// The layer kinds, in code order (row i has code i).
inline constexpr LayerKindInfo kLayerKinds[] = {
    {LayerKind::dense, "dense", kDensePreactivation},
    {LayerKind::elementwise, "elementwise", &elementwise_preactivation},
};

constexpr uint8_t kLayerKindCount = sizeof(kLayerKinds) / sizeof(kLayerKinds[0]);

constexpr bool layer_kind_known(LayerKind kind) { return static_cast<uint8_t>(kind) < kLayerKindCount; }

constexpr const LayerKindInfo* layer_kind_info(LayerKind kind) {
  return layer_kind_known(kind) ? &kLayerKinds[static_cast<uint8_t>(kind)] : nullptr;
}

/// Number of weights a layer reads (kernel or scale), not counting the bias.
constexpr size_t layer_weight_count(const Layer& layer) {
  return layer.kind == LayerKind::dense ? static_cast<size_t>(layer.units) * layer.inputs
                                        : (layer.weights != nullptr ? layer.units : 0);
}

/// Trainable parameters as Keras counts them: weights, biases and PReLU slopes.
constexpr size_t layer_parameter_count(const Layer& layer) {
  return layer_weight_count(layer) + (layer.bias != nullptr ? layer.units : 0) +
         (layer.activation.kind == Activation::prelu ? layer.units : 0);
}

/// Checks one layer on its own: known kind and activation, sizes, and the pointers it needs.
[[gnu::always_inline]] constexpr Status validate_layer(const Layer& layer) {
  if (!layer_kind_known(layer.kind)) return Status::unknown_layer_kind;
  if (!activation_known(layer.activation.kind)) return Status::unknown_activation;
  if (layer.inputs == 0 || layer.units == 0) return Status::shape_mismatch;
  if (layer.kind == LayerKind::dense && layer.weights == nullptr) return Status::invalid_argument;
  if (layer.kind == LayerKind::elementwise && layer.inputs != layer.units) return Status::shape_mismatch;
  if (layer.activation.kind == Activation::prelu && layer.activation.unit_alpha == nullptr) {
    return Status::invalid_argument;
  }
  return Status::ok;
}

/// The pre-activation z of a validated layer.
inline void layer_preactivation(const Layer& layer, const float* x, float* z) {
  kLayerKinds[static_cast<uint8_t>(layer.kind)].preactivation(layer, x, z);
}

/// y = f(z(x)) for a validated layer; x and y must not overlap. False when the layer's activation
/// is not in the set `Activations` (see ActivationSubset).
template <class Activations = AllActivations>
inline bool layer_forward(const Layer& layer, const float* x, float* y) {
  layer_preactivation(layer, x, y);
  return Activations::forward(layer.activation, y, y, layer.units);
}

/// Keras stores a kernel as [inputs][units]; this is the [units][inputs] copy the core reads,
/// made at compile time so that a model can be written down exactly as Keras printed it.
template <uint16_t Inputs, uint16_t Units>
struct DenseKernel {
  float values[static_cast<size_t>(Units) * Inputs] = {};
};

template <uint16_t Inputs, uint16_t Units>
constexpr DenseKernel<Inputs, Units> from_keras_kernel(const float (&keras)[Inputs][Units]) {
  DenseKernel<Inputs, Units> kernel;
  for (uint16_t i = 0; i < Inputs; ++i) {
    for (uint16_t j = 0; j < Units; ++j) kernel.values[static_cast<size_t>(j) * Inputs + i] = keras[i][j];
  }
  return kernel;
}

/// A Dense layer description over compile-time arrays.
template <uint16_t Inputs, uint16_t Units>
constexpr Layer dense_layer(const DenseKernel<Inputs, Units>& kernel, const float (&bias)[Units],
                            ActivationSpec activation) {
  Layer layer;
  layer.kind = LayerKind::dense;
  layer.inputs = Inputs;
  layer.units = Units;
  layer.weights = kernel.values;
  layer.bias = bias;
  layer.activation = activation;
  return layer;
}

}  // namespace anne
