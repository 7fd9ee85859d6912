// SPDX-License-Identifier: MIT
#include "anne_host/evaluate.hpp"

#include <algorithm>
#include <cstdio>

#include "anne_host/error.hpp"

namespace anne::host {

std::vector<float> predict(const Network& net, const float* x, size_t rows) {
  uint16_t bad_layer = 0;
  const Status valid = validate_network(net, &bad_layer);
  if (valid != Status::ok) {
    throw Error("the network is not valid: " + std::string(status_message(valid)) + " at layer " +
                std::to_string(bad_layer + 1));
  }
  const uint16_t inputs = network_inputs(net);
  const uint16_t outputs = network_outputs(net);
  std::vector<float> scratch(forward_scratch_floats(net));
  std::vector<float> y(rows * outputs);
  for (size_t r = 0; r < rows; ++r) {
    const Status status = forward(net, x + r * inputs, inputs, y.data() + r * outputs, outputs, scratch.data(), scratch.size());
    if (status != Status::ok) throw Error("forward pass failed: " + std::string(status_message(status)));
  }
  return y;
}

void check_features(const LabeledData& data, uint16_t inputs) {
  if (data.features() == inputs) return;
  std::string names;
  for (const auto& name : data.feature_names) names += (names.empty() ? "" : ", ") + name;
  throw Error("the data has " + std::to_string(data.features()) + " feature columns (" + names +
              ") but the network takes " + std::to_string(inputs) + " inputs");
}

Evaluation evaluate(const Network& net, const LabeledData& data, float threshold) {
  check_features(data, network_inputs(net));
  return evaluate_outputs(predict(net, data.x.data(), data.rows()), network_outputs(net), data, threshold);
}

Evaluation evaluate_outputs(std::vector<float> output_values, uint16_t outputs, const LabeledData& data, float threshold) {
  Evaluation result;
  result.outputs = outputs;
  const uint16_t classes = class_count(outputs);
  if (data.class_names.size() > classes) {
    throw Error("the labels have " + std::to_string(data.class_names.size()) + " classes but the network tells " +
                std::to_string(classes) + " apart (use --classes to pick the labels that are classes 0, 1, ...)");
  }
  result.class_names = data.class_names;
  for (size_t k = result.class_names.size(); k < classes; ++k) result.class_names.push_back(std::to_string(k));
  result.output_values = std::move(output_values);
  result.actual = data.y;
  result.counts.assign(static_cast<size_t>(classes) * classes, 0);
  ConfusionMatrix matrix = result.matrix();
  for (size_t r = 0; r < data.rows(); ++r) {
    const uint16_t predicted = predicted_class(result.output_values.data() + r * outputs, outputs, threshold);
    result.predicted.push_back(predicted);
    matrix.add(data.y[r], predicted);
  }
  return result;
}

nlohmann::json metrics_json(Evaluation& evaluation) {
  ConfusionMatrix m = evaluation.matrix();
  nlohmann::json rows = nlohmann::json::array();
  nlohmann::json per_class = nlohmann::json::array();
  for (uint16_t a = 0; a < m.classes(); ++a) {
    nlohmann::json row = nlohmann::json::array();
    for (uint16_t p = 0; p < m.classes(); ++p) row.push_back(m.at(a, p));
    rows.push_back(row);
    per_class.push_back({{"class", a},
                         {"name", evaluation.class_names[a]},
                         {"precision", m.precision(a)},
                         {"recall", m.recall(a)},
                         {"f1", m.f1(a)},
                         {"support", m.actual_count(a)}});
  }
  const bool binary = m.classes() == 2;
  return {{"rows", m.total()},
          {"confusion_matrix", rows},
          {"accuracy", m.accuracy()},
          {"precision", binary ? m.precision(1) : m.macro_precision()},
          {"recall", binary ? m.recall(1) : m.macro_recall()},
          {"f1", binary ? m.f1(1) : m.macro_f1()},
          {"per_class", per_class},
          {"macro", {{"precision", m.macro_precision()}, {"recall", m.macro_recall()}, {"f1", m.macro_f1()}}}};
}

std::string metrics_text(Evaluation& evaluation, const std::string& indent) {
  ConfusionMatrix m = evaluation.matrix();
  size_t width = 8;
  for (const auto& name : evaluation.class_names) width = std::max(width, name.size() + 2);
  const int w = static_cast<int>(width);
  char cell[256];
  std::string text = indent + "confusion matrix (rows: actual class, columns: predicted class)\n" + indent;
  std::snprintf(cell, sizeof cell, "%*s", w, "");
  text += cell;
  for (uint16_t p = 0; p < m.classes(); ++p) {
    std::snprintf(cell, sizeof cell, "%*s", w, evaluation.class_names[p].c_str());
    text += cell;
  }
  text += "\n";
  for (uint16_t a = 0; a < m.classes(); ++a) {
    std::snprintf(cell, sizeof cell, "%*s", w, evaluation.class_names[a].c_str());
    text += indent + cell;
    for (uint16_t p = 0; p < m.classes(); ++p) {
      std::snprintf(cell, sizeof cell, "%*u", w, m.at(a, p));
      text += cell;
    }
    text += "\n";
  }
  std::snprintf(cell, sizeof cell, "%saccuracy %.4f (%u of %u)\n", indent.c_str(), m.accuracy(), m.correct(), m.total());
  text += cell;
  std::snprintf(cell, sizeof cell, "%s%*s %9s %9s %9s %8s\n", indent.c_str(), w, "class", "precision", "recall", "f1",
                "support");
  text += cell;
  for (uint16_t c = 0; c < m.classes(); ++c) {
    std::snprintf(cell, sizeof cell, "%s%*s %9.4f %9.4f %9.4f %8u\n", indent.c_str(), w, evaluation.class_names[c].c_str(),
                  m.precision(c), m.recall(c), m.f1(c), m.actual_count(c));
    text += cell;
  }
  std::snprintf(cell, sizeof cell, "%s%*s %9.4f %9.4f %9.4f %8u\n", indent.c_str(), w, "macro", m.macro_precision(),
                m.macro_recall(), m.macro_f1(), m.total());
  text += cell;
  return text;
}

}  // namespace anne::host
