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

/// The asymmetric 16-bit parameters of a range, widened to include 0 (so that 0, e.g. a ReLU's
/// output and the padding value, is exact): scale = (high - low) / 65535, zero point = the code of 0.
quant::QuantParams params_for(Range range) {
  const double low = std::min(range.low, 0.0f);
  const double high = std::max(range.high, 0.0f);
  if (high - low <= 0.0) return {1.0f, 0};  // everything is 0
  const double scale = (high - low) / 65535.0;
  const double zero_point = std::round(quant::kCodeMin - low / scale);
  return {static_cast<float>(scale), static_cast<int32_t>(std::clamp(zero_point, double(quant::kCodeMin), double(quant::kCodeMax)))};
}

int16_t code_of(double v, quant::QuantParams p) {
  return static_cast<int16_t>(std::clamp(std::round(v / p.scale) + p.zero_point, double(quant::kCodeMin), double(quant::kCodeMax)));
}

/// The grid of the codes t that index a table: the calibrated pre-activation range, widened by an
/// eighth of its span on each side for rows beyond the calibration set.
quant::QuantParams table_grid(Range z) {
  double low = z.low, high = z.high;
  if (high - low <= 0.0) {
    low -= 1.0;
    high += 1.0;
  }
  const double margin = (high - low) / 8.0;
  low -= margin;
  high += margin;
  const float scale = static_cast<float>((high - low) / quant::kTableCodeMax);
  return {scale, static_cast<int32_t>(std::lround(-low / static_cast<double>(scale)))};
}

/// The table's grid codes t = 0, 1024, ..., 65536: the points where T is exact.
double grid_point(uint32_t i) { return static_cast<double>(i << quant::kTableFractionBits); }

/// Linear and the ReLUs without slope or threshold are fused into the clamp.
bool fits_clamp(const ActivationSpec& a) {
  return a.kind == Activation::linear || a.kind == Activation::relu6 ||
         (a.kind == Activation::relu && a.alpha == 0.0f && a.threshold == 0.0f);
}

std::string where(const HostModel& model, size_t k) { return model.name + ", layer " + std::to_string(k + 1); }

/// The requantizer for the real multiplier M > 0 with sums up to `bound` (requantize.hpp): the
/// fewest dropped low bits of the sum (pre_shift) that leave m at least 15 bits with
/// (bound >> pre_shift) m below 2^31. False if the sums themselves exceed 31 bits.
bool make_requantizer(double multiplier, uint64_t bound, quant::Requantizer& out) {
  for (int pre = 0; pre <= quant::kMaxPreShift; ++pre) {
    for (int shift = quant::kMaxRequantizeShift; shift >= 0; --shift) {
      const double m = std::round(std::ldexp(multiplier, shift + pre));
      if (m > double(quant::kRequantizeLimit)) continue;
      const quant::Requantizer r{static_cast<int32_t>(m), static_cast<uint8_t>(pre), static_cast<uint8_t>(shift)};
      if (!quant::requantizer_fits(r, bound)) continue;
      if (m >= 16384.0 || (shift == quant::kMaxRequantizeShift && m >= 1.0)) {
        out = r;
        return true;
      }
      break;  // fewer than 15 bits of m here: drop one more bit of the sum
    }
  }
  return false;
}

/// Weights, bias and requantizer of layer k, whose codes c_j have the parameters `codes`: the
/// bias holds the input zero point, the codes' zero point and the rounding half (so that
/// floor(acc M) is the code rounded to nearest).
void quantize_units(const HostModel& model, uint16_t k, quant::QuantParams in, quant::QuantParams codes, QuantizedModel& q) {
  const Layer& layer = model.network().layers[k];
  std::vector<int8_t> weights(static_cast<size_t>(layer.units) * layer.inputs);
  std::vector<int32_t> biases(layer.units);
  std::vector<quant::Requantizer> requantizers(layer.units);
  for (uint16_t j = 0; j < layer.units; ++j) {
    const std::string unit = where(model, k) + ", unit " + std::to_string(j + 1);
    const float* w = layer.weights + static_cast<size_t>(j) * layer.inputs;
    double largest = 0.0;
    for (uint16_t i = 0; i < layer.inputs; ++i) largest = std::max(largest, std::fabs(static_cast<double>(w[i])));
    const double w_scale = largest > 0.0 ? largest / 127.0 : 1.0;
    int64_t weight_sum = 0;
    uint64_t weight_bound = 0;  // 32768 sum_i |W_q[i]|
    for (uint16_t i = 0; i < layer.inputs; ++i) {
      const int8_t wq = static_cast<int8_t>(std::clamp(std::round(w[i] / w_scale), -127.0, 127.0));
      weights[static_cast<size_t>(j) * layer.inputs + i] = wq;
      weight_sum += wq;
      weight_bound += 32768u * static_cast<uint32_t>(std::abs(wq));
    }
    const double acc_scale = static_cast<double>(in.scale) * w_scale;  // the real value of 1 in acc
    const double multiplier = acc_scale / codes.scale;
    const double bias = (layer.bias != nullptr ? std::round(layer.bias[j] / acc_scale) : 0.0) -
                        static_cast<double>(in.zero_point) * static_cast<double>(weight_sum);
    // The requantizer, for sums that include the folded zero point (estimated with M, plus a margin).
    const double folded_estimate = std::fabs((codes.zero_point + 0.5) / multiplier) * 1.001 + 2.0;
    const double bound = std::fabs(bias) + folded_estimate + static_cast<double>(weight_bound);
    if (bound > double(quant::kRequantizeLimit) ||
        !make_requantizer(multiplier, static_cast<uint64_t>(bound), requantizers[j])) {
      throw Error(unit + ": its sums (up to " + std::to_string(static_cast<uint64_t>(bound)) +
                  ") and multiplier " + std::to_string(multiplier) + " do not fit 32-bit arithmetic");
    }
    const quant::Requantizer r = requantizers[j];
    const double stored = std::ldexp(static_cast<double>(r.multiplier), -(r.pre_shift + r.shift));
    biases[j] = static_cast<int32_t>(bias + std::round((codes.zero_point + 0.5) / stored));
  }
  q.weights[k] = std::move(weights);
  q.biases[k] = std::move(biases);
  q.requantizers[k] = std::move(requantizers);
}

/// f at the pre-activation of grid code t.
float activation_at(const ActivationSpec& act, quant::QuantParams grid, double t) {
  const float z = static_cast<float>(grid.scale * (t - grid.zero_point));
  float y = 0.0f;
  activation_forward(act, &z, &y, 1);
  return y;
}

/// The output kind of layer k and what its codes c_j mean; fills the table.
quant::QuantParams quantize_output(const ActivationSpec& act, const Calibration& ranges, uint16_t k, QuantizedModel& q) {
  quant::QuantizedLayer& out = q.layers[k];
  std::vector<int16_t>& table = q.tables[k];
  if (fits_clamp(act)) {
    out.output = quant::OutputKind::clamp;
    const quant::QuantParams codes = params_for(ranges.output[k]);
    if (act.kind != Activation::linear) out.clamp_min = code_of(0.0, codes);
    const double cap = act.kind == Activation::relu6 ? 6.0 : static_cast<double>(act.max_value);
    if (std::isfinite(cap)) out.clamp_max = code_of(cap, codes);
    q.outputs[k] = codes;
    return codes;
  }
  const quant::QuantParams grid = table_grid(ranges.preactivation[k]);
  if (act.kind == Activation::softmax) {
    out.output = quant::OutputKind::softmax;
    // E(d) = 32767 e^(-s_t d) at d = 0, 1024, ..., 65536
    for (uint32_t i = 0; i < quant::kTableEntries; ++i) {
      table.push_back(static_cast<int16_t>(std::lround(32767.0 * std::exp(-static_cast<double>(grid.scale) * grid_point(i)))));
    }
    q.outputs[k] = {1.0f / 65535.0f, quant::kCodeMin};
    return grid;
  }
  out.output = quant::OutputKind::table;
  // The output range: the calibrated one and the activation over the whole grid.
  Range output = ranges.output[k];
  std::vector<float> values(quant::kTableEntries);
  for (uint32_t i = 0; i < quant::kTableEntries; ++i) values[i] = activation_at(act, grid, grid_point(i));
  output.add(values.data(), values.size());
  q.outputs[k] = params_for(output);
  for (float v : values) table.push_back(code_of(v, q.outputs[k]));
  return grid;
}

/// The codes of one row of float inputs, as many as `codes` holds.
void quantize_row(const quant::QuantParams& input, const float* x, std::vector<int16_t>& codes) {
  for (size_t i = 0; i < codes.size(); ++i) codes[i] = quant::quantize_value(x[i], input);
}

}  // namespace

void QuantizedModel::link() {
  for (size_t k = 0; k < layers.size(); ++k) {
    quant::QuantizedLayer& layer = layers[k];
    layer.weights = weights[k].data();
    layer.bias = biases[k].data();
    layer.requantizers = requantizers[k].data();
    layer.table = tables[k].empty() ? nullptr : tables[k].data();
  }
}

size_t QuantizedModel::parameter_bytes() const {
  size_t bytes = 0;
  for (size_t k = 0; k < layers.size(); ++k) {
    bytes += sizeof(int8_t) * weights[k].size() + sizeof(int32_t) * biases[k].size() +
             sizeof(quant::Requantizer) * requantizers[k].size();
    if (first_identical_table(*this, k) == k) bytes += sizeof(int16_t) * tables[k].size();
  }
  return bytes;
}

size_t first_identical_table(const QuantizedModel& model, size_t k) {
  size_t first = 0;
  while (model.tables[first] != model.tables[k]) ++first;  // stops at k at the latest
  return first;
}

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
  q.weights.resize(net.count);
  q.biases.resize(net.count);
  q.requantizers.resize(net.count);
  q.tables.resize(net.count);
  quant::QuantParams in = q.input;
  for (uint16_t k = 0; k < net.count; ++k) {
    const Layer& layer = net.layers[k];
    q.layers[k].inputs = layer.inputs;
    q.layers[k].units = layer.units;
    q.activations.push_back(layer.activation);
    const quant::QuantParams produced = quantize_output(layer.activation, ranges, k, q);
    q.preactivations[k] = produced;
    quantize_units(model, k, in, produced, q);
    in = q.outputs[k];
  }
  q.link();
  const Status quantized = quant::validate_quantized_network(q.network(), &bad_layer);
  if (quantized != Status::ok) throw Error(where(model, bad_layer) + ": quantized layer refused: " + status_message(quantized));
  return q;
}

std::vector<int16_t> quantize_inputs(const QuantizedModel& model, const float* x) {
  std::vector<int16_t> codes(quant::quantized_inputs(model.network()));
  quantize_row(model.input, x, codes);
  return codes;
}

std::vector<QuantizedLayerTrace> trace_quantized(const QuantizedModel& model, const float* x) {
  std::vector<QuantizedLayerTrace> trace;
  std::vector<int16_t> codes = quantize_inputs(model, x);
  for (const quant::QuantizedLayer& layer : model.layers) {
    QuantizedLayerTrace step;
    step.input = codes;
    codes.assign(layer.units, 0);
    quant::quantized_layer_forward(layer, step.input.data(), codes.data());
    for (uint16_t j = 0; j < layer.units; ++j) {
      const int32_t sum = quant::quantized_sum(layer, j, step.input.data());
      step.units.push_back({sum, quant::requantize(sum, layer.requantizers[j]), codes[j]});
    }
    trace.push_back(std::move(step));
  }
  return trace;
}

std::vector<float> predict_quantized(const QuantizedModel& model, const float* x, size_t rows) {
  const quant::QuantizedNetwork net = model.network();
  const uint16_t inputs = quant::quantized_inputs(net);
  const uint16_t outputs = quant::quantized_outputs(net);
  std::vector<int16_t> in(inputs), out(outputs);  // one row's codes, reused for every row
  std::vector<int16_t> scratch(quant::quantized_scratch_codes(net));
  std::vector<float> y;
  y.reserve(rows * outputs);
  for (size_t r = 0; r < rows; ++r) {
    quantize_row(net.input, x + r * inputs, in);
    const Status status = quant::quantized_forward(net, in.data(), inputs, out.data(), outputs, scratch.data(), scratch.size());
    if (status != Status::ok) throw Error(std::string("quantized forward pass failed: ") + status_message(status));
    for (uint16_t j = 0; j < outputs; ++j) y.push_back(quant::dequantize_value(out[j], net.output));
  }
  return y;
}

}  // namespace anne::host
