// SPDX-License-Identifier: MIT
// Activation functions: one table maps each name to its forward function and its derivative.
//
// To add an activation: give it the next code in `Activation`, write its scalar function f(x) and
// derivative f'(x) below, and add one row to `kActivations`. Nothing else in anne names
// activations one by one: the importer, the console, the CLI and the trainer all read this table.
//
// NaN in gives NaN out for every activation (one check in the elementwise wrapper); for finite
// inputs, including +-FLT_MAX, sigmoid, softmax, softplus, elu and tanh never return NaN or inf.
#pragma once

#include <stdint.h>

#include "anne/math.hpp"
#include "anne/status.hpp"

namespace anne {

/// Activation codes. The numbers are stored in .anne files: never renumber, only append.
enum class Activation : uint8_t {
  linear = 0,
  relu = 1,
  relu6 = 2,
  leaky_relu = 3,
  elu = 4,
  selu = 5,
  sigmoid = 6,
  hard_sigmoid = 7,         ///< Keras 3: relu6(x + 3) / 6
  hard_sigmoid_keras2 = 8,  ///< Keras 2 and TF.js: clip(0.2x + 0.5, 0, 1)
  hard_silu = 9,
  tanh = 10,
  softmax = 11,
  softplus = 12,
  softsign = 13,
  silu = 14,
  gelu = 15,       ///< exact: 0.5x(1 + erf(x / sqrt 2))
  gelu_tanh = 16,  ///< Keras gelu(approximate=True)
  mish = 17,
  exponential = 18,
  prelu = 19,  ///< x if x > 0 else alpha_j * x, one learned alpha per unit
};

/// An activation with its parameters. Which fields matter depends on the kind:
/// relu: alpha = negative_slope, max_value (+inf = none), threshold; leaky_relu and elu: alpha;
/// prelu: unit_alpha (one slope per unit).
struct ActivationSpec {
  Activation kind = Activation::linear;
  float alpha = 0.0f;
  float max_value = math::kInfinity;
  float threshold = 0.0f;
  const float* unit_alpha = nullptr;
};

/// y[i] = f(z)[i] for n values; y may be z (in place).
using ActivationForward = void (*)(const ActivationSpec& spec, const float* z, float* y, uint16_t n);
/// dz = dL/dz from dy = dL/dy, the inputs z and the outputs y of the forward pass.
using ActivationBackward = void (*)(const ActivationSpec& spec, const float* z, const float* y,
                                    const float* dy, float* dz, uint16_t n);

namespace activations {

constexpr float kSeluAlpha = 1.6732632423543772f;
constexpr float kSeluScale = 1.0507009873554805f;
constexpr float kSqrtHalf = 0.70710678118654752f;
constexpr float kInvSqrt2Pi = 0.39894228040143268f;  // 1/sqrt(2 pi)
constexpr float kSqrt2OverPi = 0.79788456080286536f;
constexpr float kGeluCubic = 0.044715f;

// Each function: f(x) with the formula, then f'(x) given x and y = f(x).

inline float linear(float x, const ActivationSpec&) { return x; }
inline float linear_grad(float, float, const ActivationSpec&) { return 1.0f; }

/// The common case max(x, 0): no slope, no cap, no threshold. (Inlined: it is asked once per
/// layer, and a call costs a chip without an FPU about as much as the test.)
[[gnu::always_inline]] inline bool is_plain_relu(const ActivationSpec& s) {
  return math::is_zero(s.alpha) && math::is_zero(s.threshold) && math::float_bits(s.max_value) == math::float_bits(math::kInfinity);
}
/// x > 0 on the bit pattern: sign clear, not zero, not NaN.
inline bool is_positive(float x) {
  const uint32_t bits = math::float_bits(x);
  return static_cast<int32_t>(bits) > 0 && bits <= 0x7f800000u;
}
/// Keras relu(x, negative_slope, max_value, threshold):
/// positive part = x where x > threshold (x > 0: max(x, 0) when threshold is 0), clipped to
/// [0, max_value] when there is a max_value; minus negative_slope * max(threshold - x, 0).
/// The comparisons run on the bit patterns (math::greater), so relu links no float compare routine
/// on a chip without an FPU. (relu_forward takes the plain case max(x, 0) on its own.)
inline float relu(float x, const ActivationSpec& s) {
  float positive = math::greater(x, s.threshold) ? x : 0.0f;
  if (math::float_bits(s.max_value) != math::float_bits(math::kInfinity)) {
    positive = math::greater(0.0f, positive) ? 0.0f : (math::greater(positive, s.max_value) ? s.max_value : positive);
  }
  const float below = s.threshold - x;
  return !math::is_zero(s.alpha) && is_positive(below) ? positive - s.alpha * below : positive;
}
/// (relu_backward takes the plain case, f' = 1 where x > 0, on its own.)
inline float relu_grad(float x, float, const ActivationSpec& s) {
  const bool passes = math::greater(x, s.threshold);
  const bool clipped = math::float_bits(s.max_value) != math::float_bits(math::kInfinity) &&
                       (math::greater_equal(x, s.max_value) || (!math::is_nan(x) && !is_positive(x)));
  return (passes && !clipped ? 1.0f : 0.0f) + (math::greater(s.threshold, x) ? s.alpha : 0.0f);
}

/// min(max(0, x), 6)
inline float relu6(float x, const ActivationSpec&) { return x > 0.0f ? (x < 6.0f ? x : 6.0f) : 0.0f; }
inline float relu6_grad(float x, float, const ActivationSpec&) { return x > 0.0f && x < 6.0f ? 1.0f : 0.0f; }

/// x if x > 0 else alpha * x
inline float leaky_relu(float x, const ActivationSpec& s) { return x > 0.0f ? x : s.alpha * x; }
inline float leaky_relu_grad(float x, float, const ActivationSpec& s) { return x > 0.0f ? 1.0f : s.alpha; }

/// x if x > 0 else alpha * (e^x - 1);  f' = 1 or alpha e^x = y + alpha
inline float elu(float x, const ActivationSpec& s) { return x > 0.0f ? x : s.alpha * math::expm1(x); }
inline float elu_grad(float x, float y, const ActivationSpec& s) { return x > 0.0f ? 1.0f : y + s.alpha; }

/// scale * elu(x, alpha) with the fixed self-normalizing constants
inline float selu(float x, const ActivationSpec&) {
  return kSeluScale * (x > 0.0f ? x : kSeluAlpha * math::expm1(x));
}
inline float selu_grad(float x, float y, const ActivationSpec&) {
  return x > 0.0f ? kSeluScale : y + kSeluScale * kSeluAlpha;
}

/// 1 / (1 + e^-x);  f' = y (1 - y)
inline float sigmoid(float x, const ActivationSpec&) { return math::sigmoid(x); }
inline float sigmoid_grad(float, float y, const ActivationSpec&) { return y * (1.0f - y); }

/// Keras 3: relu6(x + 3) / 6;  f' = 1/6 on (-3, 3)
inline float hard_sigmoid(float x, const ActivationSpec& s) { return relu6(x + 3.0f, s) / 6.0f; }
inline float hard_sigmoid_grad(float x, float, const ActivationSpec&) {
  return x > -3.0f && x < 3.0f ? 1.0f / 6.0f : 0.0f;
}

/// Keras 2: clip(0.2x + 0.5, 0, 1);  f' = 0.2 on (-2.5, 2.5)
inline float hard_sigmoid_keras2(float x, const ActivationSpec&) {
  const float y = 0.2f * x + 0.5f;
  return y < 0.0f ? 0.0f : (y > 1.0f ? 1.0f : y);
}
inline float hard_sigmoid_keras2_grad(float x, float, const ActivationSpec&) {
  return x > -2.5f && x < 2.5f ? 0.2f : 0.0f;
}

/// x * hard_sigmoid(x);  f' = hard_sigmoid(x) + x * hard_sigmoid'(x)
inline float hard_silu(float x, const ActivationSpec& s) { return x * hard_sigmoid(x, s); }
inline float hard_silu_grad(float x, float y, const ActivationSpec& s) {
  return hard_sigmoid(x, s) + x * hard_sigmoid_grad(x, y, s);
}

/// (e^x - e^-x) / (e^x + e^-x);  f' = 1 - y^2
inline float tanh(float x, const ActivationSpec&) { return math::tanh(x); }
inline float tanh_grad(float, float y, const ActivationSpec&) { return 1.0f - y * y; }

/// ln(1 + e^x);  f' = sigmoid(x)
inline float softplus(float x, const ActivationSpec&) { return math::softplus(x); }
inline float softplus_grad(float x, float, const ActivationSpec&) { return math::sigmoid(x); }

/// x / (1 + |x|);  f' = 1 / (1 + |x|)^2
inline float softsign(float x, const ActivationSpec&) { return x / (1.0f + math::abs(x)); }
inline float softsign_grad(float x, float, const ActivationSpec&) {
  const float d = 1.0f + math::abs(x);
  return 1.0f / (d * d);
}

/// x * sigmoid(x);  f' = s + x s (1 - s)
inline float silu(float x, const ActivationSpec&) { return x * math::sigmoid(x); }
inline float silu_grad(float x, float, const ActivationSpec&) {
  const float s = math::sigmoid(x);
  return s + x * s * (1.0f - s);
}

/// 0.5 x (1 + erf(x / sqrt 2));  f' = Phi(x) + x phi(x)
inline float gelu(float x, const ActivationSpec&) { return 0.5f * x * (1.0f + math::erf(x * kSqrtHalf)); }
inline float gelu_grad(float x, float, const ActivationSpec&) {
  return 0.5f * (1.0f + math::erf(x * kSqrtHalf)) + x * kInvSqrt2Pi * math::exp(-0.5f * x * x);
}

/// 0.5 x (1 + tanh(u)), u = sqrt(2/pi) (x + 0.044715 x^3);
/// f' = 0.5 (1 + t) + 0.5 x (1 - t^2) sqrt(2/pi) (1 + 3 * 0.044715 x^2), t = tanh(u)
inline float gelu_tanh(float x, const ActivationSpec&) {
  return 0.5f * x * (1.0f + math::tanh(kSqrt2OverPi * (x + kGeluCubic * x * x * x)));
}
inline float gelu_tanh_grad(float x, float, const ActivationSpec&) {
  const float t = math::tanh(kSqrt2OverPi * (x + kGeluCubic * x * x * x));
  return 0.5f * (1.0f + t) + 0.5f * x * (1.0f - t * t) * kSqrt2OverPi * (1.0f + 3.0f * kGeluCubic * x * x);
}

/// x * tanh(softplus(x));  f' = t + x (1 - t^2) sigmoid(x), t = tanh(softplus(x))
inline float mish(float x, const ActivationSpec&) { return x * math::tanh(math::softplus(x)); }
inline float mish_grad(float x, float, const ActivationSpec&) {
  const float t = math::tanh(math::softplus(x));
  return t + x * (1.0f - t * t) * math::sigmoid(x);
}

/// e^x;  f' = y
inline float exponential(float x, const ActivationSpec&) { return math::exp(x); }
inline float exponential_grad(float, float y, const ActivationSpec&) { return y; }

/// Applies a scalar function to each value; NaN passes through unchanged.
template <float (*F)(float, const ActivationSpec&)>
void elementwise(const ActivationSpec& spec, const float* z, float* y, uint16_t n) {
  for (const float* end = z + n; z != end; ++z, ++y) *y = math::is_nan(*z) ? *z : F(*z, spec);
}

/// Chain rule for a scalar function: dz_i = dy_i * f'(z_i).
template <float (*D)(float, float, const ActivationSpec&)>
void elementwise_backward(const ActivationSpec& spec, const float* z, const float* y, const float* dy,
                          float* dz, uint16_t n) {
  for (uint16_t i = 0; i < n; ++i) dz[i] = dy[i] * D(z[i], y[i], spec);
}

/// relu over a vector: the plain case decided once, not per value (NaN passes through, as in
/// elementwise()).
inline void relu_forward(const ActivationSpec& spec, const float* z, float* y, uint16_t n) {
  if (!is_plain_relu(spec)) return elementwise<relu>(spec, z, y, n);
  for (uint16_t i = 0; i < n; ++i) y[i] = is_positive(z[i]) || math::is_nan(z[i]) ? z[i] : 0.0f;
}

/// relu's chain rule: dz = dy where relu passes x (f' = 1: the multiply is exact, so it is skipped,
/// which a chip without an FPU notices), dy * f'(x) otherwise.
inline void relu_backward(const ActivationSpec& spec, const float* z, const float* y, const float* dy, float* dz,
                          uint16_t n) {
  if (!is_plain_relu(spec)) return elementwise_backward<relu_grad>(spec, z, y, dy, dz, n);
  for (uint16_t i = 0; i < n; ++i) dz[i] = is_positive(z[i]) ? dy[i] : dy[i] * 0.0f;
}

/// softmax(z)_i = e^(z_i - m) / sum_j e^(z_j - m), m = max_j z_j (so no e^(...) overflows).
/// Any NaN input makes every output NaN, as in Keras.
inline void softmax(const ActivationSpec&, const float* z, float* y, uint16_t n) {
  if (n == 0) return;
  float m = z[0];
  for (uint16_t i = 0; i < n; ++i) {
    if (math::is_nan(z[i])) {
      for (uint16_t k = 0; k < n; ++k) y[k] = math::kNaN;
      return;
    }
    if (z[i] > m) m = z[i];
  }
  float sum = 0.0f;
  for (uint16_t i = 0; i < n; ++i) {
    y[i] = math::exp(z[i] - m);
    sum += y[i];
  }
  for (uint16_t i = 0; i < n; ++i) y[i] /= sum;
}
/// Jacobian-vector product of softmax: dz_i = y_i (dy_i - sum_j dy_j y_j).
inline void softmax_backward(const ActivationSpec&, const float*, const float* y, const float* dy, float* dz,
                             uint16_t n) {
  float dot = 0.0f;
  for (uint16_t j = 0; j < n; ++j) dot += dy[j] * y[j];
  for (uint16_t i = 0; i < n; ++i) dz[i] = y[i] * (dy[i] - dot);
}

/// PReLU: y_j = z_j if z_j > 0 else alpha_j z_j;  f'_j = 1 or alpha_j
inline void prelu(const ActivationSpec& s, const float* z, float* y, uint16_t n) {
  for (uint16_t j = 0; j < n; ++j) y[j] = z[j] > 0.0f || math::is_nan(z[j]) ? z[j] : s.unit_alpha[j] * z[j];
}
inline void prelu_backward(const ActivationSpec& s, const float* z, const float*, const float* dy, float* dz,
                           uint16_t n) {
  for (uint16_t j = 0; j < n; ++j) dz[j] = z[j] > 0.0f ? dy[j] : dy[j] * s.unit_alpha[j];
}

}  // namespace activations

/// One row of the activation table.
struct ActivationInfo {
  Activation kind;
  const char* name;     ///< anne's name (Keras's name where Keras has one)
  const char* alias;    ///< another Keras or TF.js name for the same function, or nullptr
  float default_alpha;  ///< the alpha a bare name implies (Keras 3 defaults)
  ActivationForward forward;
  ActivationBackward backward;
};

#define ANNE_ELEMENTWISE(fn) &activations::elementwise<activations::fn>, &activations::elementwise_backward<activations::fn##_grad>

/// The table, in code order (row i has code i).
inline constexpr ActivationInfo kActivations[] = {
    {Activation::linear, "linear", nullptr, 0.0f, ANNE_ELEMENTWISE(linear)},
    {Activation::relu, "relu", nullptr, 0.0f, &activations::relu_forward, &activations::relu_backward},
    {Activation::relu6, "relu6", nullptr, 0.0f, ANNE_ELEMENTWISE(relu6)},
    {Activation::leaky_relu, "leaky_relu", nullptr, 0.2f, ANNE_ELEMENTWISE(leaky_relu)},
    {Activation::elu, "elu", nullptr, 1.0f, ANNE_ELEMENTWISE(elu)},
    {Activation::selu, "selu", nullptr, 0.0f, ANNE_ELEMENTWISE(selu)},
    {Activation::sigmoid, "sigmoid", nullptr, 0.0f, ANNE_ELEMENTWISE(sigmoid)},
    {Activation::hard_sigmoid, "hard_sigmoid", nullptr, 0.0f, ANNE_ELEMENTWISE(hard_sigmoid)},
    {Activation::hard_sigmoid_keras2, "hard_sigmoid_keras2", nullptr, 0.0f, ANNE_ELEMENTWISE(hard_sigmoid_keras2)},
    {Activation::hard_silu, "hard_silu", "hard_swish", 0.0f, ANNE_ELEMENTWISE(hard_silu)},
    {Activation::tanh, "tanh", nullptr, 0.0f, ANNE_ELEMENTWISE(tanh)},
    {Activation::softmax, "softmax", nullptr, 0.0f, &activations::softmax, &activations::softmax_backward},
    {Activation::softplus, "softplus", nullptr, 0.0f, ANNE_ELEMENTWISE(softplus)},
    {Activation::softsign, "softsign", nullptr, 0.0f, ANNE_ELEMENTWISE(softsign)},
    {Activation::silu, "silu", "swish", 0.0f, ANNE_ELEMENTWISE(silu)},
    {Activation::gelu, "gelu", nullptr, 0.0f, ANNE_ELEMENTWISE(gelu)},
    {Activation::gelu_tanh, "gelu_tanh", nullptr, 0.0f, ANNE_ELEMENTWISE(gelu_tanh)},
    {Activation::mish, "mish", nullptr, 0.0f, ANNE_ELEMENTWISE(mish)},
    {Activation::exponential, "exponential", nullptr, 0.0f, ANNE_ELEMENTWISE(exponential)},
    {Activation::prelu, "prelu", nullptr, 0.0f, &activations::prelu, &activations::prelu_backward},
};

#undef ANNE_ELEMENTWISE

constexpr uint8_t kActivationCount = sizeof(kActivations) / sizeof(kActivations[0]);

constexpr bool activation_table_in_code_order() {
  for (uint8_t i = 0; i < kActivationCount; ++i) {
    if (static_cast<uint8_t>(kActivations[i].kind) != i) return false;
  }
  return true;
}
static_assert(activation_table_in_code_order(), "kActivations row i must have code i");

/// Whether the table has a row for this code (a code read from a corrupt file may not).
constexpr bool activation_known(Activation kind) { return static_cast<uint8_t>(kind) < kActivationCount; }

/// The table row of a code, or nullptr for a code out of range.
constexpr const ActivationInfo* activation_info(Activation kind) {
  return activation_known(kind) ? &kActivations[static_cast<uint8_t>(kind)] : nullptr;
}

namespace detail {
constexpr bool same_name(const char* a, const char* b) {
  if (a == nullptr || b == nullptr) return false;
  while (*a != '\0' && *a == *b) {
    ++a;
    ++b;
  }
  return *a == *b;
}
}  // namespace detail

/// Looks a name or alias up ("relu", "swish"); nullptr when unknown.
constexpr const ActivationInfo* find_activation(const char* name) {
  for (const ActivationInfo& info : kActivations) {
    if (detail::same_name(info.name, name) || detail::same_name(info.alias, name)) return &info;
  }
  return nullptr;
}

/// The spec a bare activation implies: default alpha, no cap, threshold 0.
constexpr ActivationSpec default_spec(Activation kind) {
  ActivationSpec spec;
  spec.kind = kind;
  spec.alpha = activation_known(kind) ? kActivations[static_cast<uint8_t>(kind)].default_alpha : 0.0f;
  return spec;
}

/// y = f(z) for n values (y may alias z). Fails for an unknown code or a PReLU without slopes.
inline Status activation_forward(const ActivationSpec& spec, const float* z, float* y, uint16_t n) {
  const ActivationInfo* info = activation_info(spec.kind);
  if (info == nullptr) return Status::unknown_activation;
  if (spec.kind == Activation::prelu && spec.unit_alpha == nullptr) return Status::invalid_argument;
  info->forward(spec, z, y, n);
  return Status::ok;
}

/// The activations a program can run, as a type the forward pass is instantiated with.
/// AllActivations (the default) dispatches through the whole table, so every activation and its
/// derivative is linked in: right for the host and for a console that loads any model. A program
/// whose models are known at compile time names only the activations they use, and only those are
/// linked (on a Cortex-M0+ each float routine an activation pulls in costs flash):
///   anne::forward<anne::ActivationSubset<Activation::relu, Activation::sigmoid>>(net, ...)
/// A layer whose activation is not in the set makes forward() fail with activation_not_linked.
struct AllActivations {
  static bool forward(const ActivationSpec& spec, const float* z, float* y, uint16_t n) {
    kActivations[static_cast<uint8_t>(spec.kind)].forward(spec, z, y, n);
    return true;
  }
};

template <Activation... Kinds>
struct ActivationSubset {
  static bool forward(const ActivationSpec& spec, const float* z, float* y, uint16_t n) {
    return (forward_if<Kinds>(spec, z, y, n) || ...);
  }

 private:
  // A constant function pointer: the call is direct, and the table itself is never referenced.
  template <Activation Kind>
  static bool forward_if(const ActivationSpec& spec, const float* z, float* y, uint16_t n) {
    constexpr ActivationForward kForward = kActivations[static_cast<uint8_t>(Kind)].forward;
    if (spec.kind != Kind) return false;
    kForward(spec, z, y, n);
    return true;
  }
};

/// dz = dy * f'(z) (a Jacobian product for softmax).
inline Status activation_backward(const ActivationSpec& spec, const float* z, const float* y, const float* dy,
                                  float* dz, uint16_t n) {
  const ActivationInfo* info = activation_info(spec.kind);
  if (info == nullptr) return Status::unknown_activation;
  if (spec.kind == Activation::prelu && spec.unit_alpha == nullptr) return Status::invalid_argument;
  info->backward(spec, z, y, dy, dz, n);
  return Status::ok;
}

}  // namespace anne
