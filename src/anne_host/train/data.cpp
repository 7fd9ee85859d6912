// SPDX-License-Identifier: MIT
#include "anne_host/train/data.hpp"

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
