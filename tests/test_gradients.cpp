// Analytic gradients against central-difference numerical gradients computed in double precision
// from formulas written here (and in reference_activations.hpp), sharing no code with the core:
// every activation's derivative, every loss's gradient, the combined softmax + cross-entropy
// gradient, and the whole backward pass of networks with Dense, PReLU and a frozen
// BatchNormalization (an elementwise layer).
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "anne/activation.hpp"
#include "anne/train/losses.hpp"
#include "anne/train/trainer.hpp"
#include "reference_activations.hpp"

namespace {

using anne::Activation;
using anne::ActivationSpec;
using anne::train::Loss;

constexpr double kStep = 1e-5;  // central difference step: error O(h^2) ~ 1e-10 in double

void expect_gradient(double analytic, double numeric, const std::string& what) {
  EXPECT_NEAR(analytic, numeric, 2e-5 + 1e-4 * std::fabs(numeric)) << what;
}

/// Points where a piecewise activation has a kink, so no derivative: random points avoid them.
bool near_kink(double x, const ActivationSpec& spec) {
  const double kinks[] = {0.0, -3.0, 3.0, -2.5, 2.5, 6.0, spec.threshold,
                          std::isfinite(spec.max_value) ? spec.max_value : 0.0};
  for (double kink : kinks) {
    if (std::fabs(x - kink) < 1e-3) return true;
  }
  return false;
}

double reference(const std::string& name, const ActivationSpec& spec, double x) {
  return anne_test::reference_activations().at(name)(x, {spec.alpha, spec.max_value, spec.threshold});
}

void check_elementwise_derivative(const ActivationSpec& spec, std::mt19937& random) {
  const std::string name = anne::activation_info(spec.kind)->name;
  std::uniform_real_distribution<float> input(-5.0f, 8.0f);
  std::uniform_real_distribution<float> upstream(-2.0f, 2.0f);
  for (int trial = 0; trial < 200; ++trial) {
    float z = input(random);
    if (near_kink(z, spec)) continue;
    float y = 0.0f;
    float dy = upstream(random);
    float dz = 0.0f;
    ASSERT_EQ(anne::activation_forward(spec, &z, &y, 1), anne::Status::ok);
    ASSERT_EQ(anne::activation_backward(spec, &z, &y, &dy, &dz, 1), anne::Status::ok);
    const double numeric =
        dy * (reference(name, spec, z + kStep) - reference(name, spec, z - kStep)) / (2 * kStep);
    expect_gradient(dz, numeric, name + " at z = " + std::to_string(z));
  }
}

TEST(ActivationGradients, EveryElementwiseActivationMatchesTheNumericalDerivative) {
  std::mt19937 random(1);
  int checked = 0;
  for (const anne::ActivationInfo& info : anne::kActivations) {
    if (info.kind == Activation::softmax || info.kind == Activation::prelu) continue;  // vector-valued: below
    check_elementwise_derivative(anne::default_spec(info.kind), random);
    ++checked;
  }
  EXPECT_EQ(checked + 2, anne::kActivationCount);
}

TEST(ActivationGradients, ReluWithSlopeCapAndThreshold) {
  std::mt19937 random(2);
  ActivationSpec spec = anne::default_spec(Activation::relu);
  spec.alpha = 0.1f;
  spec.max_value = 4.0f;
  check_elementwise_derivative(spec, random);
  spec.threshold = 1.5f;
  spec.max_value = anne::math::kInfinity;
  check_elementwise_derivative(spec, random);
  ActivationSpec leaky = anne::default_spec(Activation::leaky_relu);
  leaky.alpha = 0.3f;
  check_elementwise_derivative(leaky, random);
  ActivationSpec elu = anne::default_spec(Activation::elu);
  elu.alpha = 0.5f;
  check_elementwise_derivative(elu, random);
}

TEST(ActivationGradients, SoftmaxJacobianProduct) {
  std::mt19937 random(3);
  std::uniform_real_distribution<float> value(-4.0f, 4.0f);
  const ActivationSpec spec = anne::default_spec(Activation::softmax);
  for (int trial = 0; trial < 50; ++trial) {
    float z[5], y[5], dy[5], dz[5];
    for (int i = 0; i < 5; ++i) z[i] = value(random), dy[i] = value(random);
    ASSERT_EQ(anne::activation_forward(spec, z, y, 5), anne::Status::ok);
    ASSERT_EQ(anne::activation_backward(spec, z, y, dy, dz, 5), anne::Status::ok);
    // d/dz_k of sum_j dy_j softmax_j(z), in double
    auto project = [&](const double* zz) {
      double m = zz[0], sum = 0.0, dot = 0.0;
      for (int j = 1; j < 5; ++j) m = std::max(m, zz[j]);
      for (int j = 0; j < 5; ++j) sum += std::exp(zz[j] - m);
      for (int j = 0; j < 5; ++j) dot += dy[j] * std::exp(zz[j] - m) / sum;
      return dot;
    };
    for (int k = 0; k < 5; ++k) {
      double plus[5], minus[5];
      for (int j = 0; j < 5; ++j) plus[j] = minus[j] = z[j];
      plus[k] += kStep;
      minus[k] -= kStep;
      expect_gradient(dz[k], (project(plus) - project(minus)) / (2 * kStep), "softmax dz " + std::to_string(k));
    }
  }
}

// ---- losses ----

/// The reference loss of one sample in double, written from Keras's definitions.
double reference_loss(Loss loss, const std::vector<double>& y, const std::vector<float>& target) {
  const double eps = 1e-7;
  const size_t n = y.size();
  double sum = 0.0;
  auto clip = [&](double p) { return std::min(std::max(p, eps), 1.0 - eps); };
  switch (loss) {
    case Loss::binary_crossentropy:
      for (size_t i = 0; i < n; ++i) sum -= target[i] * std::log(clip(y[i])) + (1 - target[i]) * std::log(1 - clip(y[i]));
      return sum / static_cast<double>(n);
    case Loss::binary_crossentropy_from_logits:
      for (size_t i = 0; i < n; ++i) {
        const double p = 1.0 / (1.0 + std::exp(-y[i]));
        sum -= target[i] * std::log(p) + (1 - target[i]) * std::log(1 - p);
      }
      return sum / static_cast<double>(n);
    case Loss::categorical_crossentropy:
    case Loss::sparse_categorical_crossentropy: {
      double total = 0.0;
      for (double v : y) total += v;
      for (size_t i = 0; i < n; ++i) {
        const double t = loss == Loss::categorical_crossentropy ? target[i] : (static_cast<size_t>(target[0]) == i ? 1 : 0);
        sum -= t * std::log(clip(y[i] / total));
      }
      return sum;
    }
    case Loss::mean_squared_error:
      for (size_t i = 0; i < n; ++i) sum += (y[i] - target[i]) * (y[i] - target[i]);
      return sum / static_cast<double>(n);
    case Loss::mean_absolute_error:
      for (size_t i = 0; i < n; ++i) sum += std::fabs(y[i] - target[i]);
      return sum / static_cast<double>(n);
  }
  return NAN;
}

struct LossCase {
  Loss loss;
  bool probabilities;  // outputs in (0, 1)
};

class LossGradient : public ::testing::TestWithParam<LossCase> {};

TEST_P(LossGradient, ValueAndGradientMatchTheDoubleReference) {
  const LossCase c = GetParam();
  std::mt19937 random(10 + static_cast<int>(c.loss));
  std::uniform_real_distribution<float> probability(0.05f, 0.95f);
  std::uniform_real_distribution<float> any(-3.0f, 3.0f);
  const uint16_t n = 4;
  for (int trial = 0; trial < 50; ++trial) {
    std::vector<float> y(n), target(anne::train::target_width(c.loss, n)), dy(n);
    for (float& v : y) v = c.probabilities ? probability(random) : any(random);
    const uint16_t cls = static_cast<uint16_t>(random() % n);
    if (c.loss == Loss::mean_squared_error || c.loss == Loss::mean_absolute_error) {
      for (float& t : target) t = any(random);
    } else if (c.loss == Loss::binary_crossentropy || c.loss == Loss::binary_crossentropy_from_logits) {
      for (float& t : target) t = static_cast<float>(random() % 2);
    } else {
      anne::train::class_target(c.loss, cls, n, target.data());
    }
    const float scale = 0.25f;
    anne::train::loss_gradient(c.loss, y.data(), target.data(), n, scale, dy.data());
    const std::vector<double> yd(y.begin(), y.end());
    EXPECT_NEAR(anne::train::loss_value(c.loss, y.data(), target.data(), n), reference_loss(c.loss, yd, target),
                1e-5 + 1e-5 * std::fabs(reference_loss(c.loss, yd, target)));
    for (uint16_t k = 0; k < n; ++k) {
      std::vector<double> plus = yd, minus = yd;
      plus[k] += kStep;
      minus[k] -= kStep;
      const double numeric = scale * (reference_loss(c.loss, plus, target) - reference_loss(c.loss, minus, target)) / (2 * kStep);
      expect_gradient(dy[k], numeric, std::string(anne::train::loss_info(c.loss)->name) + " output " + std::to_string(k));
    }
  }
}

INSTANTIATE_TEST_SUITE_P(EveryLoss, LossGradient,
                         ::testing::Values(LossCase{Loss::binary_crossentropy, true},
                                           LossCase{Loss::binary_crossentropy_from_logits, false},
                                           LossCase{Loss::categorical_crossentropy, true},
                                           LossCase{Loss::sparse_categorical_crossentropy, true},
                                           LossCase{Loss::mean_squared_error, false},
                                           LossCase{Loss::mean_absolute_error, false}),
                         [](const ::testing::TestParamInfo<LossCase>& p) { return std::string(anne::train::loss_info(p.param.loss)->name); });

TEST(LossGradient, EveryLossHasACase) { EXPECT_EQ(anne::train::kLossCount, 6); }

TEST(LossGradient, BinaryCrossEntropyClipsLikeKeras) {
  // p = 0 with t = 1: clipped to 1e-7, loss = -ln(1e-7) = 16.118..., gradient 0 (clip_by_value).
  const float y = 0.0f, t = 1.0f;
  float dy = 1.0f;
  EXPECT_NEAR(anne::train::loss_value(Loss::binary_crossentropy, &y, &t, 1), -std::log(1e-7), 1e-4);
  anne::train::loss_gradient(Loss::binary_crossentropy, &y, &t, 1, 1.0f, &dy);
  EXPECT_EQ(dy, 0.0f);
}

TEST(LossGradient, SigmoidBinaryCrossEntropyCombinedIsTheDerivativeWithRespectToTheLogits) {
  // dL/dz = (sigmoid(z) - t) / n for L = mean_i bce(t_i, sigmoid(z_i)), within the clipping range.
  std::mt19937 random(21);
  std::uniform_real_distribution<float> value(-6.0f, 6.0f);
  for (int trial = 0; trial < 30; ++trial) {
    float z[3], p[3], dz[3], target[3];
    for (int i = 0; i < 3; ++i) {
      z[i] = value(random);
      target[i] = static_cast<float>(random() % 2);
    }
    target[2] = 0.25f;  // a soft label too
    anne::activation_forward(anne::default_spec(Activation::sigmoid), z, p, 3);
    ASSERT_TRUE(anne::train::has_combined_gradient(Activation::sigmoid, Loss::binary_crossentropy));
    anne::train::cross_entropy_gradient(Loss::binary_crossentropy, p, target, 3, 0.5f, dz);
    auto loss_at = [&](const double* zz) {
      std::vector<double> q(3);
      for (int j = 0; j < 3; ++j) q[j] = 1.0 / (1.0 + std::exp(-zz[j]));
      return reference_loss(Loss::binary_crossentropy, q, std::vector<float>(target, target + 3));
    };
    for (int k = 0; k < 3; ++k) {
      double plus[3], minus[3];
      for (int j = 0; j < 3; ++j) plus[j] = minus[j] = z[j];
      plus[k] += kStep;
      minus[k] -= kStep;
      expect_gradient(dz[k], 0.5 * (loss_at(plus) - loss_at(minus)) / (2 * kStep), "sigmoid combined dz");
    }
    // The loss value: a 0/1 label computes one logarithm, with the bits of both terms in float.
    const std::vector<double> pd(p, p + 3);
    EXPECT_NEAR(anne::train::loss_value(Loss::binary_crossentropy, p, target, 3),
                reference_loss(Loss::binary_crossentropy, pd, std::vector<float>(target, target + 3)), 1e-5);
    for (int i = 0; i < 2; ++i) {
      const float q = std::min(std::max(p[i], 1e-7f), 1.0f - 1e-7f);
      const float both = -(target[i] * anne::math::log(q) + (1.0f - target[i]) * anne::math::log(1.0f - q));
      EXPECT_EQ(anne::train::loss_value(Loss::binary_crossentropy, &p[i], &target[i], 1), both);
    }
  }
  EXPECT_FALSE(anne::train::has_combined_gradient(Activation::sigmoid, Loss::categorical_crossentropy));
  EXPECT_FALSE(anne::train::has_combined_gradient(Activation::tanh, Loss::binary_crossentropy));
}

TEST(LossGradient, SoftmaxCrossEntropyCombinedEqualsTheChain) {
  std::mt19937 random(20);
  std::uniform_real_distribution<float> value(-4.0f, 4.0f);
  for (Loss loss : {Loss::categorical_crossentropy, Loss::sparse_categorical_crossentropy}) {
    for (int trial = 0; trial < 30; ++trial) {
      float z[4], p[4], dz[4], target[4];
      for (float& v : z) v = value(random);
      anne::train::class_target(loss, static_cast<uint16_t>(random() % 4), 4, target);
      anne::activation_forward(anne::default_spec(Activation::softmax), z, p, 4);
      anne::train::cross_entropy_gradient(loss, p, target, 4, 1.0f, dz);
      auto reference_at = [&](const double* zz) {
        double m = zz[0], sum = 0.0;
        for (int j = 1; j < 4; ++j) m = std::max(m, zz[j]);
        std::vector<double> q(4);
        for (int j = 0; j < 4; ++j) sum += (q[j] = std::exp(zz[j] - m));
        for (double& v : q) v /= sum;
        return reference_loss(loss, q, std::vector<float>(target, target + anne::train::target_width(loss, 4)));
      };
      for (int k = 0; k < 4; ++k) {
        double plus[4], minus[4];
        for (int j = 0; j < 4; ++j) plus[j] = minus[j] = z[j];
        plus[k] += kStep;
        minus[k] -= kStep;
        expect_gradient(dz[k], (reference_at(plus) - reference_at(minus)) / (2 * kStep), "combined dz");
      }
    }
  }
}

// ---- the whole backward pass ----

/// A network whose parameters the test owns in double, with a double forward pass written here.
struct ReferenceNet {
  std::vector<anne::Layer> layers;  // layout and activation kinds; weights are read from `values`
  std::vector<std::vector<double>> weights, bias, alpha, scale, shift;

  std::vector<double> forward(std::vector<double> x) const {
    for (size_t k = 0; k < layers.size(); ++k) {
      const anne::Layer& layer = layers[k];
      std::vector<double> z(layer.units);
      for (size_t j = 0; j < layer.units; ++j) {
        if (layer.kind == anne::LayerKind::dense) {
          double sum = bias[k].empty() ? 0.0 : bias[k][j];
          for (size_t i = 0; i < layer.inputs; ++i) sum += weights[k][j * layer.inputs + i] * x[i];
          z[j] = sum;
        } else {
          z[j] = x[j] * scale[k][j] + shift[k][j];
        }
      }
      std::vector<double> y(layer.units);
      const Activation kind = layer.activation.kind;
      if (kind == Activation::softmax) {
        double m = z[0], sum = 0.0;
        for (double v : z) m = std::max(m, v);
        for (size_t j = 0; j < z.size(); ++j) sum += (y[j] = std::exp(z[j] - m));
        for (double& v : y) v /= sum;
      } else if (kind == Activation::prelu) {
        for (size_t j = 0; j < z.size(); ++j) y[j] = z[j] > 0 ? z[j] : alpha[k][j] * z[j];
      } else {
        for (size_t j = 0; j < z.size(); ++j) y[j] = reference(anne::activation_info(kind)->name, layer.activation, z[j]);
      }
      x = y;
    }
    return x;
  }

  double batch_loss(Loss loss, const std::vector<std::vector<float>>& xs, const std::vector<std::vector<float>>& ts) const {
    double sum = 0.0;
    for (size_t s = 0; s < xs.size(); ++s) sum += reference_loss(loss, forward({xs[s].begin(), xs[s].end()}), ts[s]);
    return sum / static_cast<double>(xs.size());
  }

  /// The trainable parameters in the trainer's order: per layer weights, bias, PReLU slopes.
  std::vector<double*> parameters() {
    std::vector<double*> all;
    for (size_t k = 0; k < layers.size(); ++k) {
      for (double& v : weights[k]) all.push_back(&v);
      for (double& v : bias[k]) all.push_back(&v);
      for (double& v : alpha[k]) all.push_back(&v);
    }
    return all;
  }
};

struct LayerPlan {
  anne::LayerKind kind;
  uint16_t units;
  Activation activation;
};

/// Builds float storage + layers for anne, and the same numbers in double for the reference.
struct Fixture {
  ReferenceNet reference;
  std::vector<std::vector<float>> storage;
  std::vector<anne::Layer> layers;

  Fixture(uint16_t inputs, const std::vector<LayerPlan>& plan, std::mt19937& random) {
    std::uniform_real_distribution<float> weight(-1.0f, 1.0f);
    storage.reserve(plan.size() * 4);
    uint16_t width = inputs;
    for (const LayerPlan& p : plan) {
      anne::Layer layer;
      layer.kind = p.kind;
      layer.inputs = width;
      layer.units = p.kind == anne::LayerKind::dense ? p.units : width;
      layer.activation = anne::default_spec(p.activation);
      auto fill = [&](size_t n, float low) {
        storage.emplace_back(n);
        for (float& v : storage.back()) v = low + std::fabs(weight(random));
        return storage.back().data();
      };
      std::vector<double> w, b, a, s, c;
      if (p.kind == anne::LayerKind::dense) {
        layer.weights = fill(static_cast<size_t>(layer.units) * layer.inputs, -0.5f);
        layer.bias = fill(layer.units, -0.6f);
        w.assign(layer.weights, layer.weights + static_cast<size_t>(layer.units) * layer.inputs);
        b.assign(layer.bias, layer.bias + layer.units);
      } else {  // a BatchNormalization folded to scale and shift: frozen
        layer.weights = fill(layer.units, 0.5f);
        layer.bias = fill(layer.units, -0.5f);
        s.assign(layer.weights, layer.weights + layer.units);
        c.assign(layer.bias, layer.bias + layer.units);
      }
      if (p.activation == Activation::prelu) {
        layer.activation.unit_alpha = fill(layer.units, 0.0f);
        a.assign(layer.activation.unit_alpha, layer.activation.unit_alpha + layer.units);
      }
      layers.push_back(layer);
      reference.layers.push_back(layer);
      reference.weights.push_back(w);
      reference.bias.push_back(b);
      reference.alpha.push_back(a);
      reference.scale.push_back(s);
      reference.shift.push_back(c);
      width = layer.units;
    }
  }
};

struct NetworkCase {
  const char* name;
  Loss loss;
  std::vector<LayerPlan> plan;
};

class BackwardPass : public ::testing::TestWithParam<NetworkCase> {};

TEST_P(BackwardPass, ParameterGradientsMatchTheNumericalGradientOfTheBatchLoss) {
  const NetworkCase& c = GetParam();
  std::mt19937 random(30);
  Fixture fixture(3, c.plan, random);
  const anne::Network net{fixture.layers.data(), static_cast<uint16_t>(fixture.layers.size())};
  ASSERT_EQ(anne::validate_network(net), anne::Status::ok);
  const uint16_t outputs = anne::network_outputs(net);
  const uint16_t width = anne::train::target_width(c.loss, outputs);
  const uint32_t rows = 4;
  std::uniform_real_distribution<float> value(-1.5f, 1.5f);
  std::vector<std::vector<float>> xs(rows, std::vector<float>(3)), ts(rows, std::vector<float>(width));
  std::vector<float> x_flat, t_flat;
  for (uint32_t r = 0; r < rows; ++r) {
    for (float& v : xs[r]) v = value(random);
    if (c.loss == Loss::mean_squared_error || c.loss == Loss::mean_absolute_error) {
      for (float& v : ts[r]) v = value(random);
    } else {
      anne::train::class_target(c.loss, static_cast<uint16_t>(r % anne::class_count(outputs)), outputs, ts[r].data());
    }
    x_flat.insert(x_flat.end(), xs[r].begin(), xs[r].end());
    t_flat.insert(t_flat.end(), ts[r].begin(), ts[r].end());
  }
  anne::train::TrainConfig config;
  config.loss = c.loss;
  config.optimizer.learning_rate = 0.0f;
  std::vector<std::max_align_t> memory(anne::train::workspace_bytes(net, config.optimizer.kind, rows) / sizeof(std::max_align_t) + 1);
  anne::train::Trainer trainer;
  ASSERT_EQ(trainer.init(net, config, rows, memory.data(), memory.size() * sizeof(std::max_align_t)), anne::Status::ok);
  const uint32_t indices[rows] = {0, 1, 2, 3};
  float loss = 0.0f;
  ASSERT_EQ(trainer.step({x_flat.data(), t_flat.data(), rows}, indices, rows, &loss, nullptr), anne::train::Stop::none);
  EXPECT_NEAR(loss, fixture.reference.batch_loss(c.loss, xs, ts), 1e-5);

  std::vector<double*> parameters = fixture.reference.parameters();
  ASSERT_EQ(parameters.size(), trainer.parameter_count());
  for (size_t p = 0; p < parameters.size(); ++p) {
    const double saved = *parameters[p];
    *parameters[p] = saved + kStep;
    const double plus = fixture.reference.batch_loss(c.loss, xs, ts);
    *parameters[p] = saved - kStep;
    const double minus = fixture.reference.batch_loss(c.loss, xs, ts);
    *parameters[p] = saved;
    expect_gradient(trainer.gradients()[p], (plus - minus) / (2 * kStep), std::string(c.name) + " parameter " + std::to_string(p));
  }
}

using K = anne::LayerKind;
INSTANTIATE_TEST_SUITE_P(
    Networks, BackwardPass,
    ::testing::Values(
        NetworkCase{"bce_tanh_sigmoid", Loss::binary_crossentropy,
                    {{K::dense, 4, Activation::tanh}, {K::dense, 1, Activation::sigmoid}}},
        NetworkCase{"cce_batchnorm_prelu_softmax", Loss::categorical_crossentropy,
                    {{K::dense, 4, Activation::linear}, {K::elementwise, 0, Activation::elu},
                     {K::dense, 3, Activation::prelu}, {K::dense, 3, Activation::softmax}}},
        NetworkCase{"sparse_silu_softmax", Loss::sparse_categorical_crossentropy,
                    {{K::dense, 5, Activation::silu}, {K::dense, 3, Activation::softmax}}},
        NetworkCase{"mse_gelu_softplus_linear", Loss::mean_squared_error,
                    {{K::dense, 4, Activation::gelu}, {K::dense, 3, Activation::softplus}, {K::dense, 2, Activation::linear}}},
        NetworkCase{"mae_selu_mish_linear", Loss::mean_absolute_error,
                    {{K::dense, 4, Activation::selu}, {K::dense, 3, Activation::mish}, {K::dense, 2, Activation::linear}}},
        NetworkCase{"bce_logits_softsign_linear", Loss::binary_crossentropy_from_logits,
                    {{K::dense, 4, Activation::softsign}, {K::elementwise, 0, Activation::linear}, {K::dense, 1, Activation::linear}}},
        NetworkCase{"bce_sigmoid_output_without_softmax_cce", Loss::categorical_crossentropy,
                    {{K::dense, 4, Activation::tanh}, {K::dense, 3, Activation::sigmoid}}}),
    [](const ::testing::TestParamInfo<NetworkCase>& p) { return std::string(p.param.name); });

}  // namespace
