// SPDX-License-Identifier: MIT
#include "anne_host/quantize.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "anne_host/error.hpp"

namespace anne::host {

namespace {

struct Range {
  float low = std::numeric_limits<float>::infinity();
  float high = -std::numeric_limits<float>::infinity();
  void add(const float* v, size_t n) {
    for (size_t i = 0; i < n; ++i) {
      low = std::min(low, v[i]);
      high = std::max(high, v[i]);
    }
  }
};

/// Per-layer ranges of the float forward pass over the calibration rows.
struct Calibration {
  Range input;
  std::vector<Range> preactivation;
  std::vector<Range> output;
};

Calibration calibrate(const Network& net, const std::vector<float>& rows) {
  const uint16_t inputs = network_inputs(net);
  Calibration c;
  c.preactivation.resize(net.count);
  c.output.resize(net.count);
  std::vector<float> x, z, y;
  for (size_t r = 0; r + inputs <= rows.size(); r += inputs) {
    x.assign(rows.begin() + static_cast<std::ptrdiff_t>(r), rows.begin() + static_cast<std::ptrdiff_t>(r + inputs));
    c.input.add(x.data(), x.size());
    for (uint16_t k = 0; k < net.count; ++k) {
      const Layer& layer = net.layers[k];
      z.resize(layer.units);
      y.resize(layer.units);
      layer_preactivation(layer, x.data(), z.data());
      activation_forward(layer.activation, z.data(), y.data(), layer.units);
      c.preactivation[k].add(z.data(), z.size());
      c.output[k].add(y.data(), y.size());
      x.swap(y);
    }
  }
  return c;
}

/// The asymmetric int8 parameters of a range, widened to include 0 (so that 0, e.g. a ReLU's
/// output and the padding value, is exact): scale = (high - low) / 255, zero point = the code of 0.
quant::QuantParams params_for(Range range) {
  const double low = std::min(range.low, 0.0f);
  const double high = std::max(range.high, 0.0f);
  if (high - low <= 0.0) return {1.0f, 0};  // everything is 0
  const double scale = (high - low) / 255.0;
  const double zero_point = std::round(-128.0 - low / scale);
  return {static_cast<float>(scale), static_cast<int8_t>(std::clamp(zero_point, -128.0, 127.0))};
}

int8_t code_of(double v, quant::QuantParams p) {
  return static_cast<int8_t>(std::clamp(std::round(v / p.scale) + p.zero_point, -128.0, 127.0));
}

/// Linear and the ReLUs without slope or threshold are fused into the clamp.
bool fits_clamp(const ActivationSpec& a) {
  return a.kind == Activation::linear || a.kind == Activation::relu6 ||
         (a.kind == Activation::relu && a.alpha == 0.0f && a.threshold == 0.0f);
}

std::string where(const HostModel& model, size_t k) {
  return model.name + ", layer " + std::to_string(k + 1);
}

}  // namespace

QuantizedModel quantize_model(const HostModel& model, const std::vector<float>& calibration) {
  const Network net = model.network();
  uint16_t bad_layer = 0;
  const Status valid = validate_network(net, &bad_layer);
  if (valid != Status::ok) throw Error(where(model, bad_layer) + ": " + status_message(valid));
  const uint16_t inputs = network_inputs(net);
  if (calibration.size() < inputs || calibration.size() % inputs != 0) {
    throw Error("the calibration data must be whole rows of " + std::to_string(inputs) + " values");
  }
  for (float v : calibration) {
    if (!std::isfinite(v)) throw Error("the calibration data holds a NaN or infinite value");
  }
  for (uint16_t k = 0; k < net.count; ++k) {
    if (net.layers[k].kind != LayerKind::dense) {
      throw Error(where(model, k) + ": only Dense layers are quantized (fold this layer into a Dense layer first)");
    }
    if (net.layers[k].activation.kind == Activation::prelu) throw Error(where(model, k) + ": PReLU is not quantized yet");
  }
  const Calibration ranges = calibrate(net, calibration);

  QuantizedModel q;
  q.name = model.name;
  q.description = model.description;
  q.input = params_for(ranges.input);
  q.layers.resize(net.count);
  q.outputs.resize(net.count);
  q.preactivations.resize(net.count);
  std::vector<size_t> table_index(net.count);  // into q.tables or q.exp_tables
  quant::QuantParams in = q.input;
  for (uint16_t k = 0; k < net.count; ++k) {
    const Layer& layer = net.layers[k];
    const ActivationSpec& act = layer.activation;
    quant::QuantizedLayer& out = q.layers[k];
    out.inputs = layer.inputs;
    out.units = layer.units;
    q.activations.push_back(act);

    // What the requantizer produces: the output codes (clamp) or the pre-activation codes.
    quant::QuantParams produced;
    if (fits_clamp(act)) {
      out.output = quant::OutputKind::clamp;
      q.outputs[k] = params_for(ranges.output[k]);
      produced = q.outputs[k];
      if (act.kind != Activation::linear) out.clamp_min = code_of(0.0, produced);
      const double cap = act.kind == Activation::relu6 ? 6.0 : static_cast<double>(act.max_value);
      if (std::isfinite(cap)) out.clamp_max = code_of(cap, produced);
    } else if (act.kind == Activation::softmax) {
      out.output = quant::OutputKind::softmax;
      produced = params_for(ranges.preactivation[k]);
      q.outputs[k] = {1.0f / 256.0f, -128};
      std::vector<uint16_t> exp_table(256);
      for (int d = 0; d < 256; ++d) exp_table[d] = static_cast<uint16_t>(std::lround(32768.0 * std::exp(-static_cast<double>(produced.scale) * d)));
      table_index[k] = q.exp_tables.size();
      q.exp_tables.push_back(std::move(exp_table));
    } else {
      out.output = quant::OutputKind::table;
      produced = params_for(ranges.preactivation[k]);
      q.outputs[k] = params_for(ranges.output[k]);
      std::vector<int8_t> table(256);
      for (int code = -128; code < 128; ++code) {
        const float z = produced.scale * static_cast<float>(code - produced.zero_point);
        float y = 0.0f;
        activation_forward(act, &z, &y, 1);
        table[code + 128] = code_of(y, q.outputs[k]);
      }
      const auto same = std::find(q.tables.begin(), q.tables.end(), table);
      table_index[k] = static_cast<size_t>(same - q.tables.begin());
      if (same == q.tables.end()) q.tables.push_back(std::move(table));
    }
    q.preactivations[k] = produced;
    out.zero_point = produced.zero_point;

    std::vector<int8_t> weights(static_cast<size_t>(layer.units) * layer.inputs);
    std::vector<int32_t> biases(layer.units);
    std::vector<quant::Requantizer> requantizers(layer.units);
    for (uint16_t j = 0; j < layer.units; ++j) {
      const float* w = layer.weights + static_cast<size_t>(j) * layer.inputs;
      double largest = 0.0;
      for (uint16_t i = 0; i < layer.inputs; ++i) largest = std::max(largest, std::fabs(static_cast<double>(w[i])));
      const double w_scale = largest > 0.0 ? largest / 127.0 : 1.0;
      int64_t weight_sum = 0;
      for (uint16_t i = 0; i < layer.inputs; ++i) {
        const int8_t wq = static_cast<int8_t>(std::clamp(std::round(w[i] / w_scale), -127.0, 127.0));
        weights[static_cast<size_t>(j) * layer.inputs + i] = wq;
        weight_sum += wq;
      }
      const double acc_scale = static_cast<double>(in.scale) * w_scale;  // the real value of 1 in acc
      const double bias = layer.bias != nullptr ? std::round(layer.bias[j] / acc_scale) : 0.0;
      const double folded = bias - static_cast<double>(in.zero_point) * static_cast<double>(weight_sum);
      if (std::fabs(folded) > 1e9) {
        throw Error(where(model, k) + ", unit " + std::to_string(j + 1) + ": the bias is too large for int32 at this scale");
      }
      biases[j] = static_cast<int32_t>(folded);
      if (!quant::make_requantizer(acc_scale / produced.scale, requantizers[j])) {
        throw Error(where(model, k) + ", unit " + std::to_string(j + 1) + ": requantization multiplier " +
                    std::to_string(acc_scale / produced.scale) + " out of range");
      }
    }
    q.weights.push_back(std::move(weights));
    q.biases.push_back(std::move(biases));
    q.requantizers.push_back(std::move(requantizers));
    in = q.outputs[k];
  }

  // Point the layers at the storage (now that no vector of it grows any more).
  for (uint16_t k = 0; k < net.count; ++k) {
    quant::QuantizedLayer& out = q.layers[k];
    out.weights = q.weights[k].data();
    out.bias = q.biases[k].data();
    out.requantizers = q.requantizers[k].data();
    if (out.output == quant::OutputKind::table) out.table = q.tables[table_index[k]].data();
    if (out.output == quant::OutputKind::softmax) out.exp_table = q.exp_tables[table_index[k]].data();
  }
  return q;
}

std::vector<float> predict_quantized(const QuantizedModel& model, const float* x, size_t rows) {
  const quant::QuantizedNetwork net = model.network();
  const uint16_t inputs = quant::quantized_inputs(net);
  const uint16_t outputs = quant::quantized_outputs(net);
  std::vector<int8_t> in(inputs), out(outputs), scratch(quant::quantized_scratch_bytes(net));
  std::vector<float> y;
  y.reserve(rows * outputs);
  for (size_t r = 0; r < rows; ++r) {
    for (uint16_t i = 0; i < inputs; ++i) in[i] = quant::quantize_value(x[r * inputs + i], model.input);
    const Status status = quant::quantized_forward(net, in.data(), inputs, out.data(), outputs, scratch.data(), scratch.size());
    if (status != Status::ok) throw Error(std::string("int8 forward pass failed: ") + status_message(status));
    for (uint16_t j = 0; j < outputs; ++j) y.push_back(quant::dequantize_value(out[j], model.outputs.back()));
  }
  return y;
}

}  // namespace anne::host
