// SPDX-License-Identifier: MIT
#include "anne_host/train/data.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "anne/metrics.hpp"
#include "anne/train/random.hpp"
#include "anne_host/error.hpp"

namespace anne::host {

namespace {
LabeledData rows_of(const LabeledData& data, const std::vector<uint32_t>& order, size_t begin, size_t end) {
  LabeledData part;
  part.feature_names = data.feature_names;
  part.class_names = data.class_names;
  for (size_t i = begin; i < end; ++i) {
    part.x.insert(part.x.end(), data.row(order[i]), data.row(order[i]) + data.features());
    part.y.push_back(data.y[order[i]]);
  }
  return part;
}
}  // namespace

std::pair<LabeledData, LabeledData> split_rows(const LabeledData& data, double test_fraction, uint32_t seed) {
  const size_t test = static_cast<size_t>(std::lround(static_cast<double>(data.rows()) * test_fraction));
  if (test == 0 || test >= data.rows()) {
    throw Error("--test-split " + std::to_string(test_fraction) + " of " + std::to_string(data.rows()) +
                " rows leaves " + std::to_string(test) + " test rows: both parts need at least one row");
  }
  std::vector<uint32_t> order(data.rows());
  std::iota(order.begin(), order.end(), 0u);
  train::Random random(seed, 3);
  train::shuffle(order.data(), static_cast<uint32_t>(order.size()), random);
  return {rows_of(data, order, 0, data.rows() - test), rows_of(data, order, data.rows() - test, data.rows())};
}

std::pair<LabeledData, LabeledData> stratified_split(const LabeledData& data, double test_fraction, uint32_t seed) {
  std::vector<uint32_t> train_rows, test_rows;
  train::Random random(seed, 3);
  for (size_t c = 0; c < data.class_names.size(); ++c) {
    std::vector<uint32_t> rows;
    for (uint32_t r = 0; r < data.rows(); ++r) {
      if (data.y[r] == c) rows.push_back(r);
    }
    train::shuffle(rows.data(), static_cast<uint32_t>(rows.size()), random);
    const size_t test = static_cast<size_t>(std::lround(static_cast<double>(rows.size()) * test_fraction));
    train_rows.insert(train_rows.end(), rows.begin(), rows.end() - static_cast<std::ptrdiff_t>(test));
    test_rows.insert(test_rows.end(), rows.end() - static_cast<std::ptrdiff_t>(test), rows.end());
  }
  if (train_rows.empty() || test_rows.empty()) {
    throw Error("a stratified split of " + std::to_string(data.rows()) + " rows with test share " +
                std::to_string(test_fraction) + " leaves a part empty");
  }
  std::sort(train_rows.begin(), train_rows.end());
  std::sort(test_rows.begin(), test_rows.end());
  return {rows_of(data, train_rows, 0, train_rows.size()), rows_of(data, test_rows, 0, test_rows.size())};
}

LabeledData oversample(const LabeledData& data) {
  std::vector<size_t> count(data.class_names.size(), 0);
  for (uint16_t c : data.y) ++count.at(c);
  const size_t largest = count.empty() ? 0 : *std::max_element(count.begin(), count.end());
  std::vector<uint32_t> order;
  for (uint32_t r = 0; r < data.rows(); ++r) {
    const long copies = std::lround(static_cast<double>(largest) / static_cast<double>(count[data.y[r]]));
    order.insert(order.end(), static_cast<size_t>(copies), r);
  }
  return rows_of(data, order, 0, order.size());
}

float best_f1_threshold(const std::vector<float>& outputs, const std::vector<uint16_t>& labels) {
  std::vector<uint32_t> order(outputs.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return outputs[a] > outputs[b]; });
  const size_t positives = static_cast<size_t>(std::count(labels.begin(), labels.end(), 1));
  if (positives == 0) throw Error("choosing a threshold needs rows of class 1");
  // Sweep t down through the sorted outputs: after the rows with p above t, true positives tp and
  // predicted positives k; F1 = 2 tp / (k + positives).
  double best_f1 = -1.0;
  float best = 0.5f;
  size_t tp = 0;
  for (size_t k = 0; k < order.size(); ++k) {
    tp += labels[order[k]] == 1;
    const bool last_of_value = k + 1 == order.size() || outputs[order[k + 1]] < outputs[order[k]];
    if (!last_of_value) continue;
    const double f1 = 2.0 * static_cast<double>(tp) / static_cast<double>(k + 1 + positives);
    if (f1 > best_f1) {
      best_f1 = f1;
      const float below = k + 1 == order.size() ? 0.0f : outputs[order[k + 1]];
      best = below + (outputs[order[k]] - below) / 2.0f;
      if (!(best < outputs[order[k]])) best = below;  // adjacent floats: the midpoint rounded up
    }
  }
  return best;
}

void fit_standardization(const LabeledData& data, std::vector<float>& mean, std::vector<float>& std_dev) {
  const size_t n = data.features();
  std::vector<double> sum(n, 0.0), squares(n, 0.0);
  for (size_t r = 0; r < data.rows(); ++r) {
    for (size_t i = 0; i < n; ++i) sum[i] += data.row(r)[i];
  }
  mean.assign(n, 0.0f);
  std_dev.assign(n, 1.0f);
  const double rows = static_cast<double>(data.rows());
  for (size_t i = 0; i < n; ++i) {
    const double m = sum[i] / rows;
    for (size_t r = 0; r < data.rows(); ++r) squares[i] += (data.row(r)[i] - m) * (data.row(r)[i] - m);
    const double sd = std::sqrt(squares[i] / rows);
    mean[i] = static_cast<float>(m);
    std_dev[i] = sd > 0.0 ? static_cast<float>(sd) : 1.0f;
  }
}

std::vector<float> targets_for(train::Loss loss, const LabeledData& data, uint16_t outputs) {
  const uint16_t width = train::target_width(loss, outputs);
  std::vector<float> targets(data.rows() * width);
  for (size_t r = 0; r < data.rows(); ++r) {
    if (data.y[r] >= class_count(outputs)) {
      throw Error("row " + std::to_string(r + 1) + " has class " + std::to_string(data.y[r]) + " ('" +
                  data.class_names.at(data.y[r]) + "'), but the network's " + std::to_string(outputs) +
                  " output(s) distinguish " + std::to_string(class_count(outputs)) + " classes");
    }
    train::class_target(loss, data.y[r], outputs, targets.data() + r * width);
  }
  return targets;
}

}  // namespace anne::host
