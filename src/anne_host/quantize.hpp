// SPDX-License-Identifier: MIT
// Post-training quantization of a float model (see include/anne/quant/quantized_network.hpp for
// the integer formulas and docs/quantization.md for why): int8 weights, symmetric, one scale per
// output unit; int32 biases; 16-bit activations with one scale and zero point per layer, from the
// ranges a calibration set produces (min and max, widened to include 0 so that 0 is exact);
// interpolated 65-entry tables for activations other than the ReLU family and for softmax's exp.
//
// Use from a program (the API other tools build on):
//   const QuantizedModel q = quantize_model(float_model, calibration_rows);
//   const std::vector<float> y = predict_quantized(q, rows, row_count);  // dequantized outputs
//   save_quantized_anne(q, "model.q.anne");                              // anne_file.hpp
// and on the device, anne::quant::quantized_forward(q.network(), ...) with the same integers.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "anne/quant/quantized_network.hpp"
#include "anne_host/model.hpp"

namespace anne::host {

struct QuantizedModel {
  std::string name;
  std::string description;
  quant::QuantParams input;
  std::vector<quant::QuantizedLayer> layers;
  std::vector<quant::QuantParams> outputs;         ///< per layer: its output codes
  std::vector<quant::QuantParams> preactivations;  ///< per layer: the codes c_j (clamp: = outputs; table and
                                                   ///< softmax: the grid t of z)
  std::vector<ActivationSpec> activations;         ///< per layer: the float activation it stands for

  // Storage the layers point into, one vector per layer.
  std::vector<std::vector<int8_t>> weights;
  std::vector<std::vector<int32_t>> biases;
  std::vector<std::vector<quant::Requantizer>> requantizers;
  std::vector<std::vector<int16_t>> tables;  ///< table and softmax layers: kTableEntries, else empty

  QuantizedModel() = default;
  QuantizedModel(QuantizedModel&&) = default;
  QuantizedModel& operator=(QuantizedModel&&) = default;
  QuantizedModel(const QuantizedModel&) = delete;  // the layers point into this object's storage
  QuantizedModel& operator=(const QuantizedModel&) = delete;

  quant::QuantizedNetwork network() const {
    return {layers.data(), static_cast<uint16_t>(layers.size()), input, outputs.empty() ? quant::QuantParams{} : outputs.back()};
  }
  /// Points each layer at its storage; call after filling or moving the vectors above.
  void link();
  /// Bytes of weights, biases, requantizers and tables as a device holds them (an exported header's
  /// arrays; a .anne file adds padding to 4 bytes): each distinct table once, as both store it.
  size_t parameter_bytes() const;
};

/// The first layer whose table equals layer k's (k itself when no earlier layer's does): a .anne
/// file, an exported header and parameter_bytes keep identical tables once, at that layer.
size_t first_identical_table(const QuantizedModel& model, size_t k);

/// Quantizes `model` with the ranges its float forward pass takes on `calibration` (rows of
/// network_inputs values). Throws Error for what it cannot quantize: elementwise layers and PReLU
/// (not yet), an empty or non-finite calibration set, a bias or multiplier out of range.
QuantizedModel quantize_model(const HostModel& model, const std::vector<float>& calibration);

/// Float rows in, float outputs out: quantize the inputs to 16-bit codes, run the integer network
/// (int8 weights, 16-bit activations), dequantize.
std::vector<float> predict_quantized(const QuantizedModel& model, const float* x, size_t rows);

/// One unit of one input's way through a quantized layer.
struct QuantizedUnitTrace {
  int32_t sum = 0;     ///< acc_j, the int32 sum (bias included)
  int32_t code = 0;    ///< c_j = requantize(acc_j): the code of z_j (table, softmax) or y_j (clamp)
  int32_t output = 0;  ///< y_j, the unit's 16-bit output code
};

struct QuantizedLayerTrace {
  std::vector<int16_t> input;  ///< the layer's 16-bit input codes
  std::vector<QuantizedUnitTrace> units;
};

/// Every layer's input codes and every unit's sum, code and output for one row of float inputs:
/// the integers quantized_forward computes.
std::vector<QuantizedLayerTrace> trace_quantized(const QuantizedModel& model, const float* x);

/// The 16-bit codes of one row of float inputs.
std::vector<int16_t> quantize_inputs(const QuantizedModel& model, const float* x);

}  // namespace anne::host
