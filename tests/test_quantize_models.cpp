// Quantized real models against their references: the Keras files in ../shared/data/keras-real
// (Keras's own outputs where they were recorded) and the TF.js fixture set (TF.js's outputs).
// Each model's bound is stated with it: the largest difference measured, rounded up.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "anne_host/csv.hpp"
#include "anne_host/error.hpp"
#include "anne_host/evaluate.hpp"
#include "anne_host/import/keras.hpp"
#include "anne/metrics.hpp"
#include "anne_host/quantize.hpp"
#include "keras_files.hpp"

namespace {

using anne_test::import;
using anne_test::read_json;
using anne_test::real;

/// Prints a measured figure, so that docs/quantization.md can quote what the test run shows.
void print_measured(const std::string& what, double value) { std::printf("measured: %s %.4f\n", what.c_str(), value); }

/// The largest |a - b| over two equally long vectors.
double largest_difference(const std::vector<float>& a, const std::vector<double>& b) {
  EXPECT_EQ(a.size(), b.size());
  double largest = 0;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) largest = std::max(largest, std::fabs(a[i] - b[i]));
  return largest;
}

TEST(QuantizedKerasModels, FlownetWithinBoundOfKerasOnAll2872Rows) {
  // 2-128relu-64leaky-32leaky-2linear, outputs in [0, 1] (min-max scaled): calibrated on every
  // other row, evaluated on all. Measured 0.107 at most (row 928): the int8 rounding of the
  // weights, not the 16-bit activations or the tables, which grows layer by layer because the
  // wide layers sum many small errors. A network that needs finer weights than per-unit int8 gives.
  const anne::host::HostModel model = import(real("flownet-keras3.9-keras/final_model.keras"));
  const anne::host::CsvTable table = anne::host::read_csv(real("flownet-keras3.9-keras/test_predictions.csv"));
  const size_t x0 = table.column("x_scaled"), x1 = table.column("y_scaled");
  const size_t y0 = table.column("out0_scaled"), y1 = table.column("out1_scaled");
  std::vector<float> x;
  std::vector<double> keras;
  for (size_t r = 0; r < table.rows.size(); ++r) {
    x.push_back(anne::host::numeric_cell(table, r, x0));
    x.push_back(anne::host::numeric_cell(table, r, x1));
    keras.push_back(std::stod(table.rows[r][y0]));
    keras.push_back(std::stod(table.rows[r][y1]));
  }
  std::vector<float> calibration;  // every other row
  for (size_t r = 0; r < table.rows.size(); r += 2) calibration.insert(calibration.end(), {x[2 * r], x[2 * r + 1]});
  const anne::host::QuantizedModel q = anne::host::quantize_model(model, calibration);
  const std::vector<float> y = anne::host::predict_quantized(q, x.data(), table.rows.size());
  const double largest = largest_difference(y, keras);
  print_measured("flownet, largest difference from Keras", largest);
  EXPECT_LT(largest, 0.12);
}

TEST(QuantizedKerasModels, ChurnWithinBoundOfKerasForEveryVersion) {
  // 12-64-32-1, relu, relu, sigmoid; calibrated on tests/fixtures/quantize/churn-calibration.csv
  // plus the recorded row. Measured 0.0008 at most (Keras 3.9's file).
  const anne::host::CsvTable rows = anne::host::read_csv(std::string(ANNE_QUANTIZE_FIXTURES) + "/churn-calibration.csv");
  for (const char* folder : {"churn-keras2.12-h5", "churn-keras3.7-h5", "churn-keras3.8-h5", "churn-keras3.9-h5"}) {
    const nlohmann::json io = read_json(real(folder) + "/io.json");
    const std::vector<float> x = io["x"][0].get<std::vector<float>>();
    std::vector<float> calibration = anne::host::feature_matrix(rows, rows.header.size());
    calibration.insert(calibration.end(), x.begin(), x.end());
    const anne::host::QuantizedModel q = anne::host::quantize_model(import(real(folder) + "/model.h5"), calibration);
    const std::vector<float> y = anne::host::predict_quantized(q, x.data(), 1);
    print_measured(std::string(folder) + ", difference from Keras", std::fabs(y[0] - io["y_keras"][0][0].get<double>()));
    EXPECT_NEAR(y[0], io["y_keras"][0][0].get<double>(), 0.001) << folder;
  }
}

TEST(QuantizedKerasModels, IrisSoftmaxKeepsEveryArgMaxAndStaysWithinBound) {
  // 4-16relu-3softmax (untrained weights: no recorded outputs; the float model is the reference)
  // on 200 pseudo-random standardized rows, calibrated on the first 100. Measured 0.0037 at most.
  const anne::host::HostModel model = import(real("iris-keras2.13-keras/iris_model.keras"));
  std::vector<float> x;
  uint32_t state = 7;
  for (int i = 0; i < 800; ++i) {
    state = 1664525u * state + 1013904223u;
    x.push_back(4.0f * static_cast<float>(state >> 8) / 16777216.0f - 2.0f);
  }
  const anne::host::QuantizedModel q = anne::host::quantize_model(model, std::vector<float>(x.begin(), x.begin() + 400));
  const std::vector<float> exact = anne::host::predict(model.network(), x.data(), 200);
  const std::vector<float> y = anne::host::predict_quantized(q, x.data(), 200);
  const double largest = largest_difference(y, std::vector<double>(exact.begin(), exact.end()));
  print_measured("iris, largest difference from the float model", largest);
  EXPECT_LT(largest, 0.005);
  for (size_t r = 0; r < 200; ++r) {
    EXPECT_EQ(anne::predicted_class(&y[3 * r], 3), anne::predicted_class(&exact[3 * r], 3)) << "row " << r;
  }
}

TEST(QuantizedKerasModels, DiabetesWithBatchNormalizationIsRefusedByName) {
  const anne::host::HostModel model = import(real("diabetes-bn-keras3.5-keras/model.keras"));
  try {
    anne::host::quantize_model(model, {0, 0, 0, 0, 1, 1, 1, 1});
    ADD_FAILURE() << "no error";
  } catch (const anne::host::Error& error) {
    EXPECT_NE(std::string(error.what()).find("layer 2: only Dense layers are quantized"), std::string::npos) << error.what();
  }
}

/// Each TF.js fixture model, calibrated on its 8 recorded input rows, against TF.js's outputs on
/// them, as a fraction of the outputs' range (max - min over the rows, at least 1): the bound per
/// model. Models with layers the quantizer does not take yet are refused with a message naming
/// the layer.
TEST(QuantizedTfjsModels, CommittedSetWithinBoundPerModel) {
  // The measured largest difference / output range, times about 1.3 (seed 1's set): the int8
  // weights' rounding dominates (about 0.4 % of each unit's largest weight).
  const std::map<std::string, double> bounds = {
      {"deep", 0.0005},          {"dense-elu", 0.0025},     {"dense-gelu", 0.008},      {"dense-hardSigmoid", 0.0035},
      {"dense-linear", 0.0039},  {"dense-mish", 0.0024},    {"dense-relu", 0.0038},     {"dense-relu6", 0.0022},
      {"dense-selu", 0.004},     {"dense-sigmoid", 0.0037}, {"dense-softmax", 0.0015},  {"dense-softplus", 0.003},
      {"dense-softsign", 0.0043}, {"dense-swish", 0.003},   {"dense-tanh", 0.0026},     {"wide", 0.0017},
      {"no-bias-activation-layers", 0.0013}, {"batchnorm-folded", 0.0015}};
  const std::map<std::string, std::string> refused = {
      {"batchnorm-after-relu", "only Dense layers are quantized"},
      {"leaky-prelu-relu6", "PReLU is not quantized yet"}};
  size_t checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(ANNE_TFJS_FIXTURES)) {
    const std::string name = entry.path().filename().string();
    const nlohmann::json io = read_json((entry.path() / "io.json").string());
    const anne::host::HostModel model = import((entry.path() / "model.json").string());
    std::vector<float> x;
    std::vector<double> expected;
    for (size_t r = 0; r < io["inputs"].size(); ++r) {
      for (float v : io["inputs"][r].get<std::vector<float>>()) x.push_back(v);
      for (double v : io["outputs"][r].get<std::vector<double>>()) expected.push_back(v);
    }
    if (refused.count(name) != 0) {
      try {
        anne::host::quantize_model(model, x);
        ADD_FAILURE() << name << ": no error";
      } catch (const anne::host::Error& error) {
        EXPECT_NE(std::string(error.what()).find(refused.at(name)), std::string::npos) << name << ": " << error.what();
      }
      ++checked;
      continue;
    }
    ASSERT_EQ(bounds.count(name), 1u) << name << " has no stated bound";
    const anne::host::QuantizedModel q = anne::host::quantize_model(model, x);
    const std::vector<float> y = anne::host::predict_quantized(q, x.data(), io["inputs"].size());
    const auto [low, high] = std::minmax_element(expected.begin(), expected.end());
    const double range = std::max(1.0, *high - *low);
    const double relative = largest_difference(y, expected) / range;
    print_measured(name + ", largest difference from TF.js in % of the output range", 100 * relative);
    EXPECT_LT(relative, bounds.at(name)) << name;
    ++checked;
  }
  EXPECT_EQ(checked, 20u);
}

}  // namespace
