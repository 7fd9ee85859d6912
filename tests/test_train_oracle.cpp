// Training steps against TensorFlow.js, a real implementation of Keras layers, losses and
// optimizers: tests/fixtures/train/tfjs_steps.json, written by tests/oracle/train_steps.mjs (committed,
// so the test needs no Node.js). Each case starts from the same weights and batch as TF.js and
// takes full-batch steps (batch size = rows, no shuffle): after one step every weight agrees within
// 1e-5 absolute plus 1e-4 relative, after ten steps within 1e-4 absolute plus 1e-4 relative.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <memory>
#include <set>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "anne/train/trainer.hpp"

namespace {

using nlohmann::json;

const json& fixture() {
  static const json document = [] {
    const std::string file = __FILE__;
    std::ifstream in(file.substr(0, file.find_last_of('/')) + "/fixtures/train/tfjs_steps.json");
    EXPECT_TRUE(in.good()) << "tests/fixtures/train/tfjs_steps.json is missing";
    return json::parse(in);
  }();
  return document;
}

/// A case's initial network in anne's layout (kernels transposed to [units][inputs]).
struct CaseNetwork {
  std::vector<std::vector<float>> storage;
  std::vector<anne::Layer> layers;

  explicit CaseNetwork(const json& c) {
    const json& initial = c["initial"];
    storage.reserve(initial.size() * 3);
    for (size_t k = 0; k < initial.size(); ++k) {
      const json& kernel = initial[k]["kernel"];
      anne::Layer layer;
      layer.inputs = static_cast<uint16_t>(kernel.size());
      layer.units = static_cast<uint16_t>(kernel[0].size());
      std::vector<float> w(static_cast<size_t>(layer.units) * layer.inputs);
      for (size_t i = 0; i < layer.inputs; ++i) {
        for (size_t j = 0; j < layer.units; ++j) w[j * layer.inputs + i] = kernel[i][j].get<float>();
      }
      layer.weights = storage.emplace_back(std::move(w)).data();
      layer.bias = storage.emplace_back(initial[k]["bias"].get<std::vector<float>>()).data();
      const std::string activation = c["activations"][k];
      const anne::ActivationInfo* info = anne::find_activation(activation.c_str());
      EXPECT_NE(info, nullptr) << activation;
      layer.activation = anne::default_spec(info->kind);
      if (initial[k].contains("alpha")) {
        layer.activation.unit_alpha = storage.emplace_back(initial[k]["alpha"].get<std::vector<float>>()).data();
      }
      layers.push_back(layer);
    }
  }
  anne::Network network() const { return {layers.data(), static_cast<uint16_t>(layers.size())}; }
};

/// The TF.js weights after some steps, flattened in the trainer's parameter order.
std::vector<float> expected_parameters(const json& snapshot) {
  std::vector<float> values;
  for (const json& layer : snapshot) {
    const json& kernel = layer["kernel"];
    for (size_t j = 0; j < kernel[0].size(); ++j) {
      for (size_t i = 0; i < kernel.size(); ++i) values.push_back(kernel[i][j].get<float>());
    }
    for (float b : layer["bias"].get<std::vector<float>>()) values.push_back(b);
    if (layer.contains("alpha")) {
      for (float a : layer["alpha"].get<std::vector<float>>()) values.push_back(a);
    }
  }
  return values;
}

anne::train::OptimizerConfig optimizer_of(const json& o) {
  const anne::train::OptimizerInfo* info = anne::train::find_optimizer(o["kind"].get<std::string>().c_str());
  EXPECT_NE(info, nullptr);
  anne::train::OptimizerConfig config = anne::train::optimizer_defaults(info->kind);
  config.learning_rate = o["lr"].get<float>();
  if (o.contains("momentum")) config.momentum = o["momentum"].get<float>();
  if (o.contains("epsilon")) config.epsilon = o["epsilon"].get<float>();
  return config;
}

struct Progress {
  const anne::train::Trainer* trainer;
  std::vector<float> losses;
  std::vector<float> after_one;
};

bool record(const anne::train::EpochReport& report, void* user) {
  Progress& progress = *static_cast<Progress*>(user);
  progress.losses.push_back(report.loss);
  if (report.epoch == 1) {
    progress.after_one.assign(progress.trainer->parameters(),
                              progress.trainer->parameters() + progress.trainer->parameter_count());
  }
  return true;
}

void expect_weights(const std::vector<float>& got, const std::vector<float>& expected, double absolute,
                    const std::string& what) {
  ASSERT_EQ(got.size(), expected.size()) << what;
  for (size_t p = 0; p < got.size(); ++p) {
    EXPECT_NEAR(got[p], expected[p], absolute + 1e-4 * std::fabs(expected[p])) << what << ", parameter " << p;
  }
}

class TfjsSteps : public ::testing::TestWithParam<size_t> {};

TEST_P(TfjsSteps, OneAndTenFullBatchStepsMatchTensorFlowJs) {
  const json& c = fixture()["cases"][GetParam()];
  SCOPED_TRACE(c["name"].get<std::string>());
  const CaseNetwork net(c);
  ASSERT_EQ(anne::validate_network(net.network()), anne::Status::ok);
  const anne::train::LossInfo* loss = anne::train::find_loss(c["loss"].get<std::string>().c_str());
  ASSERT_NE(loss, nullptr);
  std::vector<float> x, t;
  for (const json& row : c["x"]) for (float v : row.get<std::vector<float>>()) x.push_back(v);
  for (const json& row : c["y"]) for (float v : row.get<std::vector<float>>()) t.push_back(v);
  const uint32_t rows = static_cast<uint32_t>(c["x"].size());

  anne::train::TrainConfig config;
  config.loss = loss->kind;
  config.optimizer = optimizer_of(c["optimizer"]);
  config.batch_size = rows;
  config.epochs = 10;
  config.shuffle = false;
  const size_t bytes = anne::train::workspace_bytes(net.network(), config.optimizer.kind, rows);
  std::unique_ptr<unsigned char[]> memory(new unsigned char[bytes]);
  anne::train::Trainer trainer;
  ASSERT_EQ(trainer.init(net.network(), config, rows, memory.get(), bytes), anne::Status::ok);
  Progress progress{&trainer, {}, {}};
  anne::train::EpochReport last;
  ASSERT_EQ(trainer.fit({x.data(), t.data(), rows}, nullptr, &record, &progress, &last), anne::Status::ok);
  ASSERT_EQ(last.stop, anne::train::Stop::none);
  EXPECT_EQ(trainer.steps(), 10u);

  expect_weights(progress.after_one, expected_parameters(c["after"]["1"]), 1e-5, "after 1 step");
  const std::vector<float> now(trainer.parameters(), trainer.parameters() + trainer.parameter_count());
  expect_weights(now, expected_parameters(c["after"]["10"]), 1e-4, "after 10 steps");
  const std::vector<float> losses = c["losses"].get<std::vector<float>>();
  ASSERT_EQ(progress.losses.size(), losses.size());
  for (size_t s = 0; s < losses.size(); ++s) {
    EXPECT_NEAR(progress.losses[s], losses[s], 1e-5 + 1e-4 * losses[s]) << "loss of step " << s + 1;
  }
}

INSTANTIATE_TEST_SUITE_P(Fixture, TfjsSteps, ::testing::Range<size_t>(0, fixture()["cases"].size()),
                         [](const ::testing::TestParamInfo<size_t>& p) { return std::string(fixture()["cases"][p.param]["name"]); });

TEST(TfjsSteps, FixtureCoversEveryOptimizerAndLossTfjsHas) {
  std::set<std::string> optimizers, losses;
  for (const json& c : fixture()["cases"]) {
    optimizers.insert(c["optimizer"]["kind"].get<std::string>());
    losses.insert(c["loss"].get<std::string>());
  }
  EXPECT_EQ(optimizers, (std::set<std::string>{"sgd", "momentum", "nesterov", "adam"}));
  EXPECT_EQ(losses, (std::set<std::string>{"bce", "cce", "sparse_cce", "mse", "mae"}));
}

}  // namespace
