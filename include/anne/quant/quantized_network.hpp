// SPDX-License-Identifier: MIT
// Integer inference for chips without a floating-point unit: int8 weights and 16-bit activations
// (TFLite's "16x8" scheme). A real value v is stored as a code q with v = scale * (q - zero_point).
// docs/quantization.md derives every formula here and says what each costs and gains.
//
// One quantized Dense layer, with x_q its 16-bit input codes (scale s_x, zero point zp_x), W_q
// its int8 weights (symmetric, one scale s_w[j] per unit, zero point 0) and the float bias b:
//   acc_j = sum_i W_q[j][i] x_q[i] + B_j,
//   B_j = round(b_j / (s_x s_w[j])) - zp_x sum_i W_q[j][i] + round((zp_c + 1/2) / M_j)
//   (the input zero point, and the zero point zp_c and rounding half of the codes below, are
//   folded into the int32 bias once, so the inner loop is a plain multiply-accumulate), so that
//   (acc_j - the last term) s_x s_w[j] is the float layer's z_j.
// Then, with c_j = requantize(acc_j) = floor(acc_j M_j) (requantize.hpp, M_j = s_x s_w[j] / s_c)
// the code of z_j or y_j, rounded to nearest, one of three outputs:
//   clamp    y_j = clamp(c_j, lo, hi): linear and the ReLU family fused into the clamp (relu: lo
//            is the code of 0; relu6: hi is the code of 6)
//   table    c_j is the code t of z_j on the grid z = s_t (t - zp_t), t clamped to [0, 2^16);
//            the activation is a 65-entry table T of output codes over that grid, read with
//            linear interpolation:  i = t >> 10, f = t & 1023,
//              y_j = T[i] + ((T[i+1] - T[i]) f) >> 10
//            (sigmoid, tanh, leaky_relu, ...: any other elementwise activation)
//   softmax  t_j as for a table (clamped); e_j = E(max_k t_k - t_j), E the same kind of table over
//            d = 0..2^16-1 holding 32767 e^(-s_t d); y_j = round(65535 e_j / sum_k e_k) - 32768
//            (scale 1/65535, zero point -32768)
// Only 32-bit integer arithmetic, and the same integers on every target.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "anne/quant/requantize.hpp"
#include "anne/status.hpp"

/// For the few small functions whose call costs more than their body on the Cortex-M0+.
#if defined(__GNUC__)
#define ANNE_QUANT_ALWAYS_INLINE __attribute__((always_inline)) inline
#else
#define ANNE_QUANT_ALWAYS_INLINE inline
#endif

namespace anne {
namespace quant {

/// How a layer turns its int32 sums into outputs. Stored in model files: append only.
enum class OutputKind : uint8_t {
  clamp = 0,
  table = 1,
  softmax = 2,
};

constexpr uint8_t kOutputKinds = 3;

/// The names of the output kinds, in code order ("clamp"): for messages and exported headers.
constexpr const char* output_kind_name(OutputKind kind) {
  constexpr const char* kNames[kOutputKinds] = {"clamp", "table", "softmax"};
  return static_cast<uint8_t>(kind) < kOutputKinds ? kNames[static_cast<uint8_t>(kind)] : "unknown";
}

/// The interpolated tables: 64 segments over a 16-bit code t.
constexpr uint32_t kTableCodeBits = 16;
constexpr uint32_t kTableFractionBits = 10;
constexpr uint32_t kTableEntries = (1u << (kTableCodeBits - kTableFractionBits)) + 1;  // 65
constexpr int32_t kTableCodeMax = (1 << kTableCodeBits) - 1;
constexpr int32_t kCodeMin = -32768;  ///< activation codes are int16
constexpr int32_t kCodeMax = 32767;

/// scale and zero point of a quantized tensor: v = scale * (q - zero_point).
struct QuantParams {
  float scale = 1.0f;
  int32_t zero_point = 0;
};

struct QuantizedLayer {
  uint16_t inputs = 0;
  uint16_t units = 0;
  const int8_t* weights = nullptr;            ///< [units][inputs]
  const int32_t* bias = nullptr;              ///< [units], zero points and rounding half folded in
  const Requantizer* requantizers = nullptr;  ///< [units]
  OutputKind output = OutputKind::clamp;
  int16_t clamp_min = kCodeMin;   ///< clamp
  int16_t clamp_max = kCodeMax;   ///< clamp
  const int16_t* table = nullptr;  ///< table and softmax: kTableEntries entries
};

struct QuantizedNetwork {
  const QuantizedLayer* layers = nullptr;
  uint16_t count = 0;
  QuantParams input;   ///< how the inputs are quantized
  QuantParams output;  ///< what the output codes mean
};

constexpr int32_t clamp_int(int32_t v, int32_t lo, int32_t hi) { return v < lo ? lo : (v > hi ? hi : v); }

/// The int32 sum of one unit: sum_i W_q[j][i] x_q[i] + B_j.
inline int32_t quantized_sum(const QuantizedLayer& layer, uint16_t unit, const int16_t* x) {
  const int8_t* w = layer.weights + static_cast<size_t>(unit) * layer.inputs;
  int32_t acc = layer.bias[unit];
  for (uint16_t i = 0; i < layer.inputs; ++i) acc += static_cast<int32_t>(w[i]) * x[i];
  return acc;
}

/// c_j: the requantized sum, before the clamp, table or softmax.
inline int32_t quantized_code(const QuantizedLayer& layer, uint16_t unit, const int16_t* x) {
  return requantize(quantized_sum(layer, unit, x), layer.requantizers[unit]);
}

/// T at the 16-bit code t (clamped to the table's grid), linearly interpolated (rounded down: the
/// error is below one 16-bit code).
ANNE_QUANT_ALWAYS_INLINE int32_t table_lookup(const int16_t* table, int32_t t) {
  const int32_t code = clamp_int(t, 0, kTableCodeMax);
  const int32_t i = code >> kTableFractionBits;
  const int32_t fraction = code & ((1 << kTableFractionBits) - 1);
  return table[i] + (((table[i + 1] - table[i]) * fraction) >> kTableFractionBits);
}

/// y_j = round(65535 e_j / sum_k e_k) - 32768, in place over the grid codes t_j - 32768.
inline void quantized_softmax(const int16_t* exp_table, int16_t* t, uint16_t n) {
  int32_t top = kCodeMin;
  for (uint16_t j = 0; j < n; ++j) top = t[j] > top ? t[j] : top;
  uint32_t sum = 0;
  for (uint16_t j = 0; j < n; ++j) sum += static_cast<uint32_t>(table_lookup(exp_table, top - t[j]));
  if (sum == 0) sum = 1;  // only for a table without E(0) = 32767
  for (uint16_t j = 0; j < n; ++j) {
    const uint32_t e = static_cast<uint32_t>(table_lookup(exp_table, top - t[j]));  // e 65535 < 2^31
    t[j] = static_cast<int16_t>(clamp_int(static_cast<int32_t>((e * 65535u + sum / 2u) / sum) - 32768, kCodeMin, kCodeMax));
  }
}

/// One layer: 16-bit codes in, 16-bit codes out. x and y must not overlap.
inline void quantized_layer_forward(const QuantizedLayer& layer, const int16_t* x, int16_t* y) {
  if (layer.output == OutputKind::clamp) {
    for (uint16_t j = 0; j < layer.units; ++j) {
      y[j] = static_cast<int16_t>(clamp_int(quantized_code(layer, j, x), layer.clamp_min, layer.clamp_max));
    }
  } else if (layer.output == OutputKind::table) {
    for (uint16_t j = 0; j < layer.units; ++j) y[j] = static_cast<int16_t>(table_lookup(layer.table, quantized_code(layer, j, x)));
  } else {
    for (uint16_t j = 0; j < layer.units; ++j) {
      y[j] = static_cast<int16_t>(clamp_int(quantized_code(layer, j, x), 0, kTableCodeMax) + kCodeMin);
    }
    quantized_softmax(layer.table, y, layer.units);
  }
}

/// 16-bit codes of scratch a forward pass needs: two hidden layers' outputs.
constexpr size_t quantized_scratch_codes(const QuantizedNetwork& net) {
  uint16_t widest = 0;
  for (uint16_t k = 0; k + 1 < net.count; ++k) widest = net.layers[k].units > widest ? net.layers[k].units : widest;
  return 2u * widest;
}

constexpr uint16_t quantized_inputs(const QuantizedNetwork& net) { return net.count > 0 ? net.layers[0].inputs : 0; }
constexpr uint16_t quantized_outputs(const QuantizedNetwork& net) {
  return net.count > 0 ? net.layers[net.count - 1].units : 0;
}

/// The largest |acc_j| any 16-bit input can give: |B_j| + 32768 sum_i |W_q[j][i]|.
constexpr uint64_t quantized_sum_bound(const QuantizedLayer& layer, uint16_t unit) {
  const int64_t bias = layer.bias[unit];
  uint64_t bound = static_cast<uint64_t>(bias < 0 ? -bias : bias);
  for (uint16_t i = 0; i < layer.inputs; ++i) {
    const int32_t w = layer.weights[static_cast<size_t>(unit) * layer.inputs + i];
    bound += 32768u * static_cast<uint32_t>(w < 0 ? -w : w);
  }
  return bound;
}

/// Every unit's requantizer fits its sum bound (so neither the sum nor the product can overflow),
/// and the clamp range is not empty.
constexpr bool quantized_units_fit(const QuantizedLayer& layer) {
  if (layer.output == OutputKind::clamp && layer.clamp_min > layer.clamp_max) return false;
  for (uint16_t j = 0; j < layer.units; ++j) {
    if (!requantizer_fits(layer.requantizers[j], quantized_sum_bound(layer, j))) return false;
  }
  return true;
}

namespace detail {

/// Layer k's shape, output kind, clamp range and requantizers; with `pointers`, also that the
/// arrays it needs are set.
constexpr Status check_quantized_layer(const QuantizedNetwork& net, uint16_t k, bool pointers) {
  const QuantizedLayer& layer = net.layers[k];
  if (layer.inputs == 0 || layer.units == 0 || (k > 0 && layer.inputs != net.layers[k - 1].units)) {
    return Status::shape_mismatch;
  }
  if (static_cast<uint8_t>(layer.output) >= kOutputKinds) return Status::unknown_activation;
  if (pointers && (layer.weights == nullptr || layer.bias == nullptr || layer.requantizers == nullptr ||
                   (layer.output != OutputKind::clamp && layer.table == nullptr))) {
    return Status::invalid_argument;
  }
  return quantized_units_fit(layer) ? Status::ok : Status::invalid_argument;
}

constexpr Status check_quantized_network(const QuantizedNetwork& net, uint16_t* bad_layer, bool pointers) {
  if (net.count == 0) return Status::invalid_argument;
  for (uint16_t k = 0; k < net.count; ++k) {
    const Status status = check_quantized_layer(net, k, pointers);
    if (status != Status::ok) {
      if (bad_layer != nullptr) *bad_layer = k;
      return status;
    }
  }
  return Status::ok;
}

}  // namespace detail

/// Sizes that chain, the arrays each output kind needs, known kinds, and requantizers that cannot
/// overflow (requantize.hpp): everything quantized_forward relies on. Run it once per model (the
/// .anne reader does); `*bad_layer` gets the first offending layer's index.
constexpr Status validate_quantized_network(const QuantizedNetwork& net, uint16_t* bad_layer = nullptr) {
  if (net.layers == nullptr) return Status::invalid_argument;
  return detail::check_quantized_network(net, bad_layer, true);
}

/// The same checks for a constexpr network whose arrays are arrays (an exported header
/// static_asserts it), but for the null pointers: GCC cannot compare an array's address with null
/// at compile time under -fsanitize=undefined.
constexpr Status validate_exported_network(const QuantizedNetwork& net) {
  return detail::check_quantized_network(net, nullptr, false);
}

/// Runs the quantized network, which must have passed validate_quantized_network (this checks
/// only the buffers, so that a per-inference call stays cheap): 16-bit input codes in, 16-bit
/// output codes out; `scratch` holds quantized_scratch_codes(net) codes.
inline Status quantized_forward(const QuantizedNetwork& net, const int16_t* input, size_t input_len, int16_t* output,
                                size_t output_len, int16_t* scratch, size_t scratch_len) {
  if (net.layers == nullptr || net.count == 0 || input == nullptr || output == nullptr) return Status::invalid_argument;
  if (input_len != quantized_inputs(net) || output_len != quantized_outputs(net)) return Status::shape_mismatch;
  const size_t half = quantized_scratch_codes(net) / 2;
  if (half > 0 && (scratch == nullptr || scratch_len < 2 * half)) return Status::buffer_too_small;
  const int16_t* x = input;
  for (uint16_t k = 0; k < net.count; ++k) {
    int16_t* y = k + 1 == net.count ? output : scratch + (k % 2) * half;
    quantized_layer_forward(net.layers[k], x, y);
    x = y;
  }
  return Status::ok;
}

/// q = clamp(round(v / scale) + zero_point), half away from zero: for inputs that arrive as
/// floats. NaN becomes the code of 0 (the zero point).
inline int16_t quantize_value(float v, QuantParams p) {
  const float scaled = v / p.scale;
  if (scaled != scaled) return static_cast<int16_t>(clamp_int(p.zero_point, kCodeMin, kCodeMax));
  if (scaled > 131072.0f) return kCodeMax;  // before the cast: a float beyond int32 is undefined there
  if (scaled < -131072.0f) return kCodeMin;
  const int32_t rounded = static_cast<int32_t>(scaled + (scaled >= 0.0f ? 0.5f : -0.5f));
  return static_cast<int16_t>(clamp_int(rounded + p.zero_point, kCodeMin, kCodeMax));
}

/// v = scale * (q - zero_point)
inline float dequantize_value(int32_t q, QuantParams p) { return p.scale * static_cast<float>(q - p.zero_point); }

}  // namespace quant
}  // namespace anne
