// Layers and the Sequential forward pass: hand-computed small cases, every status code, buffers.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "anne/models/paper_networks.hpp"
#include "anne/network.hpp"

namespace {

using anne::Activation;
using anne::Layer;
using anne::LayerKind;
using anne::Network;
using anne::Status;

Layer dense(uint16_t inputs, uint16_t units, const float* w, const float* b, Activation act = Activation::linear) {
  Layer layer;
  layer.kind = LayerKind::dense;
  layer.inputs = inputs;
  layer.units = units;
  layer.weights = w;
  layer.bias = b;
  layer.activation = anne::default_spec(act);
  return layer;
}

TEST(Dense, ComputesWeightedSumPlusBiasThenActivation) {
  // W is [units][inputs]: unit 0 = (1, 2, 3), unit 1 = (-1, 0, 1).
  const float w[6] = {1, 2, 3, -1, 0, 1};
  const float b[2] = {0.5f, -4};
  const float x[3] = {1, 1, 2};
  const Layer layer = dense(3, 2, w, b, Activation::relu);
  float y[2];
  anne::layer_forward(layer, x, y);
  EXPECT_FLOAT_EQ(y[0], 1 + 2 + 6 + 0.5f);
  EXPECT_FLOAT_EQ(y[1], 0.0f);  // -1 + 2 - 4 = -3 -> relu 0
}

TEST(Dense, WithoutBias) {
  const float w[2] = {2, 3};
  const float x[2] = {1, -1};
  float y;
  anne::layer_forward(dense(2, 1, w, nullptr), x, &y);
  EXPECT_FLOAT_EQ(y, -1.0f);
}

TEST(Elementwise, ScalesShiftsAndActivates) {
  const float scale[3] = {2, -1, 0.5f};
  const float shift[3] = {1, 1, -1};
  Layer layer;
  layer.kind = LayerKind::elementwise;
  layer.inputs = layer.units = 3;
  layer.weights = scale;
  layer.bias = shift;
  layer.activation = anne::default_spec(Activation::relu);
  const float x[3] = {1, 3, 4};
  float y[3];
  anne::layer_forward(layer, x, y);
  EXPECT_FLOAT_EQ(y[0], 3.0f);
  EXPECT_FLOAT_EQ(y[1], 0.0f);
  EXPECT_FLOAT_EQ(y[2], 1.0f);
  layer.weights = nullptr;  // a bare activation layer
  layer.bias = nullptr;
  const float z[3] = {-1, 2, -3};
  anne::layer_forward(layer, z, y);
  EXPECT_FLOAT_EQ(y[0], 0.0f);
  EXPECT_FLOAT_EQ(y[1], 2.0f);
}

TEST(Network, ForwardChainsLayersThroughScratch) {
  const float w1[4] = {1, 0, 0, 1};  // identity 2 -> 2
  const float b1[2] = {1, -1};
  const float w2[2] = {1, 1};
  const Layer layers[2] = {dense(2, 2, w1, b1, Activation::relu), dense(2, 1, w2, nullptr, Activation::sigmoid)};
  const Network net{layers, 2};
  const float x[2] = {0.5f, 0.25f};
  float y;
  float scratch[4];
  ASSERT_EQ(anne::forward_scratch_floats(net), 4u);
  ASSERT_EQ(anne::forward(net, x, 2, &y, 1, scratch, 4), Status::ok);
  EXPECT_NEAR(y, 1.0 / (1.0 + std::exp(-1.5)), 1e-7);  // relu(1.5, -0.75) = (1.5, 0)
}

TEST(Network, StatusCodesInsteadOfCrashes) {
  const float w[4] = {1, 2, 3, 4};
  const float x[2] = {1, 1};
  float y[2];
  float scratch[8];
  Layer layers[2] = {dense(2, 2, w, nullptr), dense(2, 2, w, nullptr)};
  Network net{layers, 2};
  EXPECT_EQ(anne::forward(net, x, 3, y, 2, scratch, 8), Status::shape_mismatch);
  EXPECT_EQ(anne::forward(net, x, 2, y, 1, scratch, 8), Status::shape_mismatch);
  EXPECT_EQ(anne::forward(net, x, 2, y, 2, scratch, 3), Status::buffer_too_small);
  EXPECT_EQ(anne::forward(net, x, 2, y, 2, nullptr, 0), Status::buffer_too_small);
  EXPECT_EQ(anne::forward(net, nullptr, 2, y, 2, scratch, 8), Status::invalid_argument);
  EXPECT_EQ(anne::forward(Network{}, x, 2, y, 2, scratch, 8), Status::invalid_argument);

  uint16_t bad = 99;
  layers[1].inputs = 3;  // does not chain: layer 0 has 2 units
  EXPECT_EQ(anne::validate_network(net, &bad), Status::shape_mismatch);
  EXPECT_EQ(bad, 1);
  layers[1].inputs = 2;
  layers[1].activation.kind = static_cast<Activation>(250);
  EXPECT_EQ(anne::validate_network(net, &bad), Status::unknown_activation);
  layers[1].activation.kind = Activation::prelu;  // PReLU without slopes
  EXPECT_EQ(anne::validate_network(net, &bad), Status::invalid_argument);
  layers[1].activation.kind = Activation::linear;
  layers[0].kind = static_cast<LayerKind>(9);
  EXPECT_EQ(anne::validate_network(net, &bad), Status::unknown_layer_kind);
  EXPECT_EQ(bad, 0);
  layers[0].kind = LayerKind::dense;
  layers[0].weights = nullptr;
  EXPECT_EQ(anne::validate_network(net, &bad), Status::invalid_argument);
  layers[0].weights = w;
  layers[0].units = 0;
  EXPECT_EQ(anne::validate_network(net, &bad), Status::shape_mismatch);
  layers[0].units = 2;
  layers[0].kind = LayerKind::elementwise;
  layers[0].inputs = 3;  // an elementwise layer keeps its width
  EXPECT_EQ(anne::validate_network(net, &bad), Status::shape_mismatch);
}

TEST(Network, SizesKnownAtCompileTime) {
  constexpr Network net = anne::paper::paper8::kNetwork;
  static_assert(anne::forward_scratch_floats(net) == 6, "two buffers of the widest hidden layer (3)");
  static_assert(anne::network_inputs(net) == 4 && anne::network_outputs(net) == 1, "4 in, 1 out");
  // (Not static_assert: GCC's UBSan cannot evaluate pointer null checks at compile time.)
  EXPECT_EQ(anne::network_parameter_count(net), 10u + 9 + 8 + 3);  // as Keras's model.summary()
  EXPECT_EQ(anne::validate_network(net), Status::ok);
}

TEST(Network, SingleLayerNeedsNoScratch) {
  const float w[2] = {1, 1};
  const Layer layer = dense(2, 1, w, nullptr);
  const Network net{&layer, 1};
  const float x[2] = {2, 3};
  float y;
  EXPECT_EQ(anne::forward_scratch_floats(net), 0u);
  ASSERT_EQ(anne::forward(net, x, 2, &y, 1, nullptr, 0), Status::ok);
  EXPECT_FLOAT_EQ(y, 5.0f);
}

TEST(Status, EveryCodeHasAMessage) {
  for (int s = 0; s <= static_cast<int>(Status::bad_layout); ++s) {
    EXPECT_STRNE(anne::status_message(static_cast<Status>(s)), "unknown status") << s;
  }
}

}  // namespace
