// The trainer's building blocks and behaviour: the portable square root and random numbers against
// their references, Glorot bounds, training the paper-6 architecture from scratch on the paper's
// split (accuracy and bit-identical repeat runs), frozen layers, dead units, the divergence guard,
// and the workspace bounds (canary bytes around the caller's buffer).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <memory>
#include <random>
#include <vector>

#include "anne/datasets/iris_paper_split.hpp"
#include "anne/models/paper_networks.hpp"
#include "anne/train/trainer.hpp"

namespace {

using anne::train::Loss;
using anne::train::Optimizer;
namespace split = anne::iris::paper_split;

TEST(TrainMath, SquareRootIsCorrectlyRounded) {
  std::mt19937 random(5);
  for (int trial = 0; trial < 1000000; ++trial) {
    const uint32_t bits = random() & 0x7fffffffu;  // every positive float, subnormals included
    const float x = anne::math::bits_float(bits);
    if (!std::isfinite(x)) continue;
    ASSERT_EQ(anne::math::float_bits(anne::math::sqrt(x)), anne::math::float_bits(std::sqrt(x))) << x;
  }
  EXPECT_EQ(anne::math::sqrt(4.0f), 2.0f);
  EXPECT_EQ(anne::math::sqrt(0.0f), 0.0f);
  EXPECT_TRUE(std::signbit(anne::math::sqrt(-0.0f)));
  EXPECT_TRUE(std::isnan(anne::math::sqrt(-1.0f)));
  EXPECT_EQ(anne::math::sqrt(anne::math::kInfinity), anne::math::kInfinity);
}

TEST(TrainRandom, Pcg32MatchesTheReferenceDemo) {
  // pcg32-demo.c from pcg-random.org: pcg32_srandom_r(&rng, 42, 54), then six outputs.
  anne::train::Random random(42, 54);
  for (uint32_t expected : {0xa15c02b7u, 0x7b47f409u, 0xba1d3330u, 0x83d2f293u, 0xbfa4784bu, 0xcbed606eu}) {
    EXPECT_EQ(random.next(), expected);
  }
}

TEST(TrainRandom, UniformAndBelowStayInRangeAndShuffleIsAPermutation) {
  anne::train::Random random(7, 1);
  for (int i = 0; i < 10000; ++i) {
    const float u = random.uniform();
    ASSERT_GE(u, 0.0f);
    ASSERT_LT(u, 1.0f);
    ASSERT_LT(random.below(7), 7u);
  }
  std::vector<uint32_t> order(50);
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  anne::train::shuffle(order.data(), 50, random);
  std::vector<uint32_t> sorted = order;
  std::sort(sorted.begin(), sorted.end());
  for (uint32_t i = 0; i < sorted.size(); ++i) EXPECT_EQ(sorted[i], i);
  EXPECT_NE(order, sorted);
}

TEST(TrainInit, GlorotUniformBoundsAndSpread) {
  anne::train::Random random(3, 1);
  std::vector<float> kernel(200 * 100);
  anne::train::glorot_uniform(kernel.data(), 200, 100, random);
  const double limit = std::sqrt(6.0 / 300.0);
  double sum = 0.0, squares = 0.0;
  for (float w : kernel) {
    ASSERT_LE(std::fabs(w), limit);
    sum += w;
    squares += static_cast<double>(w) * w;
  }
  // Uniform on [-limit, limit]: mean 0, variance limit^2 / 3 = 2 / (fan_in + fan_out).
  EXPECT_NEAR(sum / static_cast<double>(kernel.size()), 0.0, 0.005);
  EXPECT_NEAR(squares / static_cast<double>(kernel.size()), 2.0 / 300.0, 0.0002);
}

/// The paper's split as inputs and binary targets.
struct PaperData {
  std::vector<float> train_x, train_t, test_x, test_t;
  PaperData() {
    for (uint8_t p : split::kTrainPositions) add(p, train_x, train_t);
    for (uint8_t p : split::kTestPositions) add(p, test_x, test_t);
  }
  static void add(uint8_t position, std::vector<float>& x, std::vector<float>& t) {
    float row[anne::iris::kFeatures];
    split::standardized_row(position, row);
    x.insert(x.end(), row, row + anne::iris::kFeatures);
    t.push_back(split::label(position));
  }
  anne::train::Samples train() const { return {train_x.data(), train_t.data(), split::kTrainRows}; }
  anne::train::Samples test() const { return {test_x.data(), test_t.data(), split::kTestRows}; }
};

/// A workspace with canary bytes before and after it.
class GuardedMemory {
 public:
  static constexpr size_t kCanary = 64;
  explicit GuardedMemory(size_t bytes) : bytes_(bytes), block_(new unsigned char[bytes + 2 * kCanary]) {
    std::memset(block_.get(), 0xA5, bytes + 2 * kCanary);
  }
  unsigned char* data() { return block_.get() + kCanary; }  // new[] aligns to 16, so does +64
  size_t size() const { return bytes_; }
  bool canaries_intact() const {
    for (size_t i = 0; i < kCanary; ++i) {
      if (block_[i] != 0xA5 || block_[kCanary + bytes_ + i] != 0xA5) return false;
    }
    return true;
  }

 private:
  size_t bytes_;
  std::unique_ptr<unsigned char[]> block_;
};

anne::train::TrainConfig paper_config() {
  anne::train::TrainConfig config;  // the paper's self-learning setting
  config.loss = Loss::binary_crossentropy;
  config.optimizer = anne::train::optimizer_defaults(Optimizer::sgd);
  config.optimizer.learning_rate = 0.05f;
  config.epochs = 100;
  config.batch_size = 1;
  return config;
}

std::vector<float> train_paper6_from_scratch(float* test_accuracy) {
  const PaperData data;
  const anne::Network& net = anne::paper::paper6::kNetwork;  // its architecture; initialize() replaces the weights
  const anne::train::TrainConfig config = paper_config();
  GuardedMemory memory(anne::train::workspace_bytes(net, config.optimizer.kind, split::kTrainRows));
  anne::train::Trainer trainer;
  EXPECT_EQ(trainer.init(net, config, split::kTrainRows, memory.data(), memory.size()), anne::Status::ok);
  trainer.initialize(config.seed);
  const anne::train::Samples test = data.test();
  anne::train::EpochReport last;
  EXPECT_EQ(trainer.fit(data.train(), &test, nullptr, nullptr, &last), anne::Status::ok);
  EXPECT_EQ(last.stop, anne::train::Stop::none);
  EXPECT_EQ(trainer.steps(), 100u * split::kTrainRows);
  EXPECT_TRUE(memory.canaries_intact());
  *test_accuracy = last.validation_accuracy;
  return {trainer.parameters(), trainer.parameters() + trainer.parameter_count()};
}

TEST(TrainPaper6, FromGlorotReachesNinetyPercentOnThePaperTestSplitBitIdenticallyEveryRun) {
  float accuracy_a = 0.0f, accuracy_b = 0.0f;
  const std::vector<float> a = train_paper6_from_scratch(&accuracy_a);
  const std::vector<float> b = train_paper6_from_scratch(&accuracy_b);
  EXPECT_GE(accuracy_a, 0.90f);
  EXPECT_EQ(accuracy_a, accuracy_b);
  ASSERT_EQ(a.size(), b.size());
  EXPECT_EQ(std::memcmp(a.data(), b.data(), a.size() * sizeof(float)), 0) << "same seed, different weights";
}

TEST(TrainPaper6, ADifferentSeedGivesDifferentWeights) {
  const PaperData data;
  anne::train::TrainConfig config = paper_config();
  config.epochs = 1;
  std::vector<std::vector<float>> runs;
  for (uint32_t seed : {1u, 2u}) {
    config.seed = seed;
    GuardedMemory memory(anne::train::workspace_bytes(anne::paper::paper6::kNetwork, config.optimizer.kind, 80));
    anne::train::Trainer trainer;
    ASSERT_EQ(trainer.init(anne::paper::paper6::kNetwork, config, 80, memory.data(), memory.size()), anne::Status::ok);
    trainer.initialize(seed);
    ASSERT_EQ(trainer.fit(data.train(), nullptr, nullptr, nullptr, nullptr), anne::Status::ok);
    runs.emplace_back(trainer.parameters(), trainer.parameters() + trainer.parameter_count());
  }
  EXPECT_NE(runs[0], runs[1]);
}

TEST(TrainFineTune, FrozenLayersKeepTheirWeightsAndTheRestLowerTheLoss) {
  const PaperData data;
  const anne::Network& net = anne::paper::paper8::kNetwork;
  anne::train::TrainConfig config = paper_config();
  config.epochs = 20;
  config.frozen_layers = 2;
  GuardedMemory memory(anne::train::workspace_bytes(net, config.optimizer.kind, 80));
  anne::train::Trainer trainer;
  ASSERT_EQ(trainer.init(net, config, 80, memory.data(), memory.size()), anne::Status::ok);
  float before = 0.0f, after = 0.0f, accuracy = 0.0f;
  trainer.evaluate(data.train(), &before, &accuracy);
  ASSERT_EQ(trainer.fit(data.train(), nullptr, nullptr, nullptr, nullptr), anne::Status::ok);
  trainer.evaluate(data.train(), &after, &accuracy);
  EXPECT_LT(after, before);
  // Layers 1 and 2 are exactly Keras's weights still; layer 3 moved.
  const anne::Layer* layers = trainer.network().layers;
  EXPECT_EQ(std::memcmp(layers[0].weights, net.layers[0].weights, 8 * sizeof(float)), 0);
  EXPECT_EQ(std::memcmp(layers[1].bias, net.layers[1].bias, 3 * sizeof(float)), 0);
  EXPECT_NE(std::memcmp(layers[2].weights, net.layers[2].weights, 6 * sizeof(float)), 0);
  EXPECT_TRUE(memory.canaries_intact());
}

TEST(TrainObservability, DeadReluShareAndGradientNorms) {
  // Layer 1: unit 0 always active (bias +100), unit 1 always dead (bias -100), so half dead.
  const float w1[2 * 2] = {0.1f, 0.1f, 0.1f, 0.1f};
  const float b1[2] = {100.0f, -100.0f};
  const float w2[2] = {0.01f, 0.5f};
  const float b2[1] = {-1.0f};
  anne::Layer layers[2];
  layers[0] = {anne::LayerKind::dense, 2, 2, w1, b1, anne::default_spec(anne::Activation::relu)};
  layers[1] = {anne::LayerKind::dense, 2, 1, w2, b2, anne::default_spec(anne::Activation::sigmoid)};
  const anne::Network net{layers, 2};
  const float x[4 * 2] = {1, 2, -1, 0.5f, 0, 0, 2, -2};
  const float t[4] = {1, 0, 1, 0};
  anne::train::TrainConfig config;
  config.batch_size = 4;
  config.optimizer.learning_rate = 1e-3f;
  GuardedMemory memory(anne::train::workspace_bytes(net, config.optimizer.kind, 4));
  anne::train::Trainer trainer;
  ASSERT_EQ(trainer.init(net, config, 4, memory.data(), memory.size()), anne::Status::ok);
  anne::train::EpochReport report;
  ASSERT_EQ(trainer.fit({x, t, 4}, nullptr, nullptr, nullptr, &report), anne::Status::ok);
  EXPECT_EQ(report.dead_fraction[0], 0.5f);
  EXPECT_EQ(report.dead_fraction[1], 0.0f);
  // One batch per epoch: the reported norm is that batch's ||dL/dparams|| of each layer; the dead
  // unit's weights get no gradient, the live one does.
  const float* g = trainer.gradients();
  const double layer1 = std::sqrt(g[0] * g[0] + g[1] * g[1] + g[4] * g[4]);
  EXPECT_EQ(g[2], 0.0f);
  EXPECT_EQ(g[3], 0.0f);
  EXPECT_EQ(g[5], 0.0f);
  EXPECT_NEAR(report.gradient_norms[0], layer1, 1e-6);
  EXPECT_GT(report.gradient_norms[1], 0.0f);
}

TEST(TrainObservability, StatisticsOffTrainsTheSameWeightsAndReportsNoStatistics) {
  // The statistics only watch: turning them off must not change a single bit of the training.
  const PaperData data;
  const anne::Network& net = anne::paper::paper8::kNetwork;
  std::vector<std::vector<float>> weights;
  std::vector<anne::train::EpochReport> reports;
  std::vector<float> norms;  // the report points into the workspace: copied while it lives
  for (bool statistics : {true, false}) {
    anne::train::TrainConfig config = paper_config();
    config.epochs = 3;
    config.batch_size = 7;
    config.statistics = statistics;
    GuardedMemory memory(anne::train::workspace_bytes(net, config.optimizer.kind, 80));
    anne::train::Trainer trainer;
    ASSERT_EQ(trainer.init(net, config, 80, memory.data(), memory.size()), anne::Status::ok);
    anne::train::EpochReport report;
    ASSERT_EQ(trainer.fit(data.train(), nullptr, nullptr, nullptr, &report), anne::Status::ok);
    weights.emplace_back(trainer.parameters(), trainer.parameters() + trainer.parameter_count());
    reports.push_back(report);
    if (report.gradient_norms != nullptr) norms.assign(report.gradient_norms, report.gradient_norms + report.layers);
  }
  EXPECT_EQ(weights[0], weights[1]);
  EXPECT_EQ(reports[0].loss, reports[1].loss);
  EXPECT_EQ(reports[0].accuracy, reports[1].accuracy);
  ASSERT_EQ(norms.size(), 4u);
  for (float norm : norms) EXPECT_GT(norm, 0.0f);
  EXPECT_EQ(reports[1].gradient_norms, nullptr);
  EXPECT_EQ(reports[1].dead_fraction, nullptr);
}

TEST(TrainDivergence, AllFiniteFindsEveryKindOfNonFiniteValue) {
  std::vector<float> values = {1.0f, -0.0f, 3e38f, -1e-45f, 0.5f};
  EXPECT_TRUE(anne::train::all_finite(values.data(), values.size()));
  for (float bad : {anne::math::kInfinity, -anne::math::kInfinity, anne::math::kNaN, -anne::math::kNaN}) {
    for (size_t at = 0; at < values.size(); ++at) {
      std::vector<float> with_bad = values;
      with_bad[at] = bad;
      EXPECT_FALSE(anne::train::all_finite(with_bad.data(), with_bad.size())) << bad << " at " << at;
    }
  }
}

TEST(TrainDivergence, AnUpdateToInfiniteWeightsIsNotKept) {
  // A finite loss and gradient, but an infinite learning rate, so p - lr g is not finite: the
  // step stops with weights_not_finite, the weights stay those the update started from, and the
  // rejected update does not count as a step.
  const PaperData data;
  const anne::Network& net = anne::paper::paper6::kNetwork;
  anne::train::TrainConfig config = paper_config();
  config.optimizer.learning_rate = anne::math::kInfinity;
  GuardedMemory memory(anne::train::workspace_bytes(net, config.optimizer.kind, 80));
  anne::train::Trainer trainer;
  ASSERT_EQ(trainer.init(net, config, 80, memory.data(), memory.size()), anne::Status::ok);
  const std::vector<float> before(trainer.parameters(), trainer.parameters() + trainer.parameter_count());
  const uint32_t row = 0;
  float loss = 0.0f;
  EXPECT_EQ(trainer.step(data.train(), &row, 1, &loss, nullptr), anne::train::Stop::weights_not_finite);
  EXPECT_TRUE(std::isfinite(loss));
  EXPECT_TRUE(anne::train::all_finite(trainer.gradients(), trainer.parameter_count()));
  EXPECT_EQ(std::vector<float>(trainer.parameters(), trainer.parameters() + trainer.parameter_count()), before);
  EXPECT_EQ(std::memcmp(trainer.network().layers[0].weights, net.layers[0].weights, 12 * sizeof(float)), 0);
  EXPECT_EQ(trainer.steps(), 0u);
  EXPECT_TRUE(memory.canaries_intact());
}

TEST(TrainDivergence, NanLossStopsAndKeepsTheLastGoodWeights) {
  const PaperData data;
  const anne::Network& net = anne::paper::paper6::kNetwork;
  anne::train::TrainConfig config = paper_config();
  config.epochs = 3;
  config.shuffle = false;
  std::vector<float> x = data.train_x;
  x[10 * 4 + 2] = anne::math::kNaN;  // row 10 of the first epoch is bad
  GuardedMemory memory(anne::train::workspace_bytes(net, config.optimizer.kind, 80));
  anne::train::Trainer trainer;
  ASSERT_EQ(trainer.init(net, config, 80, memory.data(), memory.size()), anne::Status::ok);
  anne::train::EpochReport report;
  ASSERT_EQ(trainer.fit({x.data(), data.train_t.data(), 80}, nullptr, nullptr, nullptr, &report), anne::Status::ok);
  EXPECT_EQ(report.stop, anne::train::Stop::loss_not_finite);
  EXPECT_EQ(report.epoch, 1);
  EXPECT_EQ(trainer.steps(), 10u);  // rows 0..9 updated, row 10 stopped it

  // The weights after the tenth update gave the NaN loss, so the guard put back the weights from
  // before that update, the last ones known to give a finite loss: those of nine clean steps.
  anne::train::TrainConfig nine = config;
  nine.epochs = 1;
  GuardedMemory clean_memory(anne::train::workspace_bytes(net, config.optimizer.kind, 9));
  anne::train::Trainer clean;
  ASSERT_EQ(clean.init(net, nine, 9, clean_memory.data(), clean_memory.size()), anne::Status::ok);
  ASSERT_EQ(clean.fit({data.train_x.data(), data.train_t.data(), 9}, nullptr, nullptr, nullptr, nullptr), anne::Status::ok);
  EXPECT_EQ(std::memcmp(trainer.parameters(), clean.parameters(), trainer.parameter_count() * sizeof(float)), 0);
  EXPECT_TRUE(memory.canaries_intact());
}

TEST(TrainDivergence, ExplodingLearningRateStopsWithFiniteWeights) {
  // Linear regression with far too high a learning rate: each step multiplies the error, until inf.
  const float w[2] = {0.0f, 0.0f};
  anne::Layer layer{anne::LayerKind::dense, 2, 1, w, nullptr, anne::default_spec(anne::Activation::linear)};
  const anne::Network net{&layer, 1};
  const float x[3 * 2] = {1, 2, -3, 1, 2, 2};
  const float t[3] = {1, -1, 2};
  anne::train::TrainConfig config;
  config.loss = Loss::mean_squared_error;
  config.optimizer.learning_rate = 100.0f;
  config.batch_size = 3;
  config.epochs = 1000;
  GuardedMemory memory(anne::train::workspace_bytes(net, config.optimizer.kind, 3));
  anne::train::Trainer trainer;
  ASSERT_EQ(trainer.init(net, config, 3, memory.data(), memory.size()), anne::Status::ok);
  anne::train::EpochReport report;
  ASSERT_EQ(trainer.fit({x, t, 3}, nullptr, nullptr, nullptr, &report), anne::Status::ok);
  EXPECT_NE(report.stop, anne::train::Stop::none);
  EXPECT_LT(report.epoch, 100);
  EXPECT_TRUE(anne::train::all_finite(trainer.parameters(), trainer.parameter_count()));
  float loss = 0.0f, accuracy = 0.0f;
  trainer.evaluate({x, t, 3}, &loss, &accuracy);
  EXPECT_TRUE(std::isfinite(loss)) << "the kept weights give a finite loss";
  EXPECT_TRUE(memory.canaries_intact());
}

TEST(TrainOptimizers, AdamFollowsKerasClosedFormWithDefaultEpsilon) {
  // Keras 3 Adam, written out in double: m += (g - m)(1 - b1); v += (g^2 - v)(1 - b2);
  // p -= lr sqrt(1 - b2^t) / (1 - b1^t) m / (sqrt(v) + eps). Gradients include tiny ones, where
  // the placement of eps matters.
  const std::vector<std::vector<float>> gradients = {{0.5f, -1e-6f, 3e-5f}, {0.4f, 2e-6f, -1e-5f}, {-0.2f, 0.0f, 1e-4f}};
  const anne::train::OptimizerConfig config = anne::train::optimizer_defaults(Optimizer::adam);
  EXPECT_EQ(config.learning_rate, 0.001f);
  float p[3] = {0.1f, -0.2f, 0.3f};
  float state[6] = {};
  double rp[3] = {0.1f, -0.2f, 0.3f}, m[3] = {}, v[3] = {};
  for (uint32_t t = 1; t <= gradients.size(); ++t) {
    anne::train::optimizer_update(config, p, gradients[t - 1].data(), state, 3, t, p);
    for (int k = 0; k < 3; ++k) {
      const double g = gradients[t - 1][k];
      m[k] += (g - m[k]) * (1 - 0.9);
      v[k] += (g * g - v[k]) * (1 - 0.999);
      rp[k] -= 0.001 * std::sqrt(1 - std::pow(0.999, t)) / (1 - std::pow(0.9, t)) * m[k] / (std::sqrt(v[k]) + 1e-7);
      EXPECT_NEAR(p[k], rp[k], 1e-7) << "step " << t << " parameter " << k;
    }
  }
}

TEST(TrainOptimizers, MomentumAndNesterovFollowKerasClosedForm) {
  for (Optimizer kind : {Optimizer::momentum, Optimizer::nesterov}) {
    anne::train::OptimizerConfig config = anne::train::optimizer_defaults(kind);
    config.learning_rate = 0.1f;
    float p = 1.0f, velocity[2] = {};  // room for Adam's m and v, though only m is used here
    double rp = 1.0, rm = 0.0;
    for (uint32_t t = 1; t <= 5; ++t) {
      const float g = 0.5f * static_cast<float>(t) - 1.0f;
      anne::train::optimizer_update(config, &p, &g, velocity, 1, t, &p);
      rm = 0.9 * rm - 0.1 * g;  // m = mu m - lr g
      rp += kind == Optimizer::nesterov ? 0.9 * rm - 0.1 * g : rm;
      EXPECT_NEAR(p, rp, 1e-6) << anne::train::optimizer_info(kind)->name << " step " << t;
    }
  }
}

// ---- memory ----

// A network known at compile time sizes a static buffer.
constexpr size_t kPaper6Sgd = anne::train::workspace_bytes(anne::paper::paper6::kNetwork, Optimizer::sgd, 80);
static_assert(kPaper6Sgd > 0, "workspace_bytes is constexpr");

TEST(TrainMemory, WorkspaceSizeForSeveralNetworksAndTheTrainerStaysInsideIt) {
  // paper-6: 26 parameters (4*3+3 + 3*2+2 + 2+1), 6 units, widest 4, 3 layers, 80 rows.
  const size_t floats = 3 * 26 + 2 * 6 + 2 * 4 + 3 * 3;
  EXPECT_EQ(kPaper6Sgd, 3 * sizeof(anne::Layer) + floats * sizeof(float) + 80 * sizeof(uint32_t) + 6);
  EXPECT_EQ(anne::train::workspace_bytes(anne::paper::paper6::kNetwork, Optimizer::adam, 80), kPaper6Sgd + 2 * 26 * sizeof(float));
  EXPECT_EQ(anne::train::workspace_bytes(anne::paper::paper6::kNetwork, Optimizer::momentum, 80), kPaper6Sgd + 26 * sizeof(float));

  // A third shape: a Dense layer without a bias and with PReLU, wider than the input, then a frozen
  // BatchNormalization (elementwise, relu) and a sigmoid output.
  static const float w1[6 * 4] = {0.3f, -0.2f, 0.5f, 0.1f, -0.4f, 0.2f, 0.1f, 0.3f, 0.2f, 0.2f, -0.1f, -0.3f,
                                  0.4f, 0.1f, -0.2f, 0.3f, -0.3f, 0.4f, 0.1f, -0.2f, 0.2f, -0.1f, 0.3f, 0.4f};
  static const float slopes[6] = {0.1f, 0.2f, 0.25f, 0.1f, 0.3f, 0.05f};
  static const float scale[6] = {1.1f, 0.9f, 1.2f, 0.8f, 1.0f, 1.3f};
  static const float shift[6] = {0.1f, -0.1f, 0.05f, 0.0f, 0.2f, -0.2f};
  static const float w3[6] = {0.5f, -0.4f, 0.3f, 0.2f, -0.6f, 0.1f};
  static const float b3[1] = {0.0f};
  anne::ActivationSpec prelu = anne::default_spec(anne::Activation::prelu);
  prelu.unit_alpha = slopes;
  const anne::Layer mixed[3] = {
      {anne::LayerKind::dense, 4, 6, w1, nullptr, prelu},
      {anne::LayerKind::elementwise, 6, 6, scale, shift, anne::default_spec(anne::Activation::relu)},
      {anne::LayerKind::dense, 6, 1, w3, b3, anne::default_spec(anne::Activation::sigmoid)}};
  // 24 weights, no bias but room for one (6), 6 slopes; 13 units; widest 6.
  EXPECT_EQ(anne::train::workspace_bytes(anne::Network{mixed, 3}, Optimizer::sgd, 80),
            3 * sizeof(anne::Layer) + (3 * (24 + 6 + 6 + 7) + 2 * 13 + 2 * 6 + 3 * 3) * sizeof(float) +
                80 * sizeof(uint32_t) + 13);

  const PaperData data;
  const anne::Network networks[] = {anne::paper::paper6::kNetwork, anne::paper::paper8::kNetwork, {mixed, 3}};
  for (const anne::Network& net : networks) {
    for (Optimizer optimizer : {Optimizer::sgd, Optimizer::momentum, Optimizer::nesterov, Optimizer::adam}) {
      anne::train::TrainConfig config = paper_config();
      config.optimizer = anne::train::optimizer_defaults(optimizer);
      config.epochs = 3;
      config.batch_size = 7;
      const size_t bytes = anne::train::workspace_bytes(net, optimizer, 80);
      anne::train::Trainer trainer;
      GuardedMemory short_memory(bytes - 1);
      EXPECT_EQ(trainer.init(net, config, 80, short_memory.data(), short_memory.size()), anne::Status::buffer_too_small);
      GuardedMemory memory(bytes);
      ASSERT_EQ(trainer.init(net, config, 80, memory.data(), memory.size()), anne::Status::ok);
      trainer.initialize(9);
      const anne::train::Samples test = data.test();
      ASSERT_EQ(trainer.fit(data.train(), &test, nullptr, nullptr, nullptr), anne::Status::ok);
      EXPECT_TRUE(memory.canaries_intact()) << anne::train::optimizer_info(optimizer)->name;
      EXPECT_EQ(trainer.fit({data.train_x.data(), data.train_t.data(), 81}, nullptr, nullptr, nullptr, nullptr),
                anne::Status::buffer_too_small);
    }
  }
}

TEST(TrainMemory, RejectsMisalignedMemoryAndBadConfigs) {
  const anne::Network& net = anne::paper::paper6::kNetwork;
  anne::train::TrainConfig config;
  GuardedMemory memory(anne::train::workspace_bytes(net, config.optimizer.kind, 10) + 8);
  anne::train::Trainer trainer;
  EXPECT_EQ(trainer.init(net, config, 10, memory.data() + 1, memory.size() - 1), anne::Status::invalid_argument);
  config.batch_size = 0;
  EXPECT_EQ(trainer.init(net, config, 10, memory.data(), memory.size()), anne::Status::invalid_argument);
  config.batch_size = 1;
  config.frozen_layers = 3;  // every layer frozen: nothing to train
  EXPECT_EQ(trainer.init(net, config, 10, memory.data(), memory.size()), anne::Status::invalid_argument);
}

}  // namespace
