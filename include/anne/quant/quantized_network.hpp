// SPDX-License-Identifier: MIT
// int8 inference for chips without a floating-point unit, in the scheme TFLite uses:
// a real value v is stored as q = round(v / scale) + zero_point, v = scale * (q - zero_point).
//
// One int8 Dense layer, with x_q its int8 inputs (scale s_x, zero point zp_x), W_q its weights
// (symmetric, one scale s_w[j] per unit, zero point 0) and the float bias b:
//   acc_j = sum_i W_q[j][i] x_q[i] + B_j,   B_j = round(b_j / (s_x s_w[j])) - zp_x sum_i W_q[j][i]
//   (the input zero point is folded into the int32 bias once, so the inner loop is a plain
//   multiply-accumulate), so that acc_j * s_x s_w[j] is the float layer's z_j.
// Then one of three outputs:
//   clamp    y_q = clamp(requantize(acc_j, s_x s_w[j] / s_y) + zp_y, lo, hi): linear and the ReLU
//            family fused into the clamp (relu: lo = zp_y, the code of 0; relu6: hi = code of 6)
//   table    z_q = clamp(requantize(acc_j, s_x s_w[j] / s_z) + zp_z, -128, 127),
//            y_q = table[z_q + 128]: any other elementwise activation (sigmoid, tanh, ...) as a
//            256-byte table computed when the model is quantized, shared by identical layers
//   softmax  z_q as for table, then e_j = exp_table[max_k z_q[k] - z_q[j]] (2^15 e^(-s_z d)),
//            y_q = round(256 e_j / sum_k e_k) - 128 (scale 1/256, zero point -128)
// Only 32-bit integer arithmetic: see requantize.hpp.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "anne/quant/requantize.hpp"
#include "anne/status.hpp"

namespace anne {
namespace quant {

/// How a layer turns its int32 sums into int8 outputs. Stored in model files: append only.
enum class OutputKind : uint8_t {
  clamp = 0,
  table = 1,
  softmax = 2,
};

/// scale and zero point of an int8 tensor: v = scale * (q - zero_point).
struct QuantParams {
  float scale = 1.0f;
  int8_t zero_point = 0;
};

struct QuantizedLayer {
  uint16_t inputs = 0;
  uint16_t units = 0;
  const int8_t* weights = nullptr;          ///< [units][inputs]
  const int32_t* bias = nullptr;            ///< [units], input zero point folded in
  const Requantizer* requantizers = nullptr;  ///< [units]
  OutputKind output = OutputKind::clamp;
  int8_t zero_point = 0;       ///< added after requantizing: zp_y (clamp) or zp_z (table, softmax)
  int8_t clamp_min = -128;     ///< clamp
  int8_t clamp_max = 127;      ///< clamp
  const int8_t* table = nullptr;        ///< table: 256 entries, indexed by z_q + 128
  const uint16_t* exp_table = nullptr;  ///< softmax: 256 entries, 2^15 e^(-s_z d) for d = 0..255
};

struct QuantizedNetwork {
  const QuantizedLayer* layers = nullptr;
  uint16_t count = 0;
  QuantParams input;                    ///< how the inputs are quantized
  const QuantParams* outputs = nullptr;  ///< [count]: each layer's output, for dequantizing
};

constexpr int8_t saturate_int8(int32_t v) {
  return static_cast<int8_t>(v < -128 ? -128 : (v > 127 ? 127 : v));
}

/// The int32 sum of one unit: sum_i W_q[j][i] x_q[i] + B_j. |sum| < 2^31 for up to 2^17 inputs.
inline int32_t quantized_sum(const QuantizedLayer& layer, uint16_t unit, const int8_t* x) {
  const int8_t* w = layer.weights + static_cast<size_t>(unit) * layer.inputs;
  int32_t acc = layer.bias != nullptr ? layer.bias[unit] : 0;
  for (uint16_t i = 0; i < layer.inputs; ++i) acc += static_cast<int32_t>(w[i]) * x[i];
  return acc;
}

/// The requantized pre-activation or output code of one unit, before clamping or the table.
inline int32_t quantized_preactivation(const QuantizedLayer& layer, uint16_t unit, const int8_t* x) {
  return requantize(quantized_sum(layer, unit, x), layer.requantizers[unit]) + layer.zero_point;
}

/// y_q[j] = round(256 e^(z_j - max z) / sum_k e^(z_k - max z)) - 128, in place over the z codes.
inline void quantized_softmax(const uint16_t* exp_table, int8_t* z, uint16_t n) {
  int8_t top = -128;
  for (uint16_t j = 0; j < n; ++j) top = z[j] > top ? z[j] : top;
  uint32_t sum = 0;
  for (uint16_t j = 0; j < n; ++j) sum += exp_table[top - z[j]];  // the max's term is 2^15, sum > 0
  for (uint16_t j = 0; j < n; ++j) {
    const uint32_t e = exp_table[top - z[j]];
    z[j] = saturate_int8(static_cast<int32_t>((e * 256u + sum / 2u) / sum) - 128);
  }
}

/// One int8 layer: x and y must not overlap.
inline void quantized_layer_forward(const QuantizedLayer& layer, const int8_t* x, int8_t* y) {
  for (uint16_t j = 0; j < layer.units; ++j) {
    const int32_t code = quantized_preactivation(layer, j, x);
    if (layer.output == OutputKind::clamp) {
      y[j] = static_cast<int8_t>(code < layer.clamp_min ? layer.clamp_min : (code > layer.clamp_max ? layer.clamp_max : code));
    } else if (layer.output == OutputKind::table) {
      y[j] = layer.table[saturate_int8(code) + 128];
    } else {
      y[j] = saturate_int8(code);
    }
  }
  if (layer.output == OutputKind::softmax) quantized_softmax(layer.exp_table, y, layer.units);
}

constexpr size_t quantized_scratch_bytes(const QuantizedNetwork& net) {
  uint16_t widest = 0;
  for (uint16_t k = 0; k + 1 < net.count; ++k) widest = net.layers[k].units > widest ? net.layers[k].units : widest;
  return 2u * widest;
}

constexpr uint16_t quantized_inputs(const QuantizedNetwork& net) { return net.count > 0 ? net.layers[0].inputs : 0; }
constexpr uint16_t quantized_outputs(const QuantizedNetwork& net) {
  return net.count > 0 ? net.layers[net.count - 1].units : 0;
}

/// Checks sizes that chain, the pointers each output kind needs, known kinds, shifts in range and
/// a clamp range that is not empty. `*bad_layer` gets the first offending layer's index.
inline Status validate_quantized_network(const QuantizedNetwork& net, uint16_t* bad_layer = nullptr) {
  if (net.layers == nullptr || net.count == 0 || net.outputs == nullptr) return Status::invalid_argument;
  for (uint16_t k = 0; k < net.count; ++k) {
    const QuantizedLayer& layer = net.layers[k];
    Status status = Status::ok;
    if (layer.inputs == 0 || layer.units == 0 || (k > 0 && layer.inputs != net.layers[k - 1].units)) {
      status = Status::shape_mismatch;
    } else if (static_cast<uint8_t>(layer.output) > static_cast<uint8_t>(OutputKind::softmax)) {
      status = Status::unknown_activation;
    } else if (layer.weights == nullptr || layer.requantizers == nullptr ||
               (layer.output == OutputKind::table && layer.table == nullptr) ||
               (layer.output == OutputKind::softmax && layer.exp_table == nullptr) ||
               (layer.output == OutputKind::clamp && layer.clamp_min > layer.clamp_max)) {
      status = Status::invalid_argument;
    } else {
      for (uint16_t j = 0; j < layer.units; ++j) {
        if (layer.requantizers[j].shift > kMaxRequantizeShift) status = Status::invalid_argument;
      }
    }
    if (status != Status::ok) {
      if (bad_layer != nullptr) *bad_layer = k;
      return status;
    }
  }
  return Status::ok;
}

/// Runs the int8 network: `scratch` holds quantized_scratch_bytes(net) bytes.
inline Status quantized_forward(const QuantizedNetwork& net, const int8_t* input, size_t input_len, int8_t* output,
                                size_t output_len, int8_t* scratch, size_t scratch_len) {
  const Status valid = validate_quantized_network(net);
  if (valid != Status::ok) return valid;
  if (input == nullptr || output == nullptr) return Status::invalid_argument;
  if (input_len != quantized_inputs(net) || output_len != quantized_outputs(net)) return Status::shape_mismatch;
  const size_t half = quantized_scratch_bytes(net) / 2;
  if (half > 0 && (scratch == nullptr || scratch_len < 2 * half)) return Status::buffer_too_small;
  const int8_t* x = input;
  for (uint16_t k = 0; k < net.count; ++k) {
    int8_t* y = k + 1 == net.count ? output : scratch + (k % 2) * half;
    quantized_layer_forward(net.layers[k], x, y);
    x = y;
  }
  return Status::ok;
}

/// q = clamp(round(v / scale) + zero_point), half away from zero: for inputs that arrive as
/// floats. NaN becomes the code of 0 (the zero point).
inline int8_t quantize_value(float v, QuantParams p) {
  const float scaled = v / p.scale;
  if (scaled != scaled) return p.zero_point;
  if (scaled > 512.0f) return 127;  // before the cast: a float beyond int32 is undefined there
  if (scaled < -512.0f) return -128;
  const int32_t rounded = static_cast<int32_t>(scaled + (scaled >= 0.0f ? 0.5f : -0.5f));
  return saturate_int8(rounded + p.zero_point);
}

/// v = scale * (q - zero_point)
inline float dequantize_value(int8_t q, QuantParams p) {
  return p.scale * static_cast<float>(static_cast<int32_t>(q) - p.zero_point);
}

}  // namespace quant
}  // namespace anne
