// Every activation against its closed form (double precision, tests/reference_activations.hpp) at
// ordinary and extreme inputs, the stability promises, NaN propagation, and the table itself.
#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "anne/activation.hpp"
#include "reference_activations.hpp"

namespace {

using anne::Activation;
using anne::ActivationSpec;

float apply_one(const ActivationSpec& spec, float x) {
  float y = 0.0f;
  EXPECT_EQ(anne::activation_forward(spec, &x, &y, 1), anne::Status::ok);
  return y;
}

ActivationSpec spec_named(const std::string& name) {
  const anne::ActivationInfo* info = anne::find_activation(name.c_str());
  EXPECT_NE(info, nullptr) << name;
  return anne::default_spec(info->kind);
}

anne_test::ReferenceParams params_of(const ActivationSpec& spec) {
  return {spec.alpha, spec.max_value, spec.threshold};
}

const std::vector<float> kOrdinaryInputs = {-20.0f, -6.0f, -3.0f, -2.5f, -1.0f, -0.5f, -1e-3f, 0.0f, 1e-3f,
                                            0.1f,   0.5f,  1.0f,  2.0f,  2.5f,  3.0f,  5.9f,  6.0f,  7.0f, 20.0f};

void expect_close(double got, double expected, const std::string& what) {
  EXPECT_NEAR(got, expected, 1e-6 + 1e-5 * std::fabs(expected)) << what;
}

TEST(Activations, EveryElementwiseActivationMatchesItsClosedForm) {
  for (const auto& [name, reference] : anne_test::reference_activations()) {
    const ActivationSpec spec = spec_named(name);
    for (float x : kOrdinaryInputs) {
      expect_close(apply_one(spec, x), reference(x, params_of(spec)), name + "(" + std::to_string(x) + ")");
    }
  }
}

TEST(Activations, TableCoversEveryReferenceAndMore) {
  // Every activation but the two vector-valued ones (softmax, prelu) has a closed-form reference.
  EXPECT_EQ(anne_test::reference_activations().size() + 2, anne::kActivationCount);
}

TEST(Activations, ReluWithKerasParameters) {
  // Keras relu(x, negative_slope, max_value, threshold) and the ReLU layer's options.
  const std::vector<anne_test::ReferenceParams> variants = {
      {0.0, INFINITY, 0.0}, {0.1, INFINITY, 0.0}, {0.0, 6.0, 0.0},  {0.2, 4.0, 0.0},
      {0.0, INFINITY, 1.5}, {0.3, INFINITY, 1.0}, {0.1, 3.0, 0.5}, {0.0, INFINITY, -1.0}};
  for (const auto& p : variants) {
    ActivationSpec spec = anne::default_spec(Activation::relu);
    spec.alpha = static_cast<float>(p.alpha);
    spec.max_value = static_cast<float>(p.max_value);
    spec.threshold = static_cast<float>(p.threshold);
    for (float x : kOrdinaryInputs) {
      expect_close(apply_one(spec, x), anne_test::ref_relu(x, p),
                   "relu slope " + std::to_string(p.alpha) + " max " + std::to_string(p.max_value) + " threshold " +
                       std::to_string(p.threshold) + " at " + std::to_string(x));
    }
  }
}

TEST(Activations, LeakyReluAndEluUseTheirAlpha) {
  // The paper's Leaky ReLU with alpha 0.01 and 0.1, and AI-ANNE's bug (falling back to ReLU) ruled out.
  for (float alpha : {0.01f, 0.1f, 0.3f}) {
    ActivationSpec spec = anne::default_spec(Activation::leaky_relu);
    spec.alpha = alpha;
    EXPECT_FLOAT_EQ(apply_one(spec, -2.0f), -2.0f * alpha);
    EXPECT_FLOAT_EQ(apply_one(spec, 3.0f), 3.0f);
  }
  EXPECT_FLOAT_EQ(apply_one(anne::default_spec(Activation::leaky_relu), -1.0f), -0.2f);  // Keras 3 default
  ActivationSpec elu = anne::default_spec(Activation::elu);
  elu.alpha = 0.5f;
  expect_close(apply_one(elu, -1.0f), 0.5 * (std::exp(-1.0) - 1.0), "elu alpha 0.5");
}

TEST(Activations, HardSigmoidFollowsTheKerasVersion) {
  EXPECT_FLOAT_EQ(apply_one(spec_named("hard_sigmoid"), 1.0f), 1.0f / 6.0f + 0.5f);         // Keras 3
  EXPECT_FLOAT_EQ(apply_one(spec_named("hard_sigmoid_keras2"), 1.0f), 0.7f);                // Keras 2, TF.js
}

TEST(Activations, StableAtExtremeFiniteInputs) {
  for (const char* name : {"sigmoid", "softplus", "elu", "tanh", "selu", "softsign", "silu", "gelu", "gelu_tanh",
                           "mish", "hard_sigmoid", "hard_silu", "relu", "leaky_relu", "relu6"}) {
    const ActivationSpec spec = spec_named(name);
    for (float x : {-FLT_MAX, -1e30f, -1000.0f, -100.0f, -FLT_MIN, FLT_MIN, 100.0f, 1000.0f, 1e30f}) {
      const float y = apply_one(spec, x);
      EXPECT_FALSE(std::isnan(y)) << name << "(" << x << ")";
      EXPECT_TRUE(std::isfinite(y)) << name << "(" << x << ") = " << y;
    }
  }
  for (const char* name : {"sigmoid", "softplus", "elu", "tanh"}) {
    EXPECT_TRUE(std::isfinite(apply_one(spec_named(name), FLT_MAX))) << name;
  }
  EXPECT_EQ(apply_one(spec_named("sigmoid"), FLT_MAX), 1.0f);
  EXPECT_EQ(apply_one(spec_named("sigmoid"), -FLT_MAX), 0.0f);
  EXPECT_EQ(apply_one(spec_named("tanh"), -FLT_MAX), -1.0f);
  EXPECT_EQ(apply_one(spec_named("softplus"), FLT_MAX), FLT_MAX);
  EXPECT_EQ(apply_one(spec_named("elu"), -FLT_MAX), -1.0f);
}

TEST(Activations, NanInGivesNanOut) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  for (const anne::ActivationInfo& info : anne::kActivations) {
    ActivationSpec spec = anne::default_spec(info.kind);
    const float alphas[3] = {0.25f, 0.25f, 0.25f};
    spec.unit_alpha = alphas;
    float z[3] = {1.0f, nan, -1.0f};
    float y[3];
    ASSERT_EQ(anne::activation_forward(spec, z, y, 3), anne::Status::ok);
    EXPECT_TRUE(std::isnan(y[1])) << info.name;
  }
}

TEST(Softmax, SumsToOneAndMatchesTheDefinition) {
  const ActivationSpec spec = anne::default_spec(Activation::softmax);
  const std::vector<std::vector<float>> cases = {
      {1.0f, 2.0f, 3.0f}, {-1.0f, 0.0f, 1.0f, 2.0f, 3.0f}, {0.0f, 0.0f}, {1000.0f, 1001.0f, 999.0f}, {5.0f}};
  for (const auto& z : cases) {
    std::vector<float> y(z.size());
    ASSERT_EQ(anne::activation_forward(spec, z.data(), y.data(), static_cast<uint16_t>(z.size())), anne::Status::ok);
    double max = z[0], sum = 0.0, total = 0.0;
    for (float v : z) max = std::max(max, static_cast<double>(v));
    for (float v : z) sum += std::exp(v - max);
    for (size_t i = 0; i < z.size(); ++i) {
      expect_close(y[i], std::exp(z[i] - max) / sum, "softmax");
      total += y[i];
    }
    EXPECT_NEAR(total, 1.0, 1e-6);
  }
}

TEST(Softmax, StableAtExtremesAndInPlace) {
  const ActivationSpec spec = anne::default_spec(Activation::softmax);
  float z[3] = {FLT_MAX, -FLT_MAX, 0.0f};
  ASSERT_EQ(anne::activation_forward(spec, z, z, 3), anne::Status::ok);
  EXPECT_EQ(z[0], 1.0f);
  EXPECT_EQ(z[1], 0.0f);
  EXPECT_EQ(z[2], 0.0f);
  float same[4] = {-FLT_MAX, -FLT_MAX, -FLT_MAX, -FLT_MAX};
  ASSERT_EQ(anne::activation_forward(spec, same, same, 4), anne::Status::ok);
  for (float v : same) EXPECT_FLOAT_EQ(v, 0.25f);
}

TEST(PRelu, UsesOneSlopePerUnit) {
  ActivationSpec spec = anne::default_spec(Activation::prelu);
  const float alphas[3] = {0.1f, 0.5f, 2.0f};
  const float z[3] = {-1.0f, -2.0f, 3.0f};
  float y[3];
  EXPECT_EQ(anne::activation_forward(spec, z, y, 3), anne::Status::invalid_argument);  // no slopes given
  spec.unit_alpha = alphas;
  ASSERT_EQ(anne::activation_forward(spec, z, y, 3), anne::Status::ok);
  EXPECT_FLOAT_EQ(y[0], -0.1f);
  EXPECT_FLOAT_EQ(y[1], -1.0f);
  EXPECT_FLOAT_EQ(y[2], 3.0f);
}

TEST(ActivationTable, NamesAliasesAndUnknownCodes) {
  EXPECT_EQ(anne::find_activation("swish")->kind, Activation::silu);
  EXPECT_EQ(anne::find_activation("hard_swish")->kind, Activation::hard_silu);
  EXPECT_EQ(anne::find_activation("no_such_activation"), nullptr);
  EXPECT_EQ(anne::find_activation(""), nullptr);
  for (const anne::ActivationInfo& info : anne::kActivations) {
    EXPECT_EQ(anne::find_activation(info.name), &info);
    EXPECT_EQ(anne::activation_info(info.kind), &info);
  }
  ActivationSpec bad;
  bad.kind = static_cast<Activation>(200);
  float x = 1.0f;
  EXPECT_EQ(anne::activation_forward(bad, &x, &x, 1), anne::Status::unknown_activation);
  EXPECT_EQ(anne::activation_backward(bad, &x, &x, &x, &x, 1), anne::Status::unknown_activation);
}

}  // namespace
