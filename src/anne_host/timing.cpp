// SPDX-License-Identifier: MIT
#include "anne_host/timing.hpp"

#include <algorithm>
#include <chrono>
#include <vector>

namespace anne::host {

namespace {
double run_ns(const std::function<void()>& work, size_t calls) {
  const auto start = std::chrono::steady_clock::now();
  for (size_t i = 0; i < calls; ++i) work();
  const auto stop = std::chrono::steady_clock::now();
  return static_cast<double>(std::chrono::duration_cast<std::chrono::nanoseconds>(stop - start).count());
}
}  // namespace

Timing time_calls(const std::function<void()>& work, size_t runs) {
  size_t calls = 1;
  while (run_ns(work, calls) < 2e6 && calls < (size_t{1} << 30)) calls *= 2;
  std::vector<double> per_call;
  for (size_t r = 0; r < runs; ++r) per_call.push_back(run_ns(work, calls) / static_cast<double>(calls));
  std::sort(per_call.begin(), per_call.end());
  return {per_call[per_call.size() / 2], per_call.front(), calls, runs};
}

}  // namespace anne::host
