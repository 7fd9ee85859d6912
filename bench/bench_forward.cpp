// Host forward-pass benchmarks (make bench): nanoseconds per inference of the paper's networks.
#include <benchmark/benchmark.h>

#include "anne/models/builtin.hpp"
#include "anne_host/paper_split.hpp"

namespace {

void forward_one_row(benchmark::State& state, const anne::Network& net) {
  const anne::host::LabeledData test = anne::host::paper_test_set();
  float scratch[64];
  float out[8];
  for (auto _ : state) {
    anne::forward(net, test.row(0), 4, out, anne::network_outputs(net), scratch, 64);
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations());
}

void forward_twenty_rows(benchmark::State& state, const anne::Network& net) {
  const anne::host::LabeledData test = anne::host::paper_test_set();
  float scratch[64];
  float out[8];
  for (auto _ : state) {
    for (size_t r = 0; r < test.rows(); ++r) {
      anne::forward(net, test.row(r), 4, out, anne::network_outputs(net), scratch, 64);
      benchmark::DoNotOptimize(out);
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(test.rows()));
}

BENCHMARK_CAPTURE(forward_one_row, paper8, anne::paper::paper8::kNetwork);
BENCHMARK_CAPTURE(forward_twenty_rows, paper8, anne::paper::paper8::kNetwork);
BENCHMARK_CAPTURE(forward_one_row, paper6, anne::paper::paper6::kNetwork);
BENCHMARK_CAPTURE(forward_twenty_rows, paper6, anne::paper::paper6::kNetwork);

}  // namespace

BENCHMARK_MAIN();
