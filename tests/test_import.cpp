// Keras import against Keras's own outputs (../shared/data/keras-real/*/io.json, flownet's 2872
// rows), BatchNormalization folding against an unfolded double-precision reference, the paper
// author's diabetes network, and the .anne round trip.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "anne/format.hpp"
#include "anne/metrics.hpp"
#include "anne_host/anne_file.hpp"
#include "anne_host/csv.hpp"
#include "anne_host/error.hpp"
#include "anne_host/evaluate.hpp"
#include "anne_host/import/hdf5.hpp"
#include "anne_host/import/keras.hpp"
#include "anne_bytes.hpp"
#include "cli_runner.hpp"
#include "keras_files.hpp"

namespace {

using anne::host::HostModel;

using anne_test::import;
using anne_test::read_json;
using anne_test::real;

/// The GUIDE's tolerance against float32 references: 1e-5 absolute plus 1e-4 relative.
void expect_close(double got, double expected, const std::string& what) {
  EXPECT_NEAR(got, expected, 1e-5 + 1e-4 * std::fabs(expected)) << what;
}

TEST(ImportKeras, ChurnModelsMatchKerasForEveryVersion) {
  for (const char* folder : {"churn-keras2.12-h5", "churn-keras3.7-h5", "churn-keras3.8-h5", "churn-keras3.9-h5"}) {
    const nlohmann::json io = read_json(real(folder) + "/io.json");
    const HostModel model = import(real(folder) + "/model.h5");
    const std::vector<float> x = io["x"][0].get<std::vector<float>>();
    const std::vector<float> y = anne::host::predict(model.network(), x.data(), 1);
    expect_close(y[0], io["y_keras"][0][0].get<double>(), folder);
  }
}

TEST(ImportKeras, FlownetMatchesKerasOnAll2872Rows) {
  const HostModel model = import(real("flownet-keras3.9-keras/final_model.keras"));
  const anne::host::CsvTable table = anne::host::read_csv(real("flownet-keras3.9-keras/test_predictions.csv"));
  ASSERT_EQ(table.rows.size(), 2872u);
  const size_t x0 = table.column("x_scaled"), x1 = table.column("y_scaled");
  const size_t y0 = table.column("out0_scaled"), y1 = table.column("out1_scaled");
  for (size_t r = 0; r < table.rows.size(); ++r) {
    const float x[2] = {anne::host::numeric_cell(table, r, x0), anne::host::numeric_cell(table, r, x1)};
    const std::vector<float> y = anne::host::predict(model.network(), x, 1);
    expect_close(y[0], std::stod(table.rows[r][y0]), "row " + std::to_string(r) + " output 0");
    expect_close(y[1], std::stod(table.rows[r][y1]), "row " + std::to_string(r) + " output 1");
  }
}

TEST(ImportKeras, H5AndKerasFilesOfOneModelImportIdentically) {
  const HostModel h5 = import(real("churn-keras3.10-pair/model.h5"));
  const HostModel zip = import(real("churn-keras3.10-pair/model.keras"));
  ASSERT_EQ(h5.layers.size(), zip.layers.size());
  for (size_t k = 0; k < h5.layers.size(); ++k) {
    const anne::Layer& a = h5.layers[k];
    const anne::Layer& b = zip.layers[k];
    ASSERT_EQ(a.inputs, b.inputs);
    ASSERT_EQ(a.units, b.units);
    EXPECT_EQ(a.activation.kind, b.activation.kind);
    EXPECT_EQ(std::memcmp(a.weights, b.weights, sizeof(float) * a.units * a.inputs), 0) << "layer " << k;
    EXPECT_EQ(std::memcmp(a.bias, b.bias, sizeof(float) * a.units), 0) << "layer " << k;
  }
}

/// A double-precision forward pass of a Keras config, reading the weights straight from the .h5
/// (weight_names) and computing every layer as Keras defines it, BatchNormalization unfolded.
std::vector<double> keras_reference(const nlohmann::json& config, const anne::host::hdf5::File& weights,
                                    const std::string& root, std::vector<double> x) {
  const nlohmann::json& layers = config["config"].is_array() ? config["config"] : config["config"]["layers"];
  for (const nlohmann::json& layer : layers) {
    const std::string cls = layer["class_name"], name = layer["config"]["name"];
    auto array = [&](const std::string& role) {
      for (const std::string& w : weights.string_list_attribute(root + name, "weight_names")) {
        if (w.find("/" + role) != std::string::npos) return weights.read(root + name + "/" + w).values;
      }
      ADD_FAILURE() << name << " has no " << role;
      return std::vector<float>();
    };
    auto activate = [](const std::string& f, double z) {
      if (f == "relu") return z > 0 ? z : 0.0;
      if (f == "sigmoid") return 1.0 / (1.0 + std::exp(-z));
      if (f == "tanh") return std::tanh(z);
      return z;  // linear (softmax is applied below)
    };
    std::string activation = cls == "Dense" || cls == "Activation" ? layer["config"].value("activation", "linear") : "linear";
    if (cls == "Dense") {
      const std::vector<float> kernel = array("kernel"), bias = array("bias");
      std::vector<double> y(bias.size());
      for (size_t j = 0; j < y.size(); ++j) {
        y[j] = bias[j];
        for (size_t i = 0; i < x.size(); ++i) y[j] += x[i] * kernel[i * y.size() + j];
      }
      x = y;
    } else if (cls == "BatchNormalization") {
      const std::vector<float> g = array("gamma"), b = array("beta"), m = array("moving_mean"), v = array("moving_variance");
      const double eps = layer["config"].value("epsilon", 0.001);
      for (size_t j = 0; j < x.size(); ++j) x[j] = g[j] * (x[j] - m[j]) / std::sqrt(v[j] + eps) + b[j];
    }
    if (activation == "softmax") {
      double top = x[0], sum = 0;
      for (double v : x) top = std::max(top, v);
      for (double& v : x) sum += (v = std::exp(v - top));
      for (double& v : x) v /= sum;
    } else {
      for (double& v : x) v = activate(activation, v);
    }
  }
  return x;
}

TEST(ImportKeras, WeightsOnlyFilesWithBatchNormalizationFoldedMatchTheUnfoldedReference) {
  std::mt19937 random(5);
  for (const char* stem : {"hls4ml-1layer/KERAS_1layer", "hls4ml-3layer/KERAS_3layer",
                           "hls4ml-3layer-batch-norm/KERAS_3layer_batch_norm",
                           "hls4ml-dense-16x100x100x100x100x100x5/KERAS_dense_16x100x100x100x100x100x5"}) {
    const std::string json_path = real(std::string(stem) + ".json"), weights_path = real(std::string(stem) + "_weights.h5");
    const HostModel model = import(json_path, weights_path);
    const anne::host::hdf5::File weights = anne::host::hdf5::File::open(weights_path);
    const nlohmann::json config = read_json(json_path);
    const uint16_t inputs = anne::network_inputs(model.network());
    for (int trial = 0; trial < 20; ++trial) {
      std::vector<float> x(inputs);
      for (float& v : x) v = std::uniform_real_distribution<float>(-2.0f, 2.0f)(random);
      const std::vector<float> y = anne::host::predict(model.network(), x.data(), 1);
      const std::vector<double> expected = keras_reference(config, weights, "/", std::vector<double>(x.begin(), x.end()));
      ASSERT_EQ(y.size(), expected.size()) << stem;
      for (size_t j = 0; j < y.size(); ++j) expect_close(y[j], expected[j], std::string(stem) + " output " + std::to_string(j));
    }
  }
}

TEST(ImportKeras, FlattenAndBatchNormAfterReluBecomeTheRightLayers) {
  const HostModel mnist = import(real("tinymaix-mnist-fc-keras2.8-h5/mnist_fc.h5"));
  ASSERT_EQ(mnist.layers.size(), 1u);  // Flatten is shape only; Activation(softmax) merged into the Dense
  EXPECT_EQ(mnist.layers[0].inputs, 784);
  EXPECT_EQ(mnist.layers[0].activation.kind, anne::Activation::softmax);
  const HostModel diabetes = import(real("diabetes-bn-keras3.5-keras/model.keras"));
  // Dense(relu) - BN - Dropout - Dense(relu) - BN - Dropout - Dense(sigmoid): a BN after a ReLU
  // cannot fold into the Dense before it, so it stays an elementwise layer.
  ASSERT_EQ(diabetes.layers.size(), 5u);
  EXPECT_EQ(diabetes.layers[1].kind, anne::LayerKind::elementwise);
  EXPECT_EQ(diabetes.layers[3].kind, anne::LayerKind::elementwise);
  const HostModel iris = import(real("iris-keras2.13-keras/iris_model.keras"));  // tf.keras 2.13: groups dense, dense_2
  ASSERT_EQ(iris.layers.size(), 2u);
  EXPECT_EQ(iris.layers[1].units, 3);
}

TEST(KiEnnaDiabetes, ReproducesKerasPrintedPredictionsAndConfusionMatrix) {
  const std::string dir = std::string(ANNE_SHARED_DIR) + "/data/ki-enna-diabetes/";
  const nlohmann::json weights = read_json(dir + "weights.json")["notebook_8_2_3_2_1"];
  const nlohmann::json test = read_json(dir + "test_data.json");
  const nlohmann::json printed = read_json(dir + "predictions.json")["keras_printed"];
  HostModel model;
  for (const nlohmann::json& layer : weights["layers"]) {
    const auto kernel = layer["kernel"].get<std::vector<std::vector<float>>>();
    const auto bias = layer["bias"].get<std::vector<float>>();
    auto block = std::make_unique<float[]>(kernel.size() * bias.size() + bias.size());
    for (size_t i = 0; i < kernel.size(); ++i) {
      for (size_t j = 0; j < bias.size(); ++j) block[j * kernel.size() + i] = kernel[i][j];
    }
    std::copy(bias.begin(), bias.end(), block.get() + kernel.size() * bias.size());
    anne::Layer dense;
    dense.inputs = static_cast<uint16_t>(kernel.size());
    dense.units = static_cast<uint16_t>(bias.size());
    dense.weights = block.get();
    dense.bias = block.get() + kernel.size() * bias.size();
    dense.activation = anne::default_spec(anne::find_activation(layer["activation"].get<std::string>().c_str())->kind);
    model.layers.push_back(dense);
    model.storage.push_back(std::move(block));
  }
  anne::host::LabeledData data;
  for (const auto& row : test["Xtest"]) {
    for (const auto& v : row) data.x.push_back(v.get<float>());
  }
  data.feature_names.assign(8, "x");
  data.y = test["ytrue"].get<std::vector<uint16_t>>();
  data.class_names = {"0", "1"};
  anne::host::Evaluation evaluation = anne::host::evaluate(model.network(), data);
  ASSERT_EQ(evaluation.output_values.size(), 39u);
  for (size_t r = 0; r < 39; ++r) {
    EXPECT_NEAR(std::round(static_cast<double>(evaluation.output_values[r]) * 100) / 100, printed["p_pred_round2"][r].get<double>(), 1e-9) << r;
  }
  const anne::ConfusionMatrix m = evaluation.matrix();
  EXPECT_EQ(m.at(0, 0), 26u);
  EXPECT_EQ(m.at(0, 1), 2u);
  EXPECT_EQ(m.at(1, 0), 2u);
  EXPECT_EQ(m.at(1, 1), 9u);
  EXPECT_EQ(m.correct(), 35u);
}

TEST(AnneFile, RoundTripIsBitIdentical) {
  const HostModel model = import(real("diabetes-bn-keras3.5-keras/model.keras"));
  const std::string dir = anne_test::temp_dir();
  anne::host::save_anne(model, dir + "/m.anne");
  const HostModel back = anne::host::read_anne_file(dir + "/m.anne");
  EXPECT_EQ(anne::host::encode_anne(back), anne::host::encode_anne(model));
  std::mt19937 random(9);
  std::vector<float> x(4 * 50);
  for (float& v : x) v = std::uniform_real_distribution<float>(-3.0f, 3.0f)(random);
  const std::vector<float> a = anne::host::predict(model.network(), x.data(), 50);
  const std::vector<float> b = anne::host::predict(back.network(), x.data(), 50);
  EXPECT_EQ(std::memcmp(a.data(), b.data(), a.size() * sizeof(float)), 0);
}

/// Reads bytes with the core reader (4-byte aligned copy); returns the status.
anne::format::FormatError read_bytes(const std::vector<uint8_t>& bytes) {
  std::vector<uint32_t> aligned(bytes.size() / 4 + 1);
  if (!bytes.empty()) std::memcpy(aligned.data(), bytes.data(), bytes.size());
  anne::Layer layers[16];
  anne::format::ModelView view;
  return anne::format::read_model(reinterpret_cast<const uint8_t*>(aligned.data()), bytes.size(), layers, 16, view);
}

using anne_test::with_field;

TEST(AnneFile, EveryFlippedByteAndEveryTruncationIsRefused) {
  const std::vector<uint8_t> bytes = anne::host::encode_anne(anne::host::load_model("paper-8"));
  ASSERT_EQ(read_bytes(bytes).status, anne::Status::ok);
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::vector<uint8_t> flipped = bytes;
    flipped[i] ^= 0x01;
    EXPECT_NE(read_bytes(flipped).status, anne::Status::ok) << "flipped byte " << i;
  }
  for (size_t cut = 0; cut < bytes.size(); ++cut) {
    const std::vector<uint8_t> truncated(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(cut));
    EXPECT_NE(read_bytes(truncated).status, anne::Status::ok) << "cut at " << cut;
  }
}

TEST(AnneFile, EachFieldIsCheckedBehindTheCrc) {
  const std::vector<uint8_t> bytes = anne::host::encode_anne(anne::host::load_model("paper-8"));
  EXPECT_EQ(read_bytes(with_field(bytes, 0, 'X', 1)).status, anne::Status::bad_magic);
  EXPECT_EQ(read_bytes(with_field(bytes, 4, 2, 2)).status, anne::Status::bad_version);
  EXPECT_EQ(read_bytes(with_field(bytes, 12, 9999, 2)).status, anne::Status::buffer_too_small);  // more layers than room
  EXPECT_EQ(read_bytes(with_field(bytes, 12, 0, 2)).status, anne::Status::bad_layout);
  EXPECT_EQ(read_bytes(with_field(bytes, 28, 0x7ffffff0, 4)).status, anne::Status::bad_layout);  // huge data size
  const size_t first_layer = anne::format::kHeaderSize;
  auto error = read_bytes(with_field(bytes, first_layer + 1, 200, 1));  // activation code out of range
  EXPECT_EQ(error.status, anne::Status::unknown_activation);
  EXPECT_EQ(error.layer, 0);
  EXPECT_EQ(error.offset, first_layer + 1);
  EXPECT_EQ(read_bytes(with_field(bytes, first_layer, 7, 1)).status, anne::Status::unknown_layer_kind);
  EXPECT_EQ(read_bytes(with_field(bytes, first_layer + 20, 0x10000000, 4)).status, anne::Status::bad_layout);  // weights beyond the data
  EXPECT_EQ(read_bytes(with_field(bytes, first_layer + 20, 2, 4)).status, anne::Status::bad_layout);  // misaligned
  error = read_bytes(with_field(bytes, first_layer + 32 + 2, 5, 2));  // layer 2 takes 5 inputs: does not chain
  EXPECT_EQ(error.status, anne::Status::shape_mismatch);
  EXPECT_EQ(error.layer, 1);
}

}  // namespace
