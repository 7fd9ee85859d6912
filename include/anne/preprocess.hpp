// SPDX-License-Identifier: MIT
// Input preprocessing done on the device, so raw sensor values can go straight in.
#pragma once

#include <stdint.h>

namespace anne {

/// z-score: out_i = (x_i - mean_i) / std_i. out may be x.
inline void standardize(const float* x, const float* mean, const float* std_dev, float* out, uint16_t n) {
  for (uint16_t i = 0; i < n; ++i) out[i] = (x[i] - mean[i]) / std_dev[i];
}

}  // namespace anne
