// SPDX-License-Identifier: MIT
// Initial weights as Keras draws them for a Dense layer: Glorot uniform kernels, zero biases,
// zero PReLU slopes (Keras's PReLU alpha_initializer is "zeros").
//
//   limit = sqrt(6 / (fan_in + fan_out)),   W[j][i] = limit * (2u - 1),   u uniform in [0, 1)
//
// (X. Glorot and Y. Bengio, "Understanding the difficulty of training deep feedforward neural
// networks", 2010.) The numbers come from the seeded PCG32 generator in random.hpp, so one seed
// gives bit-identical weights on the PC and on the chip; they are not the numbers Keras draws.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "anne/train/random.hpp"
#include "anne/train/sqrt.hpp"
#include "anne/train/vectors.hpp"

namespace anne {
namespace train {

/// The Glorot uniform bound for a kernel with fan_in inputs and fan_out units.
inline float glorot_limit(uint16_t fan_in, uint16_t fan_out) {
  return math::sqrt(6.0f / static_cast<float>(static_cast<uint32_t>(fan_in) + fan_out));
}

/// Fills a [units][inputs] kernel, row by row, from `random`.
inline void glorot_uniform(float* kernel, uint16_t inputs, uint16_t units, Random& random) {
  const float limit = glorot_limit(inputs, units);
  const size_t count = static_cast<size_t>(units) * inputs;
  for (size_t k = 0; k < count; ++k) kernel[k] = limit * (2.0f * random.uniform() - 1.0f);
}

}  // namespace train
}  // namespace anne
