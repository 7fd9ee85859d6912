// SPDX-License-Identifier: MIT
// Loss functions of one sample, their gradient with respect to the network's output, and Keras's
// conventions. A batch's loss is the mean of its samples' losses (Keras's "sum over batch size"),
// so the trainer passes scale = 1 / batch size to the gradients.
//
// With y the network's n outputs, t the target (one-hot, or a class index for sparse), eps = 1e-7:
//   binary cross-entropy      p = clip(y, eps, 1-eps)   L = -mean_i [t log p + (1-t) log(1-p)]
//                             dL/dy_i = (p - t) / (p (1 - p)) / n, and 0 where y was clipped
//   ... from logits           L = mean_i [max(y,0) - y t + log(1 + e^-|y|)]   dL/dy_i = (sigmoid(y) - t) / n
//   categorical CE            q = y / sum(y), p = clip(q, eps, 1-eps)   L = -sum_i t_i log p_i
//                             g_i = -t_i / p_i (0 where clipped)   dL/dy_k = (g_k - sum_i g_i q_i) / sum(y)
//   sparse categorical CE     the same with t = one-hot(class)
//   mean squared error        L = mean_i (y - t)^2      dL/dy_i = 2 (y - t) / n
//   mean absolute error       L = mean_i |y - t|        dL/dy_i = sign(y - t) / n  (0 at y = t)
//
// Softmax followed by (sparse) categorical cross-entropy, and sigmoid followed by binary
// cross-entropy, have the combined gradient
//   dL/dz_i = p_i - t_i   (z the activation's input; divided by n for binary cross-entropy),
// which the trainer uses instead of the chain through the activation: it is exact, cheaper and
// never divides by a tiny probability. Where p is clipped it is not 0 but p - t, as in Keras's
// TensorFlow backend, which takes a sigmoid or softmax output's cross-entropy from its logits.
#pragma once

#include <stdint.h>

#include "anne/activation.hpp"
#include "anne/math.hpp"

namespace anne {
namespace train {

/// Loss codes (stored nowhere yet, but append only all the same).
enum class Loss : uint8_t {
  binary_crossentropy = 0,
  binary_crossentropy_from_logits = 1,
  categorical_crossentropy = 2,
  sparse_categorical_crossentropy = 3,
  mean_squared_error = 4,
  mean_absolute_error = 5,
};

constexpr float kLossEpsilon = 1e-7f;  ///< Keras's backend epsilon

struct LossInfo {
  Loss kind;
  const char* name;  ///< the short name the CLI takes
  const char* keras_name;
};

inline constexpr LossInfo kLosses[] = {
    {Loss::binary_crossentropy, "bce", "binary_crossentropy"},
    {Loss::binary_crossentropy_from_logits, "bce_logits", "binary_crossentropy(from_logits=True)"},
    {Loss::categorical_crossentropy, "cce", "categorical_crossentropy"},
    {Loss::sparse_categorical_crossentropy, "sparse_cce", "sparse_categorical_crossentropy"},
    {Loss::mean_squared_error, "mse", "mean_squared_error"},
    {Loss::mean_absolute_error, "mae", "mean_absolute_error"},
};

constexpr uint8_t kLossCount = sizeof(kLosses) / sizeof(kLosses[0]);

constexpr const LossInfo* loss_info(Loss kind) {
  return static_cast<uint8_t>(kind) < kLossCount ? &kLosses[static_cast<uint8_t>(kind)] : nullptr;
}

/// A loss by short or Keras name ("bce", "binary_crossentropy"); nullptr when unknown.
constexpr const LossInfo* find_loss(const char* name) {
  for (const LossInfo& info : kLosses) {
    if (anne::detail::same_name(info.name, name) || anne::detail::same_name(info.keras_name, name)) return &info;
  }
  return nullptr;
}

/// Floats per target: one class index for sparse categorical cross-entropy, else one per output.
constexpr uint16_t target_width(Loss loss, uint16_t outputs) {
  return loss == Loss::sparse_categorical_crossentropy ? 1 : outputs;
}

/// The target's value at output i (one-hot for a sparse class index).
inline float target_at(Loss loss, const float* target, uint16_t i) {
  if (loss != Loss::sparse_categorical_crossentropy) return target[i];
  return static_cast<uint16_t>(target[0]) == i ? 1.0f : 0.0f;
}

/// The class a target stands for: the index for sparse, t > 0.5 for one output, else the argmax.
inline uint16_t target_class(Loss loss, const float* target, uint16_t outputs) {
  if (loss == Loss::sparse_categorical_crossentropy) return static_cast<uint16_t>(target[0]);
  if (outputs == 1) return target[0] > 0.5f ? 1 : 0;
  uint16_t best = 0;
  for (uint16_t i = 1; i < outputs; ++i) best = target[i] > target[best] ? i : best;
  return best;
}

/// Writes the target of class c: the index itself for sparse or for one output, else one-hot.
inline void class_target(Loss loss, uint16_t c, uint16_t outputs, float* target) {
  if (loss == Loss::sparse_categorical_crossentropy || outputs == 1) {
    target[0] = static_cast<float>(c);
    return;
  }
  for (uint16_t i = 0; i < outputs; ++i) target[i] = i == c ? 1.0f : 0.0f;
}

/// The threshold that turns one output into a class: 0.5 for a probability, 0 for a logit.
constexpr float class_threshold(Loss loss) { return loss == Loss::binary_crossentropy_from_logits ? 0.0f : 0.5f; }

/// x / n for a count n >= 1. x / 1 is x exactly, so one sample or one output skips the division
/// (a library call on a chip without an FPU).
inline float divide_by_count(float x, uint32_t n) { return n == 1 ? x : x / static_cast<float>(n); }

namespace detail {
inline float clip_probability(float p) {
  return p < kLossEpsilon ? kLossEpsilon : (p > 1.0f - kLossEpsilon ? 1.0f - kLossEpsilon : p);
}
inline float output_sum(const float* y, uint16_t n) {
  float sum = 0.0f;
  for (uint16_t i = 0; i < n; ++i) sum += y[i];
  return sum;
}
/// One output's binary cross-entropy -(t log p + (1 - t) log(1 - p)), p clipped. For a 0/1 label
/// one of the two terms is an exact zero (log p is finite), so only the other one is computed:
/// the same bits, one logarithm instead of two.
inline float binary_crossentropy_term(float t, float p) {
  if (math::float_bits(t) == 0) return -math::log(1.0f - p);
  if (math::float_bits(t) == math::float_bits(1.0f)) return -math::log(p);
  return -(t * math::log(p) + (1.0f - t) * math::log(1.0f - p));
}
}  // namespace detail

/// The loss of one sample: y the n outputs, target as target_width() says.
inline float loss_value(Loss loss, const float* y, const float* target, uint16_t n) {
  float sum = 0.0f;
  switch (loss) {
    case Loss::binary_crossentropy:
      for (uint16_t i = 0; i < n; ++i) {
        sum += detail::binary_crossentropy_term(target[i], detail::clip_probability(y[i]));
      }
      return divide_by_count(sum, n);
    case Loss::binary_crossentropy_from_logits:
      for (uint16_t i = 0; i < n; ++i) {
        sum += (y[i] > 0.0f ? y[i] : 0.0f) - y[i] * target[i] + math::log1p(math::exp(-math::abs(y[i])));
      }
      return divide_by_count(sum, n);
    case Loss::categorical_crossentropy:
    case Loss::sparse_categorical_crossentropy: {
      const float total = detail::output_sum(y, n);
      for (uint16_t i = 0; i < n; ++i) {
        const float t = target_at(loss, target, i);
        if (t != 0.0f) sum -= t * math::log(detail::clip_probability(y[i] / total));
      }
      return sum;
    }
    case Loss::mean_squared_error:
      for (uint16_t i = 0; i < n; ++i) sum += (y[i] - target[i]) * (y[i] - target[i]);
      return divide_by_count(sum, n);
    case Loss::mean_absolute_error:
      for (uint16_t i = 0; i < n; ++i) sum += math::abs(y[i] - target[i]);
      return divide_by_count(sum, n);
  }
  return math::kNaN;
}

/// dy_i = scale * dL/dy_i for one sample.
inline void loss_gradient(Loss loss, const float* y, const float* target, uint16_t n, float scale, float* dy) {
  const float per_output = divide_by_count(scale, n);
  switch (loss) {
    case Loss::binary_crossentropy:
      for (uint16_t i = 0; i < n; ++i) {
        const float p = detail::clip_probability(y[i]);
        dy[i] = p == y[i] ? per_output * (p - target[i]) / (p * (1.0f - p)) : 0.0f;
      }
      return;
    case Loss::binary_crossentropy_from_logits:
      for (uint16_t i = 0; i < n; ++i) dy[i] = per_output * (math::sigmoid(y[i]) - target[i]);
      return;
    case Loss::categorical_crossentropy:
    case Loss::sparse_categorical_crossentropy: {
      // g_i = dL/dq_i, then through q = y / sum(y): dL/dy_k = (g_k - sum_i g_i q_i) / sum(y).
      const float total = detail::output_sum(y, n);
      float weighted = 0.0f;
      for (uint16_t i = 0; i < n; ++i) {
        const float q = y[i] / total;
        const float p = detail::clip_probability(q);
        dy[i] = p == q ? -target_at(loss, target, i) / p : 0.0f;
        weighted += dy[i] * q;
      }
      for (uint16_t i = 0; i < n; ++i) dy[i] = scale * (dy[i] - weighted) / total;
      return;
    }
    case Loss::mean_squared_error:
      for (uint16_t i = 0; i < n; ++i) dy[i] = per_output * 2.0f * (y[i] - target[i]);
      return;
    case Loss::mean_absolute_error:
      for (uint16_t i = 0; i < n; ++i) {
        dy[i] = y[i] > target[i] ? per_output : (y[i] < target[i] ? -per_output : 0.0f);
      }
      return;
  }
}

constexpr bool is_categorical(Loss loss) {
  return loss == Loss::categorical_crossentropy || loss == Loss::sparse_categorical_crossentropy;
}

/// True when an output activation and the loss have a combined gradient: softmax with (sparse)
/// categorical cross-entropy, sigmoid with binary cross-entropy.
constexpr bool has_combined_gradient(Activation output, Loss loss) {
  return (output == Activation::softmax && is_categorical(loss)) ||
         (output == Activation::sigmoid && loss == Loss::binary_crossentropy);
}

/// The combined gradient with respect to the output activation's input z (p = its output):
/// dz_i = scale (p_i - t_i), divided by n for binary cross-entropy (the mean over the outputs).
inline void cross_entropy_gradient(Loss loss, const float* p, const float* target, uint16_t n, float scale, float* dz) {
  const float per_output = is_categorical(loss) ? scale : divide_by_count(scale, n);
  for (uint16_t i = 0; i < n; ++i) dz[i] = per_output * (p[i] - target_at(loss, target, i));
}

}  // namespace train
}  // namespace anne
