// SPDX-License-Identifier: MIT
// Optimizers: how a parameter p moves given its gradient g, with Keras 3's update rules and
// defaults. lr is the learning rate, t the step number starting at 1.
//
//   SGD                  p = p - lr g
//   SGD with momentum    m = mu m - lr g;  p = p + m                       (mu = momentum, 0.9 here)
//   ... Nesterov         m = mu m - lr g;  p = p + mu m - lr g
//   Adam                 m = m + (g - m)(1 - b1);  v = v + (g^2 - v)(1 - b2)
//                        a = lr sqrt(1 - b2^t) / (1 - b1^t)   (bias correction)
//                        p = p - a m / (sqrt(v) + eps)         (b1 0.9, b2 0.999, eps 1e-7)
//
// State per parameter: none for SGD, m for momentum, m and v for Adam; it lives in the trainer's
// workspace and starts at zero.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "anne/activation.hpp"
#include "anne/train/sqrt.hpp"
#include "anne/train/vectors.hpp"

namespace anne {
namespace train {

enum class Optimizer : uint8_t {
  sgd = 0,
  momentum = 1,
  nesterov = 2,
  adam = 3,
};

struct OptimizerConfig {
  Optimizer kind = Optimizer::sgd;
  float learning_rate = 0.01f;  ///< Keras SGD's default; Adam's is 0.001 (see optimizer_defaults)
  float momentum = 0.9f;        ///< momentum and nesterov only
  float beta1 = 0.9f;
  float beta2 = 0.999f;
  float epsilon = 1e-7f;
};

struct OptimizerInfo {
  Optimizer kind;
  const char* name;
  uint8_t state_slots;  ///< floats of state per parameter
  float default_learning_rate;
};

inline constexpr OptimizerInfo kOptimizers[] = {
    {Optimizer::sgd, "sgd", 0, 0.01f},
    {Optimizer::momentum, "momentum", 1, 0.01f},
    {Optimizer::nesterov, "nesterov", 1, 0.01f},
    {Optimizer::adam, "adam", 2, 0.001f},
};

constexpr uint8_t kOptimizerCount = sizeof(kOptimizers) / sizeof(kOptimizers[0]);

constexpr const OptimizerInfo* optimizer_info(Optimizer kind) {
  return static_cast<uint8_t>(kind) < kOptimizerCount ? &kOptimizers[static_cast<uint8_t>(kind)] : nullptr;
}

constexpr const OptimizerInfo* find_optimizer(const char* name) {
  for (const OptimizerInfo& info : kOptimizers) {
    if (anne::detail::same_name(info.name, name)) return &info;
  }
  return nullptr;
}

/// Keras's defaults for an optimizer kind.
constexpr OptimizerConfig optimizer_defaults(Optimizer kind) {
  OptimizerConfig config;
  config.kind = kind;
  const OptimizerInfo* info = optimizer_info(kind);
  config.learning_rate = info != nullptr ? info->default_learning_rate : 0.0f;
  return config;
}

/// Floats of optimizer state for `parameters` parameters.
constexpr size_t optimizer_state_floats(Optimizer kind, size_t parameters) {
  const uint8_t code = static_cast<uint8_t>(kind);  // no pointer test: a constant expression everywhere
  return code < kOptimizerCount ? kOptimizers[code].state_slots * parameters : 0;
}

/// x^n for a whole n >= 1 by repeated squaring (the bias corrections' b^t).
inline float power(float x, uint32_t n) {
  float result = 1.0f;
  while (n > 0) {
    if ((n & 1u) != 0) result *= x;
    x *= x;
    n >>= 1;
  }
  return result;
}

/// One update of n parameters p from gradients g into `updated` (which may be p itself: each
/// parameter is read before its new value is written); `state` holds state_slots * n floats
/// (m, then v); `step` is the number of this update, from 1.
inline void optimizer_update(const OptimizerConfig& c, const float* p, const float* g, float* state, size_t n,
                             uint32_t step, float* updated) {
  const float lr = c.learning_rate;
  switch (c.kind) {
    case Optimizer::sgd:
      add_scaled(p, -lr, g, updated, n);  // p - lr g
      return;
    case Optimizer::momentum:
      for (size_t k = 0; k < n; ++k) {
        state[k] = c.momentum * state[k] - lr * g[k];
        updated[k] = p[k] + state[k];
      }
      return;
    case Optimizer::nesterov:
      for (size_t k = 0; k < n; ++k) {
        state[k] = c.momentum * state[k] - lr * g[k];
        updated[k] = p[k] + (c.momentum * state[k] - lr * g[k]);
      }
      return;
    case Optimizer::adam: {
      float* m = state;
      float* v = state + n;
      const float alpha = lr * math::sqrt(1.0f - power(c.beta2, step)) / (1.0f - power(c.beta1, step));
      for (size_t k = 0; k < n; ++k) {
        m[k] += (g[k] - m[k]) * (1.0f - c.beta1);
        v[k] += (g[k] * g[k] - v[k]) * (1.0f - c.beta2);
        updated[k] = p[k] - m[k] * alpha / (math::sqrt(v[k]) + c.epsilon);
      }
      return;
    }
  }
}

}  // namespace train
}  // namespace anne
