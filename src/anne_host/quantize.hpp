// SPDX-License-Identifier: MIT
// Post-training int8 quantization of a float model (see include/anne/quant/quantized_network.hpp
// for the integer formulas): int8 weights, symmetric, one scale per output unit; int32 biases;
// int8 activations with one scale and zero point per layer, from the ranges a calibration set
// produces (min and max, widened to include 0 so that 0 is exact).
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
  std::vector<quant::QuantParams> outputs;      ///< per layer
  std::vector<quant::QuantParams> preactivations;  ///< per layer: the z codes of table and softmax layers
  std::vector<ActivationSpec> activations;      ///< per layer: the float activation it stands for

  // Storage the layers point into.
  std::vector<std::vector<int8_t>> weights;
  std::vector<std::vector<int32_t>> biases;
  std::vector<std::vector<quant::Requantizer>> requantizers;
  std::vector<std::vector<int8_t>> tables;  ///< distinct tables only: identical layers share one
  std::vector<std::vector<uint16_t>> exp_tables;

  QuantizedModel() = default;
  QuantizedModel(QuantizedModel&&) = default;
  QuantizedModel& operator=(QuantizedModel&&) = default;
  QuantizedModel(const QuantizedModel&) = delete;  // the layers point into this object's storage
  QuantizedModel& operator=(const QuantizedModel&) = delete;

  quant::QuantizedNetwork network() const {
    return {layers.data(), static_cast<uint16_t>(layers.size()), input, outputs.data()};
  }
};

/// Quantizes `model` with the ranges its float forward pass takes on `calibration` (rows of
/// network_inputs values). Throws Error for what it cannot quantize: elementwise layers and PReLU
/// (not yet), an empty or non-finite calibration set, a bias or multiplier out of range.
QuantizedModel quantize_model(const HostModel& model, const std::vector<float>& calibration);

/// Float rows in, float outputs out: quantize the inputs, run the int8 network, dequantize.
std::vector<float> predict_quantized(const QuantizedModel& model, const float* x, size_t rows);

}  // namespace anne::host
