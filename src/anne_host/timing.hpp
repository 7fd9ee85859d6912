// SPDX-License-Identifier: MIT
// Wall-clock timing of the forward pass on the host: the median of repeated runs.
#pragma once

#include <cstddef>
#include <functional>

namespace anne::host {

struct Timing {
  double median_ns;  ///< per call
  double min_ns;
  size_t calls_per_run;
  size_t runs;
};

/// Calls `work` in runs long enough to time (about 2 ms each), `runs` times; per-call figures.
Timing time_calls(const std::function<void()>& work, size_t runs = 21);

}  // namespace anne::host
