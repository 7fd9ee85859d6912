// SPDX-License-Identifier: MIT
// The node's model, float32 or int8: a .anne file read in place (format version 1, float32, by
// format::read_model; version 2, int8 weights and 16-bit activation codes, by
// quant::read_quantized_model), and the one number the node wants from it: the probability p of
// a failure for a standardized record z.
//   float32: p = forward(z)
//   int8:    p = dequantize(quantized_forward(quantize(z)))   with the file's input and output scales
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "anne/format.hpp"
#include "anne/network.hpp"
#include "anne/quant/quantized_format.hpp"

namespace anne {
namespace monitor {

constexpr uint16_t kMaxLayers = 8;
/// The widest layer (and input) the node's scratch vectors hold.
constexpr uint16_t kMaxUnits = 32;

class NodeModel {
 public:
  /// Reads `bytes` (4-byte aligned, kept alive by the caller): ok, or why not. A file of another
  /// format version than the float reader's is tried as an int8 file.
  Status open(const uint8_t* bytes, uint32_t length) {
    format::ModelView view;
    Status status = format::read_model(bytes, length, layers_, kMaxLayers, view).status;
    quantized_ = status == Status::bad_version;
    if (quantized_) {
      quant::format::QuantizedModelView quantized_view;
      status = quant::format::read_quantized_model(bytes, length, qlayers_, nullptr, kMaxLayers, quantized_view).status;
      qnetwork_ = quantized_view.network;
    } else {
      network_ = view.network;
    }
    if (status != Status::ok) count_ = 0;
    else count_ = quantized_ ? qnetwork_.count : network_.count;
    return status;
  }

  bool quantized() const { return quantized_; }
  uint16_t layer_count() const { return count_; }
  uint16_t units(uint16_t k) const { return quantized_ ? qnetwork_.layers[k].units : network_.layers[k].units; }
  uint16_t inputs() const {
    if (count_ == 0) return 0;
    return quantized_ ? qnetwork_.layers[0].inputs : network_.layers[0].inputs;
  }
  uint16_t outputs() const { return count_ == 0 ? 0 : units(static_cast<uint16_t>(count_ - 1)); }
  uint16_t widest() const {
    uint16_t widest = inputs();
    for (uint16_t k = 0; k < count_; ++k) widest = units(k) > widest ? units(k) : widest;
    return widest;
  }
  /// Weights and biases (int8: the int8 weights and int32 biases).
  uint32_t parameters() const {
    uint32_t total = 0;
    for (uint16_t k = 0; k < count_; ++k) {
      total += quantized_ ? static_cast<uint32_t>(qnetwork_.layers[k].units) * (qnetwork_.layers[k].inputs + 1u)
                          : static_cast<uint32_t>(layer_parameter_count(network_.layers[k]));
    }
    return total;
  }
  /// The float32 network (for fine-tuning); empty for an int8 model.
  Network network() const { return quantized_ ? Network{layers_, 0} : network_; }

  /// Scratch for probability(), kept apart so that a model being checked costs little stack.
  struct Scratch {
    float floats[2 * kMaxUnits];
    int16_t codes[2 * kMaxUnits];
  };

  /// p for a standardized record of inputs() values; false if the model cannot run.
  bool probability(const float* z, float* p, Scratch& scratch) const {
    if (!quantized_) return forward(network_, z, inputs(), p, 1, scratch.floats, 2 * kMaxUnits) == Status::ok;
    int16_t codes[kMaxUnits];
    for (uint16_t i = 0; i < inputs(); ++i) codes[i] = quant::quantize_value(z[i], qnetwork_.input);
    int16_t out = 0;
    if (quant::quantized_forward(qnetwork_, codes, inputs(), &out, 1, scratch.codes, 2 * kMaxUnits) != Status::ok) return false;
    *p = quant::dequantize_value(out, qnetwork_.output);
    return true;
  }

 private:
  bool quantized_ = false;
  uint16_t count_ = 0;
  Layer layers_[kMaxLayers];
  Network network_{layers_, 0};
  quant::QuantizedLayer qlayers_[kMaxLayers];
  quant::QuantizedNetwork qnetwork_;
};

}  // namespace monitor
}  // namespace anne
