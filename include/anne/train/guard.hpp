// SPDX-License-Identifier: MIT
// The divergence guard: training that blows up (a loss or a gradient that is NaN or infinite, from
// too high a learning rate or bad data) stops instead of carrying NaN into every weight. Before each
// update the trainer keeps a copy of the weights that gave a finite loss; when a later step is not
// finite, it puts that copy back, so the network stays usable and shows where it was last sane.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "anne/math.hpp"

namespace anne {
namespace train {

/// True when none of the n values is NaN or infinite.
inline bool all_finite(const float* values, size_t n) {
  for (size_t k = 0; k < n; ++k) {
    if (!math::is_finite(values[k])) return false;
  }
  return true;
}

inline void copy_floats(const float* from, float* to, size_t n) {
  for (size_t k = 0; k < n; ++k) to[k] = from[k];
}

/// Why a training run stopped early.
enum class Stop : uint8_t {
  none = 0,         ///< ran every epoch
  loss_not_finite,  ///< a batch's loss was NaN or infinite
  gradient_not_finite,
  weights_not_finite,  ///< an update produced NaN or infinite weights
  by_callback,         ///< the epoch callback asked to stop
};

constexpr const char* stop_message(Stop stop) {
  switch (stop) {
    case Stop::none: return "finished";
    case Stop::loss_not_finite: return "the loss became NaN or infinite";
    case Stop::gradient_not_finite: return "a gradient became NaN or infinite";
    case Stop::weights_not_finite: return "an update made a weight NaN or infinite";
    case Stop::by_callback: return "stopped by the callback";
  }
  return "unknown";
}

}  // namespace train
}  // namespace anne
