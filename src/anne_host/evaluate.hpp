// SPDX-License-Identifier: MIT
// Running a network over many rows, and the classification report of the result.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "anne/metrics.hpp"
#include "anne/network.hpp"
#include "anne_host/dataset.hpp"

namespace anne::host {

/// Outputs for `rows` input rows (row-major, rows * inputs floats): rows * outputs floats.
/// Throws Error with the core's status when the network is invalid.
std::vector<float> predict(const Network& net, const float* x, size_t rows);

struct Evaluation {
  uint16_t outputs = 0;
  std::vector<float> output_values;  ///< rows * outputs
  std::vector<uint16_t> actual;
  std::vector<uint16_t> predicted;
  std::vector<std::string> class_names;
  std::vector<uint32_t> counts;  ///< confusion matrix cells, see ConfusionMatrix

  ConfusionMatrix matrix() { return ConfusionMatrix(counts.data(), static_cast<uint16_t>(class_names.size())); }
};

/// Throws Error naming the data's feature columns unless there are `inputs` of them: every
/// prediction over the data's rows checks this first, as it reads rows * inputs floats.
void check_features(const LabeledData& data, uint16_t inputs);

/// Predicts every row, classifies (one output: class 1 when p > threshold; several: argmax) and
/// counts. Throws Error when the data's width or classes do not fit the network.
Evaluation evaluate(const Network& net, const LabeledData& data, float threshold = 0.5f);

/// Classifies given outputs (rows * `outputs` values, e.g. of an int8 network) against the data's
/// labels, as evaluate() does for the network's own outputs.
Evaluation evaluate_outputs(std::vector<float> output_values, uint16_t outputs, const LabeledData& data, float threshold = 0.5f);

/// {"confusion_matrix", "accuracy", "precision", "recall", "f1", "per_class": [...], "macro": {...}}.
/// For two classes precision, recall and f1 are those of class 1 (the positive class); for more,
/// the macro averages.
nlohmann::json metrics_json(Evaluation& evaluation);

/// The confusion matrix and the metrics as an aligned text block, each line indented.
std::string metrics_text(Evaluation& evaluation, const std::string& indent);

}  // namespace anne::host
