// int8 inference: the 32-bit requantizer against exact wide arithmetic, the kernels against a
// double-precision evaluation of the same integer formulas (exact match), and the quantized paper
// networks against the float ones and against Keras's confusion matrix.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "anne/metrics.hpp"
#include "anne/quant/quantized_network.hpp"
#include "anne_host/error.hpp"
#include "anne_host/evaluate.hpp"
#include "anne_host/model.hpp"
#include "anne_host/paper_split.hpp"
#include "anne_host/quantize.hpp"

namespace {

using anne::quant::Requantizer;

/// floor((acc * m + 2^(shift-1)) / 2^shift) in double: exact, since |acc * m| < 2^46 < 2^53.
double reference_requantize(int32_t acc, Requantizer r) {
  const double product = static_cast<double>(acc) * r.multiplier + (r.shift > 0 ? std::ldexp(1.0, r.shift - 1) : 0.0);
  return std::floor(std::ldexp(product, -r.shift));
}

TEST(Requantize, EqualsExactArithmeticForEveryShift) {
  std::mt19937 random(7);
  for (uint8_t shift = 0; shift <= anne::quant::kMaxRequantizeShift; ++shift) {
    for (int t = 0; t < 20000; ++t) {
      const Requantizer r{static_cast<uint16_t>(16384 + random() % 16384), shift};
      int32_t acc = static_cast<int32_t>(random());
      if (t % 2 == 0) acc >>= random() % 31;  // small sums too
      const double exact = reference_requantize(acc, r);
      const int32_t got = anne::quant::requantize(acc, r);
      if (std::fabs(exact) < std::ldexp(1.0, 30)) {
        ASSERT_EQ(got, exact) << "acc " << acc << " m " << r.multiplier << " shift " << int(shift);
      } else {
        ASSERT_EQ(got, exact > 0 ? (1 << 30) : -(1 << 30)) << "saturation, shift " << int(shift);
      }
    }
  }
}

TEST(Requantize, StoredMultiplierWithinTwoToTheMinus15) {
  for (double m = 1e-9; m < 1e4; m *= 1.37) {
    Requantizer r;
    ASSERT_TRUE(anne::quant::make_requantizer(m, r)) << m;
    const double stored = std::ldexp(static_cast<double>(r.multiplier), -r.shift);
    EXPECT_NEAR(stored, m, m * std::ldexp(1.0, -15)) << m;
  }
  Requantizer r;
  EXPECT_TRUE(anne::quant::make_requantizer(1e-12, r));  // every result rounds to 0
  EXPECT_EQ(r.multiplier, 0);
  EXPECT_EQ(anne::quant::requantize(2000000000, r), 0);
  EXPECT_FALSE(anne::quant::make_requantizer(20000.0, r));
  EXPECT_FALSE(anne::quant::make_requantizer(-1.0, r));
  EXPECT_FALSE(anne::quant::make_requantizer(NAN, r));
}

/// A random int8 layer of the given output kind, its storage kept in the fixture.
struct RandomLayer {
  std::vector<int8_t> weights;
  std::vector<int32_t> bias;
  std::vector<Requantizer> requantizers;
  std::vector<int8_t> table;
  std::vector<uint16_t> exp_table;
  anne::quant::QuantizedLayer layer;

  RandomLayer(anne::quant::OutputKind kind, uint16_t inputs, uint16_t units, std::mt19937& random) {
    weights.resize(static_cast<size_t>(inputs) * units);
    for (int8_t& w : weights) w = static_cast<int8_t>(static_cast<int>(random() % 255) - 127);
    for (uint16_t j = 0; j < units; ++j) {
      bias.push_back(static_cast<int32_t>(random() % 200001) - 100000);
      anne::quant::make_requantizer(std::ldexp(1.0 + static_cast<double>(random() % 1000) / 1000.0, -(8 + static_cast<int>(random() % 6))),
                                    requantizers.emplace_back());
    }
    for (int c = 0; c < 256; ++c) table.push_back(static_cast<int8_t>(static_cast<int>(random() % 256) - 128));
    for (int d = 0; d < 256; ++d) exp_table.push_back(static_cast<uint16_t>(std::lround(32768.0 * std::exp(-0.05 * d))));
    layer.inputs = inputs;
    layer.units = units;
    layer.weights = weights.data();
    layer.bias = bias.data();
    layer.requantizers = requantizers.data();
    layer.output = kind;
    layer.zero_point = static_cast<int8_t>(static_cast<int>(random() % 21) - 10);
    layer.clamp_min = -20;
    layer.clamp_max = 100;
    layer.table = table.data();
    layer.exp_table = exp_table.data();
  }
};

TEST(QuantizedLayer, EveryOutputKindEqualsTheIntegerFormulaEvaluatedInDouble) {
  std::mt19937 random(11);
  for (auto kind : {anne::quant::OutputKind::clamp, anne::quant::OutputKind::table, anne::quant::OutputKind::softmax}) {
    for (int trial = 0; trial < 200; ++trial) {
      const uint16_t inputs = static_cast<uint16_t>(1 + random() % 40);
      const uint16_t units = static_cast<uint16_t>(1 + random() % 12);
      RandomLayer fixture(kind, inputs, units, random);
      std::vector<int8_t> x(inputs), y(units);
      for (int8_t& v : x) v = static_cast<int8_t>(static_cast<int>(random() % 256) - 128);
      anne::quant::quantized_layer_forward(fixture.layer, x.data(), y.data());

      std::vector<double> codes(units);
      for (uint16_t j = 0; j < units; ++j) {
        double acc = fixture.bias[j];
        for (uint16_t i = 0; i < inputs; ++i) acc += static_cast<double>(fixture.weights[j * inputs + i]) * x[i];
        codes[j] = reference_requantize(static_cast<int32_t>(acc), fixture.requantizers[j]) + fixture.layer.zero_point;
      }
      for (uint16_t j = 0; j < units; ++j) {
        double expected = 0;
        if (kind == anne::quant::OutputKind::clamp) {
          expected = std::clamp(codes[j], -20.0, 100.0);
        } else if (kind == anne::quant::OutputKind::table) {
          expected = fixture.table[static_cast<int>(std::clamp(codes[j], -128.0, 127.0)) + 128];
        } else {
          double top = -128, sum = 0;
          for (double c : codes) top = std::max(top, std::clamp(c, -128.0, 127.0));
          for (double c : codes) sum += fixture.exp_table[static_cast<int>(top - std::clamp(c, -128.0, 127.0))];
          const double e = fixture.exp_table[static_cast<int>(top - std::clamp(codes[j], -128.0, 127.0))];
          expected = std::clamp(std::floor((e * 256 + std::floor(sum / 2)) / sum) - 128, -128.0, 127.0);
        }
        ASSERT_EQ(y[j], expected) << "kind " << int(kind) << " trial " << trial << " unit " << j;
      }
    }
  }
}

TEST(QuantizedNetwork, StatusCodesInsteadOfCrashes) {
  std::mt19937 random(3);
  RandomLayer a(anne::quant::OutputKind::clamp, 4, 3, random);
  RandomLayer b(anne::quant::OutputKind::table, 3, 2, random);
  anne::quant::QuantizedLayer layers[2] = {a.layer, b.layer};
  const anne::quant::QuantParams params[2];
  anne::quant::QuantizedNetwork net{layers, 2, {}, params};
  int8_t x[4] = {1, 2, 3, 4}, y[2], scratch[6];
  EXPECT_EQ(anne::quant::quantized_forward(net, x, 4, y, 2, scratch, 6), anne::Status::ok);
  EXPECT_EQ(anne::quant::quantized_forward(net, x, 4, y, 2, scratch, 5), anne::Status::buffer_too_small);
  EXPECT_EQ(anne::quant::quantized_forward(net, x, 3, y, 2, scratch, 6), anne::Status::shape_mismatch);
  uint16_t bad = 9;
  layers[1].inputs = 4;
  EXPECT_EQ(anne::quant::validate_quantized_network(net, &bad), anne::Status::shape_mismatch);
  EXPECT_EQ(bad, 1);
  layers[1].inputs = 3;
  layers[1].table = nullptr;
  EXPECT_EQ(anne::quant::validate_quantized_network(net), anne::Status::invalid_argument);
  layers[1].table = b.table.data();
  layers[1].output = static_cast<anne::quant::OutputKind>(7);
  EXPECT_EQ(anne::quant::validate_quantized_network(net), anne::Status::unknown_activation);
  layers[1].output = anne::quant::OutputKind::clamp;
  layers[1].clamp_min = 5;
  layers[1].clamp_max = 4;
  EXPECT_EQ(anne::quant::validate_quantized_network(net), anne::Status::invalid_argument);
}

TEST(QuantizeValue, RoundsSaturatesAndNeverCastsOutOfRange) {
  const anne::quant::QuantParams p{0.5f, -10};
  EXPECT_EQ(anne::quant::quantize_value(1.0f, p), -8);
  EXPECT_EQ(anne::quant::quantize_value(-0.25f, p), -11);  // half away from zero
  EXPECT_EQ(anne::quant::quantize_value(1e30f, p), 127);
  EXPECT_EQ(anne::quant::quantize_value(-1e30f, p), -128);
  EXPECT_EQ(anne::quant::quantize_value(NAN, p), -10);
  EXPECT_FLOAT_EQ(anne::quant::dequantize_value(-8, p), 1.0f);
}

/// Each quantized layer, fed the int8 codes of the previous one, against the float layer fed the
/// same values dequantized: the difference stays within the error the quantization steps allow,
///   |y_int8 - f(z)| <= s_y (output rounding) + L (dz + s_z)   with
///   dz = sum_i |x_i| s_w[j] / 2 + s_x s_w[j] (weights and bias rounding), L = max |f'|,
/// where s_z is the pre-activation step (0 for a clamp layer) and s_w[j] the weight step.
void expect_layers_within_quantization_steps(const char* name, const std::vector<float>& rows) {
  const anne::host::HostModel model = anne::host::load_model(name);
  const anne::host::QuantizedModel q = anne::host::quantize_model(model, rows);
  const anne::Network net = model.network();
  for (size_t r = 0; r < rows.size() / 4; ++r) {
    std::vector<int8_t> xq(4);
    for (int i = 0; i < 4; ++i) xq[i] = anne::quant::quantize_value(rows[r * 4 + i], q.input);
    anne::quant::QuantParams in = q.input;
    for (uint16_t k = 0; k < net.count; ++k) {
      const anne::Layer& layer = net.layers[k];
      std::vector<float> x(layer.inputs), z(layer.units), y(layer.units);
      for (uint16_t i = 0; i < layer.inputs; ++i) x[i] = anne::quant::dequantize_value(xq[i], in);
      anne::layer_preactivation(layer, x.data(), z.data());
      anne::activation_forward(layer.activation, z.data(), y.data(), layer.units);
      std::vector<int8_t> yq(layer.units);
      anne::quant::quantized_layer_forward(q.layers[k], xq.data(), yq.data());
      const double lipschitz = layer.activation.kind == anne::Activation::sigmoid ? 0.25 : 1.0;
      const double z_step = q.layers[k].output == anne::quant::OutputKind::clamp ? 0.0 : q.preactivations[k].scale;
      for (uint16_t j = 0; j < layer.units; ++j) {
        double largest = 0, sum_abs = 0;
        for (uint16_t i = 0; i < layer.inputs; ++i) {
          largest = std::max(largest, std::fabs(double(layer.weights[j * layer.inputs + i])));
          sum_abs += std::fabs(x[i]);
        }
        const double w_step = largest / 127;
        const double dz = sum_abs * w_step / 2 + in.scale * w_step;
        const double bound = q.outputs[k].scale + lipschitz * (dz + z_step);
        EXPECT_NEAR(anne::quant::dequantize_value(yq[j], q.outputs[k]), y[j], bound)
            << name << " row " << r << " layer " << k + 1 << " unit " << j + 1;
      }
      xq = yq;
      in = q.outputs[k];
    }
  }
}

TEST(QuantizedPaperNetworks, EveryLayerWithinItsQuantizationSteps) {
  const std::vector<float> train = anne::host::paper_train_set().x;
  const std::vector<float> test = anne::host::paper_test_set().x;
  for (const char* name : {"paper-8", "paper-6"}) {
    expect_layers_within_quantization_steps(name, train);
    expect_layers_within_quantization_steps(name, test);
  }
}

TEST(QuantizedPaperNetworks, KeepAccuracyAndConfusionMatrixOnThePaperSplit) {
  // Calibrated on the 80 training rows only; evaluated on the 20 test rows.
  const anne::host::LabeledData test = anne::host::paper_test_set();
  for (const char* name : {"paper-8", "paper-6"}) {
    const anne::host::QuantizedModel q = anne::host::quantize_model(anne::host::load_model(name), anne::host::paper_train_set().x);
    const std::vector<float> p = anne::host::predict_quantized(q, test.x.data(), test.rows());
    uint32_t counts[4] = {};
    anne::ConfusionMatrix m(counts, 2);
    for (size_t r = 0; r < test.rows(); ++r) m.add(test.y[r], anne::predicted_class(&p[r], 1));
    EXPECT_EQ(m.at(0, 0), 8u) << name;
    EXPECT_EQ(m.at(0, 1), 2u) << name;
    EXPECT_EQ(m.at(1, 0), 0u) << name;
    EXPECT_EQ(m.at(1, 1), 10u) << name;
    EXPECT_DOUBLE_EQ(m.accuracy(), 0.9) << name;
    // The whole int8 network against the float one on these rows: measured 0.019 (paper-8) and
    // 0.0034 (paper-6) at most; the bound leaves room for one more output step of 1/256.
    const double bound = std::string(name) == "paper-8" ? 0.025 : 0.008;
    const std::vector<float> exact = anne::host::predict(anne::host::load_model(name).network(), test.x.data(), test.rows());
    for (size_t r = 0; r < test.rows(); ++r) EXPECT_NEAR(p[r], exact[r], bound) << name << " row " << r;
  }
}

TEST(Quantize, RefusesWhatItCannotQuantize) {
  const anne::host::HostModel model = anne::host::load_model("paper-8");
  EXPECT_THROW(anne::host::quantize_model(model, {}), anne::host::Error);
  EXPECT_THROW(anne::host::quantize_model(model, {1, 2, 3}), anne::host::Error);
  EXPECT_THROW(anne::host::quantize_model(model, {1, 2, NAN, 4}), anne::host::Error);
  try {
    anne::host::quantize_model(model, {1, 2, 3, INFINITY});
  } catch (const anne::host::Error& error) {
    EXPECT_STREQ(error.what(), "the calibration data holds a NaN or infinite value");
  }
}

}  // namespace
