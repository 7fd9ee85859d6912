// Host benchmarks of the portable elementary functions (anne/math.hpp): nanoseconds per call, over
// 1024 arguments in [-8, 8) (typical pre-activations) or in [-100, 88) (exp's whole finite range),
// taken in increasing order (branches predictable) or shuffled (signs random, as in a network).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <random>
#include <vector>

#include "anne/math.hpp"

namespace {

std::vector<float> arguments(float low, float high, bool shuffled) {
  constexpr int kCount = 1024;
  std::vector<float> xs(kCount);
  for (int i = 0; i < kCount; ++i) xs[static_cast<size_t>(i)] = low + (high - low) * static_cast<float>(i) / kCount;
  if (shuffled) std::shuffle(xs.begin(), xs.end(), std::mt19937(12345));
  return xs;
}

template <float (*F)(float)>
void per_call(benchmark::State& state, float low, float high, bool shuffled) {
  const std::vector<float> xs = arguments(low, high, shuffled);
  for (auto _ : state) {
    for (float x : xs) benchmark::DoNotOptimize(F(x));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(xs.size()));
}

void exp_sorted(benchmark::State& state) { per_call<anne::math::exp>(state, -8.0f, 8.0f, false); }
void exp_shuffled(benchmark::State& state) { per_call<anne::math::exp>(state, -8.0f, 8.0f, true); }
void exp_wide_shuffled(benchmark::State& state) { per_call<anne::math::exp>(state, -100.0f, 88.0f, true); }
void sigmoid_sorted(benchmark::State& state) { per_call<anne::math::sigmoid>(state, -8.0f, 8.0f, false); }
void sigmoid_shuffled(benchmark::State& state) { per_call<anne::math::sigmoid>(state, -8.0f, 8.0f, true); }
void sigmoid_wide_shuffled(benchmark::State& state) { per_call<anne::math::sigmoid>(state, -100.0f, 88.0f, true); }
void expm1_shuffled(benchmark::State& state) { per_call<anne::math::expm1>(state, -8.0f, 8.0f, true); }
void tanh_shuffled(benchmark::State& state) { per_call<anne::math::tanh>(state, -8.0f, 8.0f, true); }
void softplus_shuffled(benchmark::State& state) { per_call<anne::math::softplus>(state, -8.0f, 8.0f, true); }
BENCHMARK(exp_sorted);
BENCHMARK(exp_shuffled);
BENCHMARK(exp_wide_shuffled);
BENCHMARK(sigmoid_sorted);
BENCHMARK(sigmoid_shuffled);
BENCHMARK(sigmoid_wide_shuffled);
BENCHMARK(expm1_shuffled);
BENCHMARK(tanh_shuffled);
BENCHMARK(softplus_shuffled);

}  // namespace

BENCHMARK_MAIN();
