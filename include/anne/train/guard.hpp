// SPDX-License-Identifier: MIT
// The divergence guard: training that blows up (a loss or a gradient that is NaN or infinite, from
// too high a learning rate or bad data) stops instead of carrying NaN into every weight. The
// trainer keeps the weights that gave the last finite loss: an update is written beside the
// weights it starts from and becomes current only when every new weight is finite, and a later
// loss that is not finite puts the weights before the last update back. So the network stays
// usable and shows where it was last sane.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "anne/math.hpp"

namespace anne {
namespace train {

/// True when none of the n values is NaN or infinite. A value is not finite when its 8 exponent
/// bits are all 1; adding 1 at the lowest of them then carries into the sign bit, so one OR over
/// the values (no branch per value) collects the answer in bit 31.
inline bool all_finite(const float* values, size_t n) {
  uint32_t carries = 0;
  for (size_t k = 0; k < n; ++k) carries |= (math::float_bits(values[k]) & 0x7f800000u) + 0x00800000u;
  return (carries & 0x80000000u) == 0;
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
