// SPDX-License-Identifier: MIT
// The paper's "neuron" made visible: for one input, every layer's every neuron with its weighted
// sum, bias, pre-activation value and output.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "anne/network.hpp"

namespace anne::host {

struct NeuronTrace {
  float weighted_sum;   ///< sum_i w_i x_i (dense) or x_j * scale_j (elementwise)
  float bias;           ///< b_j (0 when the layer has none)
  float preactivation;  ///< z_j = weighted_sum + bias
  float output;         ///< y_j = f(z)_j
};

struct LayerTrace {
  const Layer* layer;
  std::vector<float> input;
  std::vector<NeuronTrace> neurons;
};

/// Runs the network one layer at a time and records everything. Throws Error on a bad input size
/// or an invalid network.
std::vector<LayerTrace> explain(const Network& net, const std::vector<float>& input);

nlohmann::json explain_json(const std::vector<LayerTrace>& trace);
std::string explain_text(const std::vector<LayerTrace>& trace);

}  // namespace anne::host
