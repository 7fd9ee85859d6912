// The paper's two networks against Keras's own printed outputs (../shared/data/iris/paper-split.json)
// and against an independent double-precision forward pass written here.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "anne/datasets/iris_paper_split.hpp"
#include "anne/metrics.hpp"
#include "anne/models/builtin.hpp"
#include "anne_host/evaluate.hpp"
#include "anne_host/paper_split.hpp"
#include "paper_data.hpp"

namespace {

using anne_test::paper_split_json;

/// The reference: y = f(x . kernel + bias) in double, reading Keras's [inputs][units] kernels from
/// the JSON, so it shares neither code nor weight layout with the core.
std::vector<double> reference_forward(const nlohmann::json& layers, std::vector<double> x) {
  for (const auto& layer : layers) {
    const auto& kernel = layer["kernel"];
    const auto& bias = layer["bias"];
    const std::string activation = layer["activation"];
    std::vector<double> y(bias.size());
    for (size_t j = 0; j < y.size(); ++j) {
      double z = 0.0;
      for (size_t i = 0; i < x.size(); ++i) z += x[i] * kernel[i][j].get<double>();
      z += bias[j].get<double>();
      y[j] = activation == "relu" ? (z > 0 ? z : 0) : 1.0 / (1.0 + std::exp(-z));
    }
    x = y;
  }
  return x;
}

class PaperNetwork : public ::testing::TestWithParam<const char*> {};

TEST_P(PaperNetwork, ReproducesKerasPredictionsRoundedToTwoDecimals) {
  const nlohmann::json split = paper_split_json();
  const auto& expected = split["networks"][GetParam()]["keras_predict_round2"];
  anne::host::Evaluation evaluation =
      anne::host::evaluate(anne::find_builtin_model(GetParam())->network, anne::host::paper_test_set());
  ASSERT_EQ(evaluation.output_values.size(), expected.size());
  for (size_t r = 0; r < expected.size(); ++r) {
    EXPECT_NEAR(std::round(evaluation.output_values[r] * 100.0) / 100.0, expected[r].get<double>(), 1e-9) << "row " << r;
  }
}

TEST_P(PaperNetwork, AgreesWithDoublePrecisionReferenceWithin1e6) {
  const nlohmann::json split = paper_split_json();
  const auto& layers = split["networks"][GetParam()]["layers"];
  const anne::host::LabeledData test = anne::host::paper_test_set();
  anne::host::Evaluation evaluation = anne::host::evaluate(anne::find_builtin_model(GetParam())->network, test);
  for (size_t r = 0; r < test.rows(); ++r) {
    const std::vector<double> x(test.row(r), test.row(r) + 4);
    EXPECT_NEAR(evaluation.output_values[r], reference_forward(layers, x)[0], 1e-6) << "row " << r;
  }
}

TEST_P(PaperNetwork, AccuracyIsNinetyPercentWithKerasConfusionMatrix) {
  const nlohmann::json split = paper_split_json();
  anne::host::Evaluation evaluation =
      anne::host::evaluate(anne::find_builtin_model(GetParam())->network, anne::host::paper_test_set());
  const anne::ConfusionMatrix m = evaluation.matrix();
  const auto& keras_matrix = split["networks"][GetParam()]["keras_confusion_matrix_rows_actual_cols_predicted_0_1"];
  for (uint16_t a = 0; a < 2; ++a) {
    for (uint16_t p = 0; p < 2; ++p) EXPECT_EQ(m.at(a, p), keras_matrix[a][p].get<uint32_t>()) << a << "," << p;
  }
  EXPECT_EQ(m.at(0, 0), 8u);
  EXPECT_EQ(m.at(0, 1), 2u);
  EXPECT_EQ(m.at(1, 0), 0u);
  EXPECT_EQ(m.at(1, 1), 10u);
  EXPECT_DOUBLE_EQ(m.accuracy(), 0.9);
  EXPECT_DOUBLE_EQ(m.accuracy(), split["networks"][GetParam()]["keras_accuracy"].get<double>());
}

INSTANTIATE_TEST_SUITE_P(Paper, PaperNetwork, ::testing::Values("paper-8", "paper-6"));

TEST(PaperSplit, StandardizedRowsMatchTheNotebook) {
  const nlohmann::json split = paper_split_json();
  const anne::host::LabeledData test = anne::host::paper_test_set();
  ASSERT_EQ(test.rows(), 20u);
  for (size_t r = 0; r < test.rows(); ++r) {
    EXPECT_EQ(test.y[r], split["test_labels"][r].get<int>()) << "row " << r;
    for (size_t c = 0; c < 4; ++c) {
      EXPECT_NEAR(test.row(r)[c], split["test_inputs_standardized"][r][c].get<double>(), 1e-6) << r << "," << c;
    }
  }
  EXPECT_EQ(anne::host::paper_train_set().rows(), 80u);
}

TEST(PaperSplit, BuiltinWeightsEqualThePaperTables) {
  const nlohmann::json split = paper_split_json();
  for (const char* name : {"paper-8", "paper-6"}) {
    const anne::Network net = anne::find_builtin_model(name)->network;
    const auto& layers = split["networks"][name]["layers"];
    ASSERT_EQ(net.count, layers.size());
    for (uint16_t k = 0; k < net.count; ++k) {
      const anne::Layer& layer = net.layers[k];
      ASSERT_EQ(layer.units, layers[k]["units"].get<uint16_t>());
      EXPECT_STREQ(anne::activation_info(layer.activation.kind)->name, layers[k]["activation"].get<std::string>().c_str());
      for (uint16_t j = 0; j < layer.units; ++j) {
        EXPECT_EQ(layer.bias[j], layers[k]["bias"][j].get<float>());
        for (uint16_t i = 0; i < layer.inputs; ++i) {
          EXPECT_EQ(layer.weights[j * layer.inputs + i], layers[k]["kernel"][i][j].get<float>()) << name << k << j << i;
        }
      }
    }
  }
}

}  // namespace
