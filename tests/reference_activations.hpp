// Double-precision reference formulas for every activation, written from the Keras definitions
// (../shared/GUIDE.md) with <cmath>, sharing no code with the core. Tests compare the core's
// float32 results against these.
#pragma once

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <string>

namespace anne_test {

struct ReferenceParams {
  double alpha = 0.0;
  double max_value = INFINITY;
  double threshold = 0.0;
};

using ReferenceFunction = std::function<double(double, const ReferenceParams&)>;

inline double ref_sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }
inline double ref_softplus(double x) { return std::max(x, 0.0) + std::log1p(std::exp(-std::fabs(x))); }

/// Keras relu(x, negative_slope, max_value, threshold), as keras.activations.relu computes it.
inline double ref_relu(double x, const ReferenceParams& p) {
  double positive = p.threshold != 0.0 ? (x > p.threshold ? x : 0.0) : std::max(x, 0.0);
  if (std::isfinite(p.max_value)) positive = std::clamp(positive, 0.0, p.max_value);
  return positive - p.alpha * std::max(p.threshold - x, 0.0);
}

/// name -> f(x) for the elementwise activations.
inline const std::map<std::string, ReferenceFunction>& reference_activations() {
  static const std::map<std::string, ReferenceFunction> table = {
      {"linear", [](double x, const ReferenceParams&) { return x; }},
      {"relu", ref_relu},
      {"relu6", [](double x, const ReferenceParams&) { return std::min(std::max(x, 0.0), 6.0); }},
      {"leaky_relu", [](double x, const ReferenceParams& p) { return x > 0 ? x : p.alpha * x; }},
      {"elu", [](double x, const ReferenceParams& p) { return x > 0 ? x : p.alpha * (std::exp(x) - 1.0); }},
      {"selu",
       [](double x, const ReferenceParams&) {
         return 1.0507009873554805 * (x > 0 ? x : 1.6732632423543772 * (std::exp(x) - 1.0));
       }},
      {"sigmoid", [](double x, const ReferenceParams&) { return ref_sigmoid(x); }},
      {"hard_sigmoid", [](double x, const ReferenceParams&) { return std::clamp(x / 6.0 + 0.5, 0.0, 1.0); }},
      {"hard_sigmoid_keras2", [](double x, const ReferenceParams&) { return std::clamp(0.2 * x + 0.5, 0.0, 1.0); }},
      {"hard_silu", [](double x, const ReferenceParams&) { return x * std::clamp(x / 6.0 + 0.5, 0.0, 1.0); }},
      {"tanh", [](double x, const ReferenceParams&) { return std::tanh(x); }},
      {"softplus", [](double x, const ReferenceParams&) { return ref_softplus(x); }},
      {"softsign", [](double x, const ReferenceParams&) { return x / (1.0 + std::fabs(x)); }},
      {"silu", [](double x, const ReferenceParams&) { return x * ref_sigmoid(x); }},
      {"gelu", [](double x, const ReferenceParams&) { return 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0))); }},
      {"gelu_tanh",
       [](double x, const ReferenceParams&) {
         return 0.5 * x * (1.0 + std::tanh(std::sqrt(2.0 / M_PI) * (x + 0.044715 * x * x * x)));
       }},
      {"mish", [](double x, const ReferenceParams&) { return x * std::tanh(ref_softplus(x)); }},
      {"exponential", [](double x, const ReferenceParams&) { return std::exp(x); }},
  };
  return table;
}

}  // namespace anne_test
